"""A large, deterministic network for benchmarks: ``flask --app app seed-scale``.

All 193 Member States, 1,000 members, 50,000 capacity entries over five cycles, 2,000
assessment versions and 20,000 published lessons in the six UN languages (tagged and indexed
for search). One password hash is computed once and reused. Rows go in with bulk
inserts, so the seed takes seconds, not minutes.
"""

from __future__ import annotations

import random

from sqlalchemy import func, insert, select

from r2p_network.assessments.queries import latest_template_version
from r2p_network.assessments.schema import element_flags
from r2p_network.auth.passwords import hash_password
from r2p_network.capacity.services import refresh_current_maps
from r2p_network.core import richtext, search
from r2p_network.extensions import db
from r2p_network.lessons.services import refresh_theme_counts
from r2p_network.models import (
    AccountStatus,
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    CapacityCategory,
    CapacityEntry,
    CapacitySubmission,
    Country,
    FocalPointProfile,
    Lesson,
    LessonStatus,
    LessonTag,
    LessonTheme,
    Network,
    ProfileExpertise,
    ProfileLanguage,
    SubmissionStatus,
    TagKind,
    UNStatus,
    User,
    Visibility,
    utcnow,
)
from r2p_network.profiles.vocabulary import EXPERTISE, LANGUAGES

MEMBERS = 1000
CYCLES = (2022, 2023, 2024, 2025, 2026)
ENTRIES = 50_000
VERSIONS = 2000
LESSONS = 20_000
BATCH = 5000

# Per language: topics, a title and a summary pattern (for benchmark text only).
LESSON_TEXT = {
    "en": (
        ["mediation", "early warning", "elections", "dialogue", "justice", "displacement"],
        "{topic} in {country}, {year}",
        "Lessons from {topic} in {country}: what worked, what did not, and what to do next.",
    ),
    "fr": (
        ["médiation", "alerte précoce", "élections", "dialogue", "justice", "déplacement"],
        "{topic} : {country}, {year}",
        "Leçons tirées de l'expérience de {country} en matière de {topic}, et recommandations.",
    ),
    "es": (
        ["mediación", "alerta temprana", "elecciones", "diálogo", "justicia", "desplazamiento"],
        "{topic} en {country}, {year}",
        "Lecciones de {country} sobre {topic}: lo que funcionó y lo que no funcionó.",
    ),
    "ru": (
        ["посредничество", "раннее предупреждение", "выборы", "диалог", "правосудие", "перемещение"],
        "{topic}: {country}, {year}",
        "Уроки страны {country} в области «{topic}»: что сработало и что нет.",
    ),
    "zh": (
        ["调解", "早期预警", "选举", "对话", "司法", "流离失所"],
        "{country}的{topic}（{year}）",
        "{country}在{topic}方面的经验教训：哪些有效，哪些无效。",
    ),
    "ar": (
        ["الوساطة", "الإنذار المبكر", "الانتخابات", "الحوار", "العدالة", "النزوح"],
        "{topic} في {country}، {year}",
        "دروس من تجربة {country} في مجال {topic}: ما الذي نجح وما الذي لم ينجح.",
    ),
}


def _batches(rows: list[dict], table) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start : start + BATCH])


def seed_scale(password: str) -> str:
    """Fill an empty database (reference data loaded) with the benchmark network."""
    if db.session.scalar(select(func.count()).select_from(User)) > 0:
        raise RuntimeError("seed-scale expects a database with no accounts")
    rng = random.Random(49)  # nosec B311 - deterministic benchmark data
    now = utcnow()
    password_hash = hash_password(password)
    countries = list(db.session.scalars(select(Country.iso3).where(Country.un_status == UNStatus.MEMBER)))
    networks = list(Network)

    users = [
        {
            "email": f"member{n:04d}@scale.example.org",
            "name": f"Member {n:04d}",
            "password_hash": password_hash,
            "role": "focal_point",
            "status": AccountStatus.ACTIVE.value,
            "created_at": now,
            "approved_at": now,
            "password_changed_at": now,
        }
        for n in range(MEMBERS)
    ]
    _batches(users, User)
    ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    teams = []
    profiles, languages, expertise = [], [], []
    for n, user_id in enumerate(ids):
        iso3 = countries[n % len(countries)]
        network = networks[0] if n < len(countries) else rng.choice(networks)
        teams.append((iso3, network))
        profiles.append(
            {
                "user_id": user_id,
                "country_iso3": iso3,
                "network": network.value,
                "title": "Director",
                "institution": f"Institution {n % 97}",
                "bio": "",
                "contact_email": "",
                "phone": "",
                "messaging": "",
                "contact_email_visibility": "network",
                "phone_visibility": "admins",
                "messaging_visibility": "admins",
                "in_post": True,
                "updated_at": now,
            }
        )
        languages += [{"user_id": user_id, "code": code} for code in {"en", rng.choice(LANGUAGES)}]
        expertise += [{"user_id": user_id, "area": area} for area in rng.sample(list(EXPERTISE), 2)]
    _batches(profiles, FocalPointProfile)
    _batches(languages, ProfileLanguage)
    _batches(expertise, ProfileExpertise)

    categories = list(db.session.scalars(select(CapacityCategory.id)))
    unique_teams = sorted(set(teams))
    submissions = [
        {
            "country_iso3": iso3,
            "network": network.value,
            "cycle": cycle,
            "status": SubmissionStatus.VERIFIED.value,
            "created_at": now,
            "submitted_at": now,
            "decided_at": now,
        }
        for iso3, network in unique_teams
        for cycle in CYCLES
    ]
    _batches(submissions, CapacitySubmission)
    submission_ids = list(db.session.scalars(select(CapacitySubmission.id)))
    entries = [
        {
            "submission_id": submission_ids[n % len(submission_ids)],
            "category_id": rng.choice(categories),
            "status": rng.choice(["has", "has", "offers", "needs"]),
            "maturity": rng.randint(1, 4),
            "description": f"Capacity described in entry {n}",
            "institution": "Ministry",
            "contact": "",
            "restricted": False,
        }
        for n in range(ENTRIES)
    ]
    _batches(entries, CapacityEntry)
    refresh_current_maps()

    template = latest_template_version("national-strategy")
    assessments = [
        {
            "country_iso3": iso3,
            "network": network.value,
            "title": f"National strategy of {iso3}",
            "template_version_id": template.id,
            "status": AssessmentStatus.SUBMITTED.value,
            "answers": {},
            "lock_version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for iso3, network in unique_teams
    ]
    _batches(assessments, Assessment)
    assessment_ids = list(db.session.scalars(select(Assessment.id)))
    versions = []
    counter: dict[int, int] = {}
    for n in range(VERSIONS):
        assessment_id = assessment_ids[n % len(assessment_ids)]
        counter[assessment_id] = counter.get(assessment_id, 0) + 1
        answers = {
            f"rf{k:02d}_judgement": rng.choice(["no_concern", "some_concern", "serious_concern"])
            for k in range(1, 15)
        }
        versions.append(
            {
                "assessment_id": assessment_id,
                "number": counter[assessment_id],
                "template_version_id": template.id,
                "answers": answers,
                "visibility": rng.choice(list(Visibility)).value,
                "submitted_at": now,
                **element_flags(template.definition, answers),
            }
        )
    _batches(versions, AssessmentVersion)
    _seed_lessons(rng, ids, now)
    db.session.flush()
    return (
        f"Scale network: {MEMBERS} members, {len(submissions)} capacity maps with {ENTRIES} entries over "
        f"{len(CYCLES)} cycles, {len(assessment_ids)} assessments with {VERSIONS} versions, "
        f"{LESSONS} lessons."
    )


def _seed_lessons(rng: random.Random, author_ids: list[int], now) -> None:
    """Published lessons in the six UN languages, with their tags and search index."""
    countries = db.session.execute(
        select(
            Country.iso3,
            Country.region_code,
            Country.subregion_code,
            *(getattr(Country, f"name_{lang}") for lang in LESSON_TEXT),
        ).where(Country.un_status == UNStatus.MEMBER)
    ).all()
    themes = list(db.session.scalars(select(LessonTheme.slug)))
    lessons, texts, tags = [], [], []
    for n in range(LESSONS):
        lang = list(LESSON_TEXT)[n % len(LESSON_TEXT)]
        topics, title, summary = LESSON_TEXT[lang]
        country = countries[n % len(countries)]
        name = country[3 + list(LESSON_TEXT).index(lang)]
        topic, year = rng.choice(topics), 1995 + n % 31
        values = {"topic": topic, "country": name, "year": year}
        body = {"what_happened": summary.format(**values), "recommendations": summary.format(**values)}
        lessons.append(
            {
                "author_id": author_ids[n % len(author_ids)],
                "status": LessonStatus.PUBLISHED.value,
                "visibility": (Visibility.PUBLIC if n % 5 == 0 else Visibility.NETWORK).value,
                "title": title.format(**values)[:200],
                "summary": summary.format(**values),
                "cross_regional": n % 17 == 0,
                "period_start": year,
                "language": lang,
                "body": body,
                "body_html": {key: richtext.render(text) for key, text in body.items()},
                "created_at": now,
                "updated_at": now,
                "published_at": now,
            }
        )
        texts.append((lessons[-1]["title"], lessons[-1]["summary"], " ".join(body.values()), lang))
    _batches(lessons, Lesson)
    lesson_ids = list(db.session.scalars(select(Lesson.id).order_by(Lesson.id)))[-LESSONS:]
    for n, lesson_id in enumerate(lesson_ids):
        iso3, region, subregion = countries[n % len(countries)][:3]
        chosen = {
            (TagKind.COUNTRY, iso3),
            (TagKind.AREA, region),
            (TagKind.AREA, subregion),
            (TagKind.PILLAR, str(1 + n % 3)),
            (TagKind.THEME, themes[n % len(themes)]),
            (TagKind.THEME, rng.choice(themes)),
        }
        tags += [{"lesson_id": lesson_id, "kind": kind.value, "value": value} for kind, value in chosen]
    _batches(tags, LessonTag)
    search.index_lessons([(lesson_id, *text) for lesson_id, text in zip(lesson_ids, texts, strict=True)])
    refresh_theme_counts()
