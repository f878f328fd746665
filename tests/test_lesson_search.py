"""Full-text search of lessons: the same answers on SQLite (FTS5) and PostgreSQL (tsvector).

CI runs this module on both databases; every expectation here is exact.
"""

from __future__ import annotations

import pytest

from r2p_network.core.search import fold, highlight, parse_query
from tests.conftest import login
from tests.factories import make_lesson, make_member

LESSONS = {
    "fr": (
        "Médiation électorale en Côte d’Ivoire",
        "Une équipe de médiation a réuni les partis après le scrutin.",
    ),
    "ru": (
        "Раннее предупреждение в Центральной Азии",
        "Мониторы сообщали о напряжённости в приграничных сёлах.",
    ),
    "ar": ("الإنذار المبكر في منطقة الساحل", "ربطت غرفة الإنذار المراقبين المحليين بفريق استجابة وطني."),
    "zh": ("社区早期预警机制", "村级监测员每周向国家应对小组报告紧张局势。"),
    "es": (
        "Diálogo y mediación en la región andina",
        "La defensoría convocó mesas de diálogo con comunidades.",
    ),
    "body": ("Peer review among neighbours", "States reviewed each other's prevention plans."),
}


@pytest.fixture
def library(db_session):
    author = make_member("KEN")
    lessons = {
        key: make_lesson(author, title=title, summary=summary * 2)
        for key, (title, summary) in LESSONS.items()
    }
    body_only = lessons["body"]
    body_only.body = {**body_only.body}
    make_lesson(author, status="draft", title="Médiation draft never found", summary="Médiation " * 5)
    make_lesson(
        author,
        title="Mediation support in the body only",
        summary="A summary that says nothing of the search word at all, on purpose.",
        body={"what_happened": "The mediation unit deployed twice.", "recommendations": "More."},
    )
    return lessons


@pytest.fixture
def reader(app, db_session):
    client = app.test_client()
    login(client, make_member("GHA").email)
    return client


def found(client, query: str) -> list[str]:
    """Titles on the first results page, in order."""
    import re

    page = client.get("/lessons/", query_string={"q": query}).get_data(as_text=True)
    return [
        re.sub(r"</?mark>", "", t)
        for t in re.findall(r'<h2[^>]*><a href="/lessons/\d+">(.*?)</a></h2>', page)
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mediation", {"fr", "body-only"}),  # accents ignored in the text
        ("MÉDIATION", {"fr", "body-only"}),  # and in the query
        ("media", {"fr", "es", "body-only"}),  # prefixes match: "mediación" too
        ("cote d'ivoire", {"fr"}),
        ("Côte d’Ivoire électorale", {"fr"}),
        ("предупреждение", {"ru"}),
        ("ПРЕДУПРЕЖД", {"ru"}),
        ("напряженности", {"ru"}),  # ё written as е
        ("الإنذار", {"ar"}),
        ("الساحل", {"ar"}),
        ("预警", {"zh"}),
        ("早期预警机制", {"zh"}),
        ("预早", set()),  # the characters must follow each other
        ("dialogo andina", {"es"}),
        ("mediacion andina", {"es"}),
        ("mediation andina", set()),  # every word must match
        ("peer neighbours", {"body"}),
        ("zzzz", set()),
    ],
)
def test_search_finds_the_same_lessons_on_every_database(library, reader, query, expected):
    titles = {LESSONS[k][0] if k in LESSONS else "Mediation support in the body only" for k in expected}
    assert set(found(reader, query)) == titles


def test_title_matches_rank_above_body_matches(library, reader):
    results = found(reader, "mediation")
    assert results[-1] == "Mediation support in the body only" or results.index(
        "Mediation support in the body only"
    ) > results.index("Médiation électorale en Côte d’Ivoire")


def test_matches_are_highlighted_in_titles_and_excerpts(library, reader):
    page = reader.get("/lessons/", query_string={"q": "mediation"}).get_data(as_text=True)
    assert "<mark>Médiation</mark> électorale" in page
    assert "The <mark>mediation</mark> unit deployed twice." in page  # the body excerpt
    page = reader.get("/lessons/", query_string={"q": "预警"}).get_data(as_text=True)
    assert "社区早期<mark>预警</mark>机制" in page


def test_search_respects_visibility_and_filters(library, app, db_session):
    anonymous = app.test_client()
    assert found(anonymous, "mediation") == []  # network lessons only
    make_lesson(make_member("PER"), title="Public mediation guide", visibility="public", countries=["PER"])
    assert found(anonymous, "mediation") == ["Public mediation guide"]
    member = app.test_client()
    login(member, make_member("GHA").email)
    page = member.get("/lessons/", query_string={"q": "mediation", "country": "PER"}).get_data(as_text=True)
    assert "1 lesson found" in page


@pytest.mark.parametrize(
    "query", ['"', "*", "AND OR NOT", "a:b", "(", "'; DROP TABLE lesson; --", "<->", "\\"]
)
def test_operator_characters_are_only_text(library, reader, query):
    assert reader.get("/lessons/", query_string={"q": query}).status_code == 200
    # With a real word beside them, the characters change nothing: they are read as text and folded.
    results = found(reader, f"mediation {query}")
    assert results == found(reader, f"mediation {fold(query)}")
    if not fold(query).strip():
        assert results == found(reader, "mediation") != []


def test_folding():
    assert fold("Côte d’Ivoire — ÉLECTIONS_2010") == "cote d ivoire elections 2010"
    assert fold("早期预警") == "早 期 预 警"
    assert parse_query("a a b") == [("a",), ("b",)]
    assert highlight("Médiation et médiateurs", "mediat") == [
        ("Médiation", True),
        (" et ", False),
        ("médiateurs", True),
    ]


STEMMED = {
    # language: (lesson title, a query in another inflected form that must find it)
    "ar": ("الحماية من الجرائم الفظيعة في المجتمعات المحلية", "حماية"),
    "fr": ("Protection des civils lors des élections", "protections"),
    "ru": ("Защита гражданского населения в приграничье", "защиты"),
    "es": ("Protección de comunidades indígenas amenazadas", "protecciones"),
}


@pytest.fixture
def inflected(db_session):
    author = make_member("KEN")
    for lang, (title, _query) in STEMMED.items():
        make_lesson(author, title=title, summary=f"{title}. " * 3, language=lang)
    make_lesson(author, title="Unrelated lesson on budgets", summary="Budget lines for training. " * 3)


@pytest.mark.parametrize("lang", sorted(STEMMED))
def test_search_finds_inflected_forms(inflected, reader, lang):
    """The same answer on both databases: the index holds the stems of the lesson's language."""
    title, query = STEMMED[lang]
    # Not the same word again, and not a prefix of a word of the title: only a stem can match.
    assert not any(word.startswith(fold(query)) for word in fold(title).split())
    assert found(reader, query) == [title]


def test_a_lesson_keeps_its_language_and_reads_in_its_direction(inflected, reader):
    page = reader.get("/lessons/", query_string={"q": "حماية"}).get_data(as_text=True)
    assert 'lang="ar" dir="auto"' in page and "العربية" in page
