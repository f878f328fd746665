"""Factories for test data. Each adds to the current session and flushes."""

from __future__ import annotations

import itertools
from functools import cache

from r2p_network.auth.passwords import hash_password
from r2p_network.extensions import db
from r2p_network.models import (
    AccountStatus,
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    FocalPointProfile,
    Network,
    Role,
    User,
    Visibility,
    utcnow,
)

DEFAULT_PASSWORD = "correct horse battery staple 2026"
_sequence = itertools.count(1)


@cache
def _default_hash() -> str:
    return hash_password(DEFAULT_PASSWORD)


def make_member(
    country: str | None = "GHA",
    network: Network = Network.GOVERNMENT,
    *,
    admin: bool = False,
    email: str | None = None,
    name: str | None = None,
    status: AccountStatus = AccountStatus.ACTIVE,
    institution: str = "Ministry of Foreign Affairs",
) -> User:
    """An account (approved and active by default), with a profile when *country* is given."""
    n = next(_sequence)
    user = User(
        email=email or f"member{n}@example.org",
        name=name or f"Member {n}",
        password_hash=_default_hash(),
        role=Role.ADMIN if admin else Role.FOCAL_POINT,
        status=status,
        approved_at=utcnow() if status == AccountStatus.ACTIVE else None,
        # Seen the welcome page already; the first-run tests clear it.
        welcomed_at=utcnow() if status == AccountStatus.ACTIVE else None,
    )
    if country:
        user.profile = FocalPointProfile(
            country_iso3=country, network=network, title="Focal point", institution=institution
        )
    db.session.add(user)
    db.session.flush()
    return user


def make_assessment(
    country: str = "GHA",
    network: Network = Network.GOVERNMENT,
    *,
    title: str = "National strategy 2027",
    draft: dict | None = None,
    versions: list[tuple[dict, Visibility]] = (),
) -> Assessment:
    """An assessment with submitted *versions* (answers, visibility) and an optional open draft."""
    from r2p_network.assessments import default_template
    from r2p_network.assessments.queries import latest_template_version
    from r2p_network.assessments.schema import element_flags

    template = latest_template_version(default_template.SLUG)
    assessment = Assessment(
        country_iso3=country, network=network, title=title, template_version_id=template.id, answers={}
    )
    db.session.add(assessment)
    db.session.flush()
    for number, (answers, visibility) in enumerate(versions, start=1):
        db.session.add(
            AssessmentVersion(
                assessment_id=assessment.id,
                number=number,
                template_version_id=template.id,
                answers=answers,
                visibility=visibility,
                **element_flags(template.definition, answers),
            )
        )
        assessment.answers = dict(answers)
    assessment.status = AssessmentStatus.SUBMITTED if versions and draft is None else AssessmentStatus.DRAFT
    if draft is not None:
        assessment.answers = draft
    db.session.flush()
    return assessment


def lesson_data(**overrides):
    """A valid lesson's fields; *overrides* replace any of them."""
    from r2p_network.lessons.content import LessonData

    values = {
        "title": "Electoral mediation after a disputed vote",
        "summary": "How a mediation team and national leaders stopped post-election violence from spreading.",
        "period_start": 2008,
        "period_end": 2008,
        "countries": ["KEN"],
        "pillars": ["1", "2"],
        "crimes": ["crimes-against-humanity"],
        "themes": ["mediation-dialogue", "elections"],
        "body": {"what_happened": "Violence followed the vote.", "recommendations": "Act early."},
    }
    values.update(overrides)
    return LessonData(**values)


def make_lesson(author, status: str = "published", visibility: str = "network", moderator=None, **overrides):
    """A lesson by *author*, taken through the real services to *status*."""
    from flask import current_app

    from r2p_network.lessons import services
    from r2p_network.lessons.content import Decision
    from r2p_network.models import LessonStatus

    data = lesson_data(visibility=visibility, **overrides)
    with current_app.test_request_context():
        lesson = services.create_lesson(author, data)
        if status != LessonStatus.DRAFT:
            services.send_for_moderation(lesson, author)
        moderator = moderator or make_member(None, admin=True)
        decisions = {
            "published": Decision.APPROVE,
            "changes_requested": Decision.REQUEST_CHANGES,
            "rejected": Decision.REJECT,
        }
        if status in decisions:
            services.decide(lesson, moderator, decisions[status], "Please say more about the outcome.")
    return lesson
