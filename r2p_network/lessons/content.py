"""A lesson's content as forms, services and queries exchange it, and the moderators' decisions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from r2p_network.models import Lesson, LessonKind, TagKind, Visibility

SECTIONS = ("what_happened", "what_worked", "what_did_not", "recommendations")


class Decision:
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"


@dataclass(frozen=True)
class LessonData:
    """Everything an author writes: the form's fields, and nothing that decides state or owner."""

    title: str
    summary: str
    period_start: int
    period_end: int | None = None
    # Edits saved before lessons had a kind carry none: they keep the neutral default.
    kind: str = LessonKind.CASE_STUDY.value
    # Edits saved before lessons had a language are taken as English.
    language: str = "en"
    countries: list[str] = field(default_factory=list)
    region: str | None = None
    cross_regional: bool = False
    pillars: list[str] = field(default_factory=list)
    crimes: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    visibility: str = Visibility.NETWORK.value
    body: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def latest(cls, lesson: Lesson, tags: dict[TagKind, list[str]]) -> LessonData:
        """The author's latest text: the pending edit if there is one, else what readers see."""
        return cls(**lesson.revision) if lesson.revision is not None else cls.published(lesson, tags)

    @classmethod
    def published(cls, lesson: Lesson, tags: dict[TagKind, list[str]]) -> LessonData:
        """The text readers see (for a lesson never published: its draft)."""
        return cls(
            title=lesson.title,
            summary=lesson.summary,
            period_start=lesson.period_start,
            period_end=lesson.period_end,
            kind=lesson.kind.value,
            language=lesson.language,
            countries=tags.get(TagKind.COUNTRY, []),
            region=lesson.region_code,
            cross_regional=lesson.cross_regional,
            pillars=tags.get(TagKind.PILLAR, []),
            crimes=tags.get(TagKind.CRIME, []),
            themes=tags.get(TagKind.THEME, []),
            visibility=lesson.visibility.value,
            body=dict(lesson.body),
        )
