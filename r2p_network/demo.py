"""The demo network: an administrator, focal points in every region, a pending request.

Every person and institution detail is invented for demonstration; the texts (names, posts,
biographies, treaty records) live in ``seed/network.json``. Running the seed again adds only
what is missing.
"""

from __future__ import annotations

import copy
import random
from datetime import date

from sqlalchemy import select

from r2p_network.auth.passwords import hash_password
from r2p_network.capacity.services import refresh_current_maps
from r2p_network.demo_assessments import DEMO_ASSESSMENTS
from r2p_network.demo_assistance import seed_assistance
from r2p_network.demo_data import seed_file
from r2p_network.demo_events import seed_events
from r2p_network.demo_lessons import seed_lessons
from r2p_network.demo_organisations import seed_organisations
from r2p_network.extensions import db
from r2p_network.models import (
    AccessRequest,
    AccountStatus,
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    CapacityCategory,
    CapacityEntry,
    CapacityStatus,
    CapacitySubmission,
    Country,
    FocalPointProfile,
    Network,
    ProfileExpertise,
    ProfileLanguage,
    Role,
    SubmissionStatus,
    TreatyParticipation,
    TreatyStatus,
    TreatyStatusChange,
    User,
    Visibility,
    utcnow,
)
from r2p_network.profiles.vocabulary import EXPERTISE

ADMIN_EMAIL = "admin@example.org"

GOVERNMENT = {
    "002": [
        "GHA",
        "KEN",
        "GIN",
        "CIV",
        "NGA",
        "SEN",
        "SLE",
        "LBR",
        "ZAF",
        "TZA",
        "UGA",
        "RWA",
        "BWA",
        "MOZ",
        "TUN",
    ],
    "019": ["CRI", "BRA", "MEX", "GTM", "ARG", "CHL", "URY", "CAN", "USA", "PAN"],
    "142": ["KGZ", "IDN", "PHL", "THA", "TLS", "JPN", "KOR", "MNG", "QAT", "JOR"],
    "150": ["DNK", "CHE", "NLD", "DEU", "FRA", "GBR", "IRL", "PRT", "HRV", "SVN", "FIN"],
    "009": ["AUS", "NZL", "FJI"],
}
CIVIL_SOCIETY = ["GHA", "KEN", "CRI", "PHL", "IDN", "BRA", "DNK", "CHE", "GTM", "SEN", "SLE"]
PARLIAMENT = ["GHA", "KEN", "CRI", "PHL", "DNK", "AUS"]
# Extra government members beyond one per country: (email, country). Costa Rica's deputy
# uses the code CRC, which people often type for Costa Rica (its ISO code is CRI).
DEPUTIES = (("fp.crc@example.org", "CRI"), ("fp.gha.deputy@example.org", "GHA"))

# Working languages by region, besides English for everyone.
REGION_LANGUAGES = {
    "002": ["fr", "sw", "ar", "ha", "pt"],
    "019": ["es", "pt", "fr"],
    "142": ["ar", "ru", "zh", "ja", "ko", "id", "tl", "th", "ky"],
    "150": ["fr", "de", "es", "ru", "nl", "pt", "pl"],
    "009": ["fr"],
}
# Members who have left their posts: their seats show as vacant.
LEFT_POST = {"fp.fji@example.org", "cs.sle@example.org", "mp.aus@example.org"}


def _person(rng: random.Random, region: str) -> str:
    """Given and family names of the region, combined at random (fixed seed)."""
    names = seed_file("network")["names"][region]
    return f"{rng.choice(names['given'])} {rng.choice(names['family'])}"


def _region_of(iso3: str) -> str:
    for region, codes in GOVERNMENT.items():
        if iso3 in codes:
            return region
    raise KeyError(iso3)


def seed_demo(password: str) -> str:
    """Create the demo accounts that are missing; return a one-line summary."""
    # Deterministic demo data, not a security use of randomness.
    rng = random.Random(2026)  # nosec B311
    seed = seed_file("network")
    password_hash = hash_password(password)  # one hash, reused: the demo shares a password
    existing = set(db.session.scalars(select(User.email)))
    known_countries = set(db.session.scalars(select(Country.iso3)))
    now = utcnow()
    created = 0

    def add_member(email: str, name: str, iso3: str, network: Network, index: int) -> None:
        nonlocal created
        if email in existing:
            return
        if iso3 not in known_countries:
            raise ValueError(f"demo country {iso3} is not in the reference data")
        titles = seed["titles"][network.value]
        title, institution = titles[index % len(titles)]
        user = User(
            email=email,
            name=name,
            password_hash=password_hash,
            role=Role.FOCAL_POINT,
            status=AccountStatus.ACTIVE,
            approved_at=now,
            welcomed_at=now,  # demo members have been here a while; the pending one, once approved, is welcomed
        )
        region = _region_of(iso3)
        areas = rng.sample(list(EXPERTISE), k=rng.randint(2, 4))
        languages = {"en", *rng.sample(REGION_LANGUAGES[region], k=min(2, len(REGION_LANGUAGES[region])))}
        labels = "; ".join(str(EXPERTISE[code]) for code in areas)
        phone = f"+{rng.randint(20, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        user.profile = FocalPointProfile(
            country_iso3=iso3,
            network=network,
            title=title,
            institution=institution,
            bio=seed["bio"].format(expertise=labels),
            contact_email=email,
            phone=phone,
            messaging=f"Signal {phone}" if index % 3 == 0 else "",
            in_post=email not in LEFT_POST,
            left_post_at=now if email in LEFT_POST else None,
        )
        db.session.add(user)
        db.session.flush()
        db.session.add_all(ProfileExpertise(user_id=user.id, area=code) for code in areas)
        db.session.add_all(ProfileLanguage(user_id=user.id, code=code) for code in sorted(languages))
        created += 1

    if ADMIN_EMAIL not in existing:
        db.session.add(
            User(
                email=ADMIN_EMAIL,
                name="Network Secretariat",
                password_hash=password_hash,
                role=Role.ADMIN,
                status=AccountStatus.ACTIVE,
                approved_at=now,
                welcomed_at=now,
            )
        )
        created += 1

    index = 0
    for region, codes in GOVERNMENT.items():
        for iso3 in codes:
            add_member(
                f"fp.{iso3.lower()}@example.org", _person(rng, region), iso3, Network.GOVERNMENT, index
            )
            index += 1
    for email, iso3 in DEPUTIES:
        add_member(email, _person(rng, _region_of(iso3)), iso3, Network.GOVERNMENT, index)
        index += 1
    for iso3 in CIVIL_SOCIETY:
        add_member(
            f"cs.{iso3.lower()}@example.org",
            _person(rng, _region_of(iso3)),
            iso3,
            Network.CIVIL_SOCIETY,
            index,
        )
        index += 1
    for iso3 in PARLIAMENT:
        add_member(
            f"mp.{iso3.lower()}@example.org", _person(rng, _region_of(iso3)), iso3, Network.PARLIAMENT, index
        )
        index += 1

    pending = seed["pending_request"]
    if pending["email"] not in existing:
        user = User(
            email=pending["email"],
            name=pending["name"],
            password_hash=password_hash,
            status=AccountStatus.PENDING,
        )
        user.profile = FocalPointProfile(
            country_iso3=pending["country"],
            network=Network(pending["network"]),
            title=pending["title"],
            institution=pending["institution"],
        )
        db.session.add_all([user, AccessRequest(user=user, justification=pending["justification"])])
        created += 1

    db.session.flush()
    created += seed_organisations(password_hash, existing, now)
    treaties = _seed_treaties()
    assessments = _seed_assessments()
    maps = _seed_capacity(rng)
    seed_assistance()
    lessons = seed_lessons()
    events = seed_events(ADMIN_EMAIL)
    return (
        f"Demo network: {created} accounts, {treaties} treaty records, {assessments} assessments, "
        f"{maps} capacity maps, {lessons} lessons and {events} events added."
    )


def _seed_capacity(rng: random.Random) -> int:
    """Verified maps for two cycles for most demo countries, plus one draft and one returned map."""
    if db.session.scalar(select(CapacitySubmission.id).limit(1)):
        return 0
    categories = list(db.session.scalars(select(CapacityCategory).order_by(CapacityCategory.position)))
    if not categories:
        return 0
    countries = [iso3 for codes in GOVERNMENT.values() for iso3 in codes]
    texts = seed_file("network")["capacity"]
    added = 0
    for index, iso3 in enumerate(countries):
        author = db.session.scalar(select(User.id).where(User.email == f"fp.{iso3.lower()}@example.org"))
        plans = [(2025, SubmissionStatus.VERIFIED), (2026, SubmissionStatus.VERIFIED)]
        if index == 4:
            plans[1] = (2026, SubmissionStatus.DRAFT)
        elif index == 7:
            plans[1] = (2026, SubmissionStatus.RETURNED)
        for cycle, status in plans:
            submission = CapacitySubmission(
                country_iso3=iso3,
                network=Network.GOVERNMENT,
                cycle=cycle,
                status=status,
                created_by_id=author,
                submitted_at=None if status == SubmissionStatus.DRAFT else utcnow(),
                note=texts["return_note"] if status == SubmissionStatus.RETURNED else None,
            )
            db.session.add(submission)
            db.session.flush()
            for category in rng.sample(categories, k=rng.randint(4, 8)):
                kind = rng.choice(
                    [CapacityStatus.HAS, CapacityStatus.HAS, CapacityStatus.OFFERS, CapacityStatus.NEEDS]
                )
                db.session.add(
                    CapacityEntry(
                        submission_id=submission.id,
                        category_id=category.id,
                        status=kind,
                        maturity=rng.randint(1, 2) if kind == CapacityStatus.NEEDS else rng.randint(2, 4),
                        description=texts["descriptions"][kind.value],
                        institution=texts["institution"],
                        restricted=kind == CapacityStatus.NEEDS and rng.random() < 0.1,
                    )
                )
            added += 1
    db.session.flush()
    refresh_current_maps()
    return added


def _seed_assessments() -> int:
    """Demo assessments: drafts, versions with history, a few shared, one public.

    Every answer comes from the hand-written set in ``demo_assessments``: no judgement on a
    real State is drawn at random.
    """
    from r2p_network.assessments.queries import latest_template_version
    from r2p_network.assessments.schema import element_flags
    from r2p_network.assessments.services import record_actions

    template = latest_template_version("national-strategy")
    if template is None:
        return 0
    existing = set(db.session.scalars(select(Assessment.country_iso3)))
    added = 0
    for iso3, title, versions, draft in DEMO_ASSESSMENTS:
        if iso3 in existing:
            continue
        author = db.session.scalar(select(User.id).where(User.email == f"fp.{iso3.lower()}@example.org"))
        assessment = Assessment(
            country_iso3=iso3,
            network=Network.GOVERNMENT,
            title=title,
            template_version_id=template.id,
            answers={},
            created_by_id=author,
        )
        db.session.add(assessment)
        db.session.flush()
        for number, (visibility, answers) in enumerate(versions, start=1):
            db.session.add(
                AssessmentVersion(
                    assessment_id=assessment.id,
                    number=number,
                    template_version_id=template.id,
                    answers=copy.deepcopy(answers),
                    visibility=visibility,
                    submitted_by_id=author,
                    **element_flags(template.definition, answers),
                    shared_at=None if visibility == Visibility.PRIVATE else utcnow(),
                )
            )
            record_actions(assessment.id, number, answers)  # as submitting does: the dashboard's actions
        latest = draft if draft is not None else versions[-1][1]
        assessment.answers = copy.deepcopy(latest)
        assessment.status = AssessmentStatus.DRAFT if draft is not None else AssessmentStatus.SUBMITTED
        added += 1
    db.session.flush()
    return added


def _seed_treaties() -> int:
    """Rome Statute records for the demo countries, the Philippines and Hungary, if they have none yet.

    Two withdrawals are recorded as such, with their history: the Philippines' (in effect since
    17 March 2019) and Hungary's (notified in June 2025, in effect since 2 June 2026).
    """
    rome = seed_file("network")["rome_statute"]
    as_of = date.fromisoformat(rome["as_of"])
    known = set(
        db.session.scalars(
            select(TreatyStatus.country_iso3).where(TreatyStatus.instrument_slug == "rome-statute")
        )
    )
    countries = [iso3 for codes in GOVERNMENT.values() for iso3 in codes]
    countries += [iso3 for iso3 in rome["histories"] if iso3 not in countries]
    added = 0
    for iso3 in countries:
        if iso3 in known:
            continue
        common = {"country_iso3": iso3, "instrument_slug": "rome-statute", "source": rome["source"]}
        history = rome["histories"].get(iso3)
        if history is None:
            if iso3 in rome["not_party"]:
                status = TreatyParticipation.NOT_PARTY
            elif iso3 in rome["signatory"]:
                status = TreatyParticipation.SIGNATORY
            else:
                status = TreatyParticipation.PARTY
            db.session.add(TreatyStatus(status=status, as_of=as_of, **common))
            db.session.add(TreatyStatusChange(new_status=status, as_of=as_of, **common))
            added += 1
            continue
        law = history.get("implementing_legislation")
        previous: TreatyParticipation | None = None
        for change in history["changes"]:
            record = {
                "status": TreatyParticipation(change["status"]),
                "as_of": date.fromisoformat(change["as_of"]),
                "withdrawal_effective_on": date.fromisoformat(change["effective"])
                if "effective" in change
                else None,
                "implementing_legislation": law,
            }
            db.session.add(
                TreatyStatusChange(
                    old_status=previous,
                    new_status=record["status"],
                    **{k: v for k, v in record.items() if k != "status"},
                    **common,
                )
            )
            db.session.flush()  # the history lists changes made at the same moment by their ids
            previous = record["status"]
        db.session.add(TreatyStatus(**record, **common))
        added += 1
    db.session.flush()
    return added
