"""Member-written Markdown never reaches a page as active content."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from r2p_network.core import richtext
from tests.conftest import post_form
from tests.factories import make_lesson

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)"><circle/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "**bold <b onmouseover=alert(1)>x</b>**",
    "[x](<javascript:alert(1)>)",
    "`<script>`  and ```\n<script>alert(1)</script>\n```",
    "<<script>script>alert(1)<</script>/script>",
    "[unclosed](https://ok.example",
    "> <form action=https://evil.example><input name=x></form>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<!-- <script>alert(1)</script> -->",
]


class ActiveContent(HTMLParser):
    """Collects everything in an HTML fragment that could run or load something."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in richtext.ALLOWED_TAGS:
            self.found.append(f"tag {tag}")
        for name, value in attrs:
            if name not in richtext.ALLOWED_ATTRIBUTES.get(tag, set()) and name != "rel":
                self.found.append(f"attribute {name} on {tag}")
            if name == "href" and urlsplit(value or "").scheme.lower() not in richtext.LINK_SCHEMES:
                self.found.append(f"link {value}")


def active_content(fragment: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(fragment)
    parser.close()
    return parser.found


class PageDangers(HTMLParser):
    """On a whole page: event handlers, script-capable links, and scripts or frames of any kind."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        own_script = (
            tag == "script"
            and sorted(n for n, _v in attrs) == ["defer", "src"]
            and (dict(attrs)["src"] or "").startswith("/static/js/")
        )
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "style") and not own_script:
            self.found.append(tag)  # the site's own scripts (static files, no inline code) are expected
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name} on {tag}")
            if name in ("href", "src", "action", "formaction") and urlsplit(
                (value or "").strip()
            ).scheme.lower() in (
                "javascript",
                "vbscript",
                "data",
            ):
                self.found.append(f"{name}={value}")


def page_dangers(page: str) -> list[str]:
    parser = PageDangers()
    parser.feed(page)
    parser.close()
    return parser.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_known_payloads_render_inert(payload):
    assert active_content(richtext.render(payload)) == []


def test_allowed_markdown_survives():
    html = richtext.render(
        "# Title\n\n**b** *i* ~~s~~ [ok](https://ok.example) [m](mailto:a@b.example)\n\n- a\n- b"
    )
    assert "<h3>Title</h3>" in html  # headings move below the page's own
    assert '<a href="https://ok.example" rel="nofollow noopener noreferrer">ok</a>' in html
    assert '<a href="mailto:a@b.example"' in html and "<s>s</s>" in html and "<li>a</li>" in html


def test_relative_and_scheme_less_links_lose_their_target():
    assert "href" not in richtext.render("[a](/admin) [b](//evil.example)")


def test_stored_html_is_cleaned_again_on_the_way_out():
    assert str(richtext.as_html('<p onclick="x">a</p><script>b</script>')) == "<p>a</p>"


FRAGMENTS = st.sampled_from(
    ["<", ">", '"', "'", "=", "(", ")", "[", "]", ":", "/", "`", "*", "!", "&", "#", ";", "\n", " ",
     "script", "javascript", "svg", "onload", "onerror", "href", "src", "img", "a", "iframe", "data",
     "alert(1)", "<a ", "<svg ", "<img ", "](", "](javascript:", "&#x6a;", "%6a", "\u0000", "é", "\u202e"]
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_no_markdown_produces_active_content(source):
    assert active_content(richtext.render(source)) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_field_stay_inert_on_the_pages(app, author_client_for_xss, payload):
    client, author = author_client_for_xss
    lesson = make_lesson(
        author,
        title=f"Title {payload}",
        summary=f"Summary long enough {payload}",
        body={"what_happened": payload, "recommendations": payload},
    )
    post_form(client, f"/lessons/{lesson.id}/comments", {"body": payload})
    for path in (f"/lessons/{lesson.id}", "/lessons/", "/lessons/?q=title", "/lessons/mine"):
        page = client.get(path).get_data(as_text=True)
        if payload.startswith("<"):
            assert payload not in page, path  # raw HTML arrives escaped
        assert page_dangers(page) == [], path


@pytest.fixture
def author_client_for_xss(app, db_session):
    from tests.conftest import login
    from tests.factories import make_member

    author = make_member("KEN")
    client = app.test_client()
    login(client, author.email)
    return client, author
