"""Full-text search of published lessons: FTS5 on SQLite, tsvector with a GIN index on PostgreSQL.

Both databases index text that Python has already folded (case, accents and other marks
removed, punctuation turned into spaces, every CJK character a word of its own) followed by the
Snowball stems of its words in the lesson's language, and both are asked the same question
(every word as a prefix or as the stem of any of the stemmed UN languages, a CJK run as a
phrase), so they find the same lessons, inflected forms included ("protection" finds
"protections", "защиты" finds "Защита"). Titles weigh most, then summaries, then the body.

Members' published translations of a lesson have an index of their own, stemmed in the
translation's language, whose rows carry the lesson they belong to: a match there leads to the
lesson, which is then shown (or not) exactly as if its own text had matched.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

import snowballstemmer
from sqlalchemy import Float, Integer, Subquery, text

from r2p_network.extensions import db

INDEX_TABLE = "lesson_search"
DOCUMENT_INDEX_TABLE = "document_search"
MAX_UNITS = 10

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
# The UN languages that Snowball stems (Chinese needs none: each character is a word).
STEMMED = {"ar": "arabic", "en": "english", "es": "spanish", "fr": "french", "ru": "russian"}
MIN_STEM = 3


def fold(value: str) -> str:
    """Lower-case, accent-free words separated by single spaces; CJK characters one word each."""
    decomposed = unicodedata.normalize("NFKD", value)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(_NON_WORD.sub(" ", _CJK.sub(r" \g<0> ", bare)).split())


@cache
def _stemmer(lang: str) -> Any:
    return snowballstemmer.stemmer(STEMMED[lang])


def _stems(words: list[str], lang: str) -> list[str]:
    """The stems of *words* in *lang* that differ from the words themselves."""
    if lang not in STEMMED:
        return []
    stemmer = _stemmer(lang)
    found = []
    for word in words:
        if _CJK.fullmatch(word):
            continue
        stem = stemmer.stemWord(word)
        if stem != word and len(stem) >= MIN_STEM and stem not in found:
            found.append(stem)
    return found


def indexed(value: str, lang: str) -> str:
    """What the index holds for *value* written in *lang*: its folded words, then their stems."""
    words = fold(value).split()
    return " ".join([*words, *_stems(words, lang)])


def parse_query(query: str) -> list[tuple[str, ...]]:
    """The query's search units: a word (matched as a prefix), or a run of CJK characters (a phrase)."""
    units: list[tuple[str, ...]] = []
    for word in _WORD.findall(unicodedata.normalize("NFKC", query)):
        tokens = tuple(fold(word).split())
        if tokens and tokens not in units:
            units.append(tokens)
    return units[:MAX_UNITS]


def _is_phrase(unit: tuple[str, ...]) -> bool:
    return len(unit) > 1 or bool(_CJK.fullmatch(unit[0]))


def _query_stems(word: str) -> list[str]:
    """The word's stems in every stemmed language, matched exactly against the indexed stems."""
    found: list[str] = []
    for lang in STEMMED:
        found += [stem for stem in _stems([word], lang) if stem not in found]
    return found


def _fts5_query(units: list[tuple[str, ...]]) -> str:
    # Tokens hold word characters only, so quoting them cannot change the query's structure.
    def unit(u: tuple[str, ...]) -> str:
        if _is_phrase(u):
            return f'"{" ".join(u)}"'
        return "(" + " OR ".join([f'"{u[0]}"*', *(f'"{stem}"' for stem in _query_stems(u[0]))]) + ")"

    return " AND ".join(unit(u) for u in units)


def _tsquery(units: list[tuple[str, ...]]) -> str:
    def unit(u: tuple[str, ...]) -> str:
        if _is_phrase(u):
            return f"({' <-> '.join(u)})"
        return "(" + " | ".join([f"{u[0]}:*", *_query_stems(u[0])]) + ")"

    return " & ".join(unit(u) for u in units)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def lesson_matches(query: str) -> Subquery | None:
    """(lesson_id, rank) of the lessons whose own text or a published translation matches *query*,
    lower rank first (a lesson matched both ways ranks by its better match); None for an empty query."""
    units = parse_query(query)
    if not units:
        return None
    if _dialect() == "postgresql":
        stmt = text(
            "SELECT lesson_id, min(rank) AS rank FROM ("
            " SELECT lesson_id, -ts_rank(document, to_tsquery('simple', :q)) AS rank"
            " FROM lesson_search WHERE document @@ to_tsquery('simple', :q)"
            " UNION ALL"
            " SELECT lesson_id, -ts_rank(document, to_tsquery('simple', :q)) AS rank"
            " FROM lesson_search_translation WHERE document @@ to_tsquery('simple', :q)"
            ") AS found GROUP BY lesson_id"
        ).bindparams(q=_tsquery(units))
    else:
        stmt = text(
            "SELECT lesson_id, min(rank) AS rank FROM ("
            " SELECT rowid AS lesson_id, bm25(lesson_search, 10.0, 4.0, 1.0) AS rank"
            " FROM lesson_search WHERE lesson_search MATCH :q"
            " UNION ALL"
            " SELECT lesson_id, bm25(lesson_search_translation, 0.0, 10.0, 4.0, 1.0) AS rank"
            " FROM lesson_search_translation WHERE lesson_search_translation MATCH :q"
            ") GROUP BY lesson_id"
        ).bindparams(q=_fts5_query(units))
    return stmt.columns(lesson_id=Integer, rank=Float).subquery("matches")


def index_lesson(lesson_id: int, title: str, summary: str, body: str, lang: str) -> None:
    """Put a lesson's published text, written in *lang*, in the index, replacing what was there."""
    unindex_lesson(lesson_id)
    index_lessons([(lesson_id, title, summary, body, lang)])


def _document(title: str, summary: str, body: str, lang: str) -> dict[str, str]:
    return {"title": indexed(title, lang), "summary": indexed(summary, lang), "body": indexed(body, lang)}


def index_lessons(lessons: list[tuple[int, str, str, str, str]]) -> None:
    """Add (id, title, summary, body, language) of lessons not yet in the index, in one batch."""
    values = [
        {"id": lesson_id, **_document(title, summary, body, lang)}
        for lesson_id, title, summary, body, lang in lessons
    ]
    if not values:
        return
    if _dialect() == "postgresql":
        db.session.execute(
            text(
                "INSERT INTO lesson_search (lesson_id, document) VALUES (:id,"
                " setweight(to_tsvector('simple', :title), 'A')"
                " || setweight(to_tsvector('simple', :summary), 'B')"
                " || setweight(to_tsvector('simple', :body), 'D'))"
            ),
            values,
        )
    else:
        db.session.execute(
            text(
                "INSERT INTO lesson_search (rowid, title, summary, body)"
                " VALUES (:id, :title, :summary, :body)"
            ),
            values,
        )


def index_translations(translations: list[tuple[int, int, str, str, str, str]]) -> None:
    """Add (translation id, lesson id, title, summary, body, language) of published translations
    not yet in the index, in one batch."""
    values = [
        {"id": translation_id, "lesson_id": lesson_id, **_document(title, summary, body, lang)}
        for translation_id, lesson_id, title, summary, body, lang in translations
    ]
    if not values:
        return
    if _dialect() == "postgresql":
        db.session.execute(
            text(
                "INSERT INTO lesson_search_translation (translation_id, lesson_id, document) VALUES (:id,"
                " :lesson_id, setweight(to_tsvector('simple', :title), 'A')"
                " || setweight(to_tsvector('simple', :summary), 'B')"
                " || setweight(to_tsvector('simple', :body), 'D'))"
            ),
            values,
        )
    else:
        db.session.execute(
            text(
                "INSERT INTO lesson_search_translation (rowid, lesson_id, title, summary, body)"
                " VALUES (:id, :lesson_id, :title, :summary, :body)"
            ),
            values,
        )


def index_translation(
    translation_id: int, lesson_id: int, title: str, summary: str, body: str, lang: str
) -> None:
    """Put a published translation, written in *lang*, in the index, replacing what was there."""
    if _dialect() == "postgresql":
        stmt = text("DELETE FROM lesson_search_translation WHERE translation_id = :id")
    else:
        stmt = text("DELETE FROM lesson_search_translation WHERE rowid = :id")
    db.session.execute(stmt, {"id": translation_id})
    index_translations([(translation_id, lesson_id, title, summary, body, lang)])


def clear_index() -> None:
    """Empty the index (before rebuilding it from the lessons and their translations)."""
    db.session.execute(text("DELETE FROM lesson_search"))
    db.session.execute(text("DELETE FROM lesson_search_translation"))


def unindex_lesson(lesson_id: int) -> None:
    if _dialect() == "postgresql":
        db.session.execute(text("DELETE FROM lesson_search WHERE lesson_id = :id"), {"id": lesson_id})
    else:
        db.session.execute(text("DELETE FROM lesson_search WHERE rowid = :id"), {"id": lesson_id})


def document_matches(query: str) -> Subquery | None:
    """(document_id, rank) of the documents whose title, description or text matches *query*, lower
    rank first; None for an empty query. Matched as lessons are, in every UN language."""
    units = parse_query(query)
    if not units:
        return None
    if _dialect() == "postgresql":
        stmt = text(
            "SELECT document_id, -ts_rank(document, to_tsquery('simple', :q)) AS rank"
            " FROM document_search WHERE document @@ to_tsquery('simple', :q)"
        ).bindparams(q=_tsquery(units))
    else:
        stmt = text(
            "SELECT rowid AS document_id, bm25(document_search, 10.0, 4.0, 1.0) AS rank"
            " FROM document_search WHERE document_search MATCH :q"
        ).bindparams(q=_fts5_query(units))
    return stmt.columns(document_id=Integer, rank=Float).subquery("matches")


def index_document(document_id: int, title: str, description: str, body: str, lang: str) -> None:
    """Put a document's title, description and extracted text, written in *lang*, in its index."""
    unindex_document(document_id)
    values = {"id": document_id, **_document(title, description, body, lang)}
    if _dialect() == "postgresql":
        stmt = text(
            "INSERT INTO document_search (document_id, document) VALUES (:id,"
            " setweight(to_tsvector('simple', :title), 'A')"
            " || setweight(to_tsvector('simple', :summary), 'B')"
            " || setweight(to_tsvector('simple', :body), 'D'))"
        )
    else:
        stmt = text(
            "INSERT INTO document_search (rowid, title, summary, body) VALUES (:id, :title, :summary, :body)"
        )
    db.session.execute(stmt, values)


def unindex_document(document_id: int) -> None:
    if _dialect() == "postgresql":
        stmt = text("DELETE FROM document_search WHERE document_id = :id")
    else:
        stmt = text("DELETE FROM document_search WHERE rowid = :id")
    db.session.execute(stmt, {"id": document_id})


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """For Alembic: the search indexes (``lesson_search``, ``lesson_search_translation``,
    ``document_search``) are built by hand in the migrations, not from the models."""
    return not (
        type_ == "table" and name is not None and name.startswith((INDEX_TABLE, DOCUMENT_INDEX_TABLE))
    )


def highlight(value: str, query: str) -> list[tuple[str, bool]]:
    """*value* cut into (text, matched) pieces, the words that the query matches marked."""
    units = parse_query(query)
    if not units or not value:
        return [(value, False)]
    spans: list[tuple[int, int]] = []
    prefixes = [u[0] for u in units if not _is_phrase(u)]
    for match in _WORD.finditer(value):
        folded = fold(match.group())
        if prefixes and not _CJK.search(folded) and any(folded.startswith(p) for p in prefixes):
            spans.append(match.span())
    for unit in units:
        if _is_phrase(unit) and _CJK.match(unit[0]):
            phrase = "".join(unit)
            spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(phrase), value))
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in sorted(spans):
        if start < position:
            continue
        if start > position:
            pieces.append((value[position:start], False))
        pieces.append((value[start:end], True))
        position = end
    if position < len(value):
        pieces.append((value[position:], False))
    return pieces


def _word_window(value: str, start: int, end: int) -> tuple[int, int]:
    """Move a window's edges to word boundaries: a cut word is dropped, not shown in half.

    Scripts written without spaces (Chinese) have no boundary to find nearby; their cut stays.
    """
    if start > 0 and not value[start - 1].isspace():
        space = re.search(r"\s", value[start : start + 30])
        if space:
            start += space.end()
    if end < len(value) and not value[end].isspace():
        spaces = [m.start() for m in re.finditer(r"\s", value[start:end])]
        if spaces and spaces[-1] > (end - start) // 2:
            end = start + spaces[-1]
    return start, end


def excerpt(value: str, query: str, width: int = 220) -> list[tuple[str, bool]]:
    """A window of *value* around its first match, highlighted, starting and ending on word
    boundaries; the start when nothing matches."""
    pieces = highlight(value, query)
    offset = 0
    for piece, hit in pieces:
        if hit:
            break
        offset += len(piece)
    else:
        offset = 0
    first = max(0, offset - width // 3)
    start, end = _word_window(value, first, min(len(value), first + width))
    window = value[start:end].strip()
    prefix = "… " if start else ""
    suffix = " …" if end < len(value) else ""
    return highlight(prefix + window + suffix, query)
