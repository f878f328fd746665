"""The demo network: an administrator, focal points in every region, a pending request.

Every person and institution detail here is invented for demonstration. Running
the seed again adds only what is missing.
"""

from __future__ import annotations

import copy
import random
from datetime import date

from sqlalchemy import select

from r2p_network.auth.passwords import hash_password
from r2p_network.capacity.services import refresh_current_maps
from r2p_network.demo_assessments import DEMO_ASSESSMENTS
from r2p_network.demo_lessons import seed_lessons
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
PENDING = ("req.mwi@example.org", "Chikondi Banda", "MWI", Network.CIVIL_SOCIETY)

# Given and family names by M49 region, combined at random (fixed seed).
NAMES = {
    "002": (
        [
            "Ama",
            "Kwame",
            "Wanjiru",
            "Ousmane",
            "Fatou",
            "Aminata",
            "Chinedu",
            "Thandiwe",
            "Baraka",
            "Aïcha",
            "Kofi",
            "Zanele",
            "Moussa",
            "Nadia",
        ],
        [
            "Mensah",
            "Otieno",
            "Diallo",
            "Traoré",
            "Okafor",
            "Ndlovu",
            "Mwangi",
            "Koné",
            "Sesay",
            "Kamara",
            "Nkosi",
            "Mutua",
            "Bello",
            "Achieng",
        ],
    ),
    "019": (
        [
            "María",
            "Lucía",
            "Carlos",
            "Ana",
            "João",
            "Camila",
            "Diego",
            "Valentina",
            "Sofía",
            "Andrés",
            "Beatriz",
            "Rafael",
        ],
        [
            "Rodríguez",
            "Silva",
            "Mora",
            "Gómez",
            "Santos",
            "Herrera",
            "Castillo",
            "Pereira",
            "Vargas",
            "Jiménez",
            "Rojas",
            "Costa",
        ],
    ),
    "142": (
        [
            "Aizhan",
            "Siti",
            "Maria",
            "Niran",
            "Hiroshi",
            "Ji-woo",
            "Bat-Erdene",
            "Layla",
            "Rahim",
            "Dewi",
            "Tomás",
            "Aigerim",
        ],
        [
            "Asanova",
            "Rahmawati",
            "Santos",
            "Chaiyaporn",
            "Tanaka",
            "Kim",
            "Ganbaatar",
            "Haddad",
            "Karimov",
            "Putri",
            "Reyes",
            "Soares",
        ],
    ),
    "150": (
        [
            "Mette",
            "Lukas",
            "Sophie",
            "Jan",
            "Claire",
            "Anna",
            "Pedro",
            "Ivana",
            "Matej",
            "Aino",
            "Siobhán",
            "Henrik",
        ],
        [
            "Jensen",
            "Müller",
            "Dubois",
            "de",
            "Vries",
            "Ferreira",
            "Horvat",
            "Novak",
            "Virtanen",
            "Murphy",
            "Smith",
            "Keller",
            "Larsen",
        ],
    ),
    "009": (
        ["Olivia", "Jack", "Mere", "Aroha", "Sione", "Ruby", "Liam", "Ana"],
        ["Nguyen", "Williams", "Ratu", "Tane", "Taufa", "Campbell", "Walker", "Kata"],
    ),
}

TITLES = {
    Network.GOVERNMENT: [
        ("Director, Human Rights and Humanitarian Affairs", "Ministry of Foreign Affairs"),
        ("Senior Adviser on Atrocity Prevention", "Office of the President"),
        ("Head of the Multilateral Affairs Division", "Ministry of Foreign Affairs"),
        ("Deputy Director, Conflict Prevention", "Ministry of Foreign Affairs and International Cooperation"),
        ("Legal Adviser, International Law Department", "Ministry of Justice"),
        ("Coordinator, National Early Warning Centre", "Ministry of Interior"),
    ],
    Network.CIVIL_SOCIETY: [
        ("Programme Director", "Centre for Peace and Human Rights"),
        ("Executive Director", "Network for Conflict Prevention"),
        ("Researcher, Early Warning Programme", "Institute for Democratic Governance"),
    ],
    Network.PARLIAMENT: [
        ("Member of Parliament, Foreign Affairs Committee", "National Assembly"),
        ("Chair, Human Rights Committee", "Parliament"),
    ],
}

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
BIO = (
    "Works on the prevention of atrocity crimes in national policy, coordinating between "
    "ministries and with partners in the region. Main areas of work: {expertise}."
)

# Rome Statute participation of the demo countries (UN Treaty Collection, chapter XVIII.10).
# The Philippines withdrew with effect from March 2019; the others never ratified.
ROME_STATUTE_NOT_PARTY = {"RWA", "USA", "IDN", "QAT", "PHL"}
ROME_STATUTE_SIGNATORY = {"MOZ", "THA", "KGZ"}
TREATY_SOURCE = "UN Treaty Collection, status of treaties (demo seed: check before relying on it)"
TREATY_AS_OF = date(2025, 11, 30)

JUSTIFICATION = (
    "Nominated by our coalition of human-rights organisations to act as the civil-society "
    "focal point and to coordinate with the government focal point."
)


def _person(rng: random.Random, region: str) -> str:
    given, family = NAMES[region]
    return f"{rng.choice(given)} {rng.choice(family)}"


def _region_of(iso3: str) -> str:
    for region, codes in GOVERNMENT.items():
        if iso3 in codes:
            return region
    raise KeyError(iso3)


def seed_demo(password: str) -> str:
    """Create the demo accounts that are missing; return a one-line summary."""
    # Deterministic demo data, not a security use of randomness.
    rng = random.Random(2026)  # nosec B311
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
        title, institution = TITLES[network][index % len(TITLES[network])]
        user = User(
            email=email,
            name=name,
            password_hash=password_hash,
            role=Role.FOCAL_POINT,
            status=AccountStatus.ACTIVE,
            approved_at=now,
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
            bio=BIO.format(expertise=labels),
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

    email, name, iso3, network = PENDING
    if email not in existing:
        user = User(email=email, name=name, password_hash=password_hash, status=AccountStatus.PENDING)
        user.profile = FocalPointProfile(
            country_iso3=iso3,
            network=network,
            title="Coordinator",
            institution="Malawi Human Rights Coalition",
        )
        db.session.add_all([user, AccessRequest(user=user, justification=JUSTIFICATION)])
        created += 1

    db.session.flush()
    treaties = _seed_treaties()
    assessments = _seed_assessments()
    maps = _seed_capacity(rng)
    lessons = seed_lessons()
    return (
        f"Demo network: {created} accounts, {treaties} treaty records, {assessments} assessments, "
        f"{maps} capacity maps and {lessons} lessons added."
    )


CAPACITY_DESCRIPTIONS = {
    CapacityStatus.HAS: "A national unit works on this, with staff and a budget line.",
    CapacityStatus.OFFERS: "Experts and training modules available to partner countries on request.",
    CapacityStatus.NEEDS: "Support wanted to set this up: expertise, training or funding.",
}


def _seed_capacity(rng: random.Random) -> int:
    """Verified maps for two cycles for most demo countries, plus one draft and one returned map."""
    if db.session.scalar(select(CapacitySubmission.id).limit(1)):
        return 0
    categories = list(db.session.scalars(select(CapacityCategory).order_by(CapacityCategory.position)))
    if not categories:
        return 0
    countries = [iso3 for codes in GOVERNMENT.values() for iso3 in codes]
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
                note="Please name the responsible institution for each need."
                if status == SubmissionStatus.RETURNED
                else None,
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
                        description=CAPACITY_DESCRIPTIONS[kind],
                        institution="Ministry of Foreign Affairs",
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
        latest = draft if draft is not None else versions[-1][1]
        assessment.answers = copy.deepcopy(latest)
        assessment.status = AssessmentStatus.DRAFT if draft is not None else AssessmentStatus.SUBMITTED
        added += 1
    db.session.flush()
    return added


def _seed_treaties() -> int:
    """Rome Statute records for the demo countries that have none yet."""
    known = set(
        db.session.scalars(
            select(TreatyStatus.country_iso3).where(TreatyStatus.instrument_slug == "rome-statute")
        )
    )
    added = 0
    for codes in GOVERNMENT.values():
        for iso3 in codes:
            if iso3 in known:
                continue
            if iso3 in ROME_STATUTE_NOT_PARTY:
                status = TreatyParticipation.NOT_PARTY
            elif iso3 in ROME_STATUTE_SIGNATORY:
                status = TreatyParticipation.SIGNATORY
            else:
                status = TreatyParticipation.PARTY
            common = {"country_iso3": iso3, "instrument_slug": "rome-statute", "source": TREATY_SOURCE}
            db.session.add(TreatyStatus(status=status, as_of=TREATY_AS_OF, **common))
            db.session.add(TreatyStatusChange(new_status=status, as_of=TREATY_AS_OF, **common))
            added += 1
    db.session.flush()
    return added
