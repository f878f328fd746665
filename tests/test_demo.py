"""The demo and benchmark seeds: data outside the package, facts checked, never in production."""

from __future__ import annotations

import importlib
import importlib.util
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

import r2p_network
from r2p_network.demo_data import SEED_DIR, seed_file
from r2p_network.extensions import db
from r2p_network.models import (
    Lesson,
    LessonKind,
    LessonTag,
    TagKind,
    TreatyParticipation,
    TreatyStatus,
    TreatyStatusChange,
    User,
)

PASSWORD = "demo password for tests"


@pytest.fixture
def seeded(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    return result


def _lesson(title: str) -> Lesson:
    return db.session.scalar(select(Lesson).where(Lesson.title == title))


def _tags(lesson: Lesson, kind: TagKind) -> set[str]:
    return set(
        db.session.scalars(
            select(LessonTag.value).where(LessonTag.lesson_id == lesson.id, LessonTag.kind == kind)
        )
    )


def test_seed_demo_refuses_production_settings(app, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTION", True)
    before = db.session.scalar(select(func.count(User.id)))
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", PASSWORD])
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        "Error: seed-demo refuses to run with production settings: demo accounts share one password."
    ]
    assert db.session.scalar(select(func.count(User.id))) == before


def test_production_settings_are_marked(monkeypatch):
    import config

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("BASE_URL", "https://r2p.example.org")
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", "OeP0lCAg9eydXPBmDaNC_aAhhvnFOmwmhnupe0z7BvE=")
    assert config.load("production").PRODUCTION is True
    assert config.load("development").PRODUCTION is False and config.load("testing").PRODUCTION is False


def test_the_password_is_printed_only_when_accounts_are_created(app, seeded):
    assert f"Password for every demo account: {PASSWORD}" in seeded.output
    again = app.test_cli_runner().invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "Password for every demo account" not in again.output and "(generated)" not in again.output
    assert "No account was created" in again.output


def test_demo_lessons_come_from_the_seed_folder(seeded):
    package = Path(r2p_network.__file__).resolve().parent
    assert package.parent / "seed" == SEED_DIR  # beside the package, not in it
    assert (SEED_DIR / "lessons.json").is_file() and (SEED_DIR / "network.json").is_file()
    titles = {item["title"] for item in seed_file("lessons")["lessons"]}
    assert titles <= set(db.session.scalars(select(Lesson.title)))
    assert importlib.util.find_spec("r2p_network.scale") is None
    assert hasattr(importlib.import_module("bench.scale"), "seed_scale")


def test_every_demo_lesson_has_a_kind_and_every_kind_is_used(seeded):
    by_title = {item["title"]: item["kind"] for item in seed_file("lessons")["lessons"]}
    kinds = dict(db.session.execute(select(Lesson.title, Lesson.kind)).all())
    assert {title: kinds[title].value for title in by_title} == by_title
    assert set(by_title.values()) == {k.value for k in LessonKind}


def test_demo_lesson_facts_and_tags(seeded):
    tanzania = _lesson("Hosting refugees without importing conflict")
    text = " ".join([tanzania.summary, *tanzania.body.values()])
    assert "close to the border" in text and "away from the border" not in text
    assert "years later" in tanzania.summary or "years after" in text
    assert "non-state-armed-groups" in _tags(tanzania, TagKind.THEME)

    guatemala = _lesson("A commission against impunity")
    assert _tags(guatemala, TagKind.CRIME) == set()

    south_africa = _lesson("Peer review as a prevention tool")
    assert _tags(south_africa, TagKind.CRIME) == set()
    assert "2008" in south_africa.summary

    doha = _lesson("Convening talks between armed movements")
    assert {"QAT", "SDN"} <= _tags(doha, TagKind.COUNTRY)
    assert "Darfur" in doha.summary
    assert {"002", "145"} <= _tags(doha, TagKind.AREA)  # Sudan's and Qatar's regions

    for slug in ("non-state-armed-groups", "online-incitement-technology", "community-self-protection"):
        assert db.session.scalar(
            select(func.count())
            .select_from(LessonTag)
            .where(LessonTag.kind == TagKind.THEME, LessonTag.value == slug)
        )


def test_demo_records_the_rome_statute_withdrawals_as_withdrawals(member_client, seeded):
    def record(iso3: str) -> TreatyStatus:
        return db.session.scalar(
            select(TreatyStatus).where(
                TreatyStatus.country_iso3 == iso3, TreatyStatus.instrument_slug == "rome-statute"
            )
        )

    philippines, hungary = record("PHL"), record("HUN")
    assert (philippines.status, philippines.withdrawal_effective_on) == (
        TreatyParticipation.WITHDRAWN,
        date(2019, 3, 17),
    )
    assert (hungary.status, hungary.withdrawal_effective_on) == (
        TreatyParticipation.WITHDRAWN,
        date(2026, 6, 2),
    )
    history = db.session.scalars(
        select(TreatyStatusChange)
        .where(TreatyStatusChange.country_iso3 == "HUN")
        .order_by(TreatyStatusChange.id)
    ).all()
    assert [(h.new_status, h.withdrawal_effective_on) for h in history] == [
        (TreatyParticipation.PARTY, None),
        (TreatyParticipation.WITHDRAWAL_NOTIFIED, date(2026, 6, 2)),
        (TreatyParticipation.WITHDRAWN, date(2026, 6, 2)),
    ]
    assert history[1].as_of == date(2025, 6, 2)
    assert record("RWA").status == TreatyParticipation.NOT_PARTY
    page = member_client.get("/countries/PHL").get_data(as_text=True)
    assert "badge-withdrawn" in page and "took effect on Mar 17, 2019" in page
    assert "Republic Act No. 9851" in page


def test_demo_lessons_have_a_published_and_a_waiting_translation(seeded):
    from r2p_network.core.search import lesson_matches
    from r2p_network.models import LessonTranslation, TranslationStatus

    found = {
        (t.language, t.status): _lesson_by_id(t.lesson_id).title
        for t in db.session.scalars(select(LessonTranslation))
    }
    assert found == {
        ("fr", TranslationStatus.PUBLISHED): "A national peace council that listens first",
        ("es", TranslationStatus.SUBMITTED): "Community radio against rumours",
    }
    council = _lesson("A national peace council that listens first")
    matches = lesson_matches("chefferie")
    assert db.session.scalars(select(matches.c.lesson_id)).all() == [council.id]


def _lesson_by_id(lesson_id: int) -> Lesson:
    return db.session.get(Lesson, lesson_id)
