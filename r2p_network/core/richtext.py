"""Markdown written by members, rendered with raw HTML off and cleaned with an allow-list.

This module is the only place where member-written text becomes HTML that is marked safe.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Links keep only absolute http, https and mailto targets: no relative or scheme-less ones.
    if tag == "a" and attribute == "href":
        scheme = urlsplit(value.strip()).scheme.lower()
        return value if scheme in LINK_SCHEMES else None
    return value


def clean(fragment: str) -> str:
    """Only allowed tags, attributes and link schemes survive; everything else is removed."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep_attribute,
        url_schemes=set(LINK_SCHEMES),
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def render(source: str) -> str:
    """Sanitised HTML for a Markdown text (raw HTML in the source is shown as text).

    Headings move two levels down, so a member's "# Title" sits under the page's own headings.
    """
    tokens = _MARKDOWN.parse(source or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
    return clean(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))


def as_html(fragment: str | None) -> Markup:
    """Stored HTML, cleaned once more on the way out, ready for a template."""
    # Only the allow-list cleaner's output is marked safe.
    return Markup(clean(fragment or ""))  # noqa: S704  # nosec B704


def plain_text(fragment: str | None) -> str:
    """The text of an HTML fragment, without any tag."""
    return " ".join(html.unescape(nh3.clean(fragment or "", tags=set())).split())
