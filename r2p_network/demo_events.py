"""Demo meetings and documents: a past annual meeting with its summary and action points, an upcoming
regional meeting with registrations, a webinar, and small documents generated here.

The texts are invented for demonstration and attribute no risk judgement to any State. Running the
seed again adds nothing once the annual meeting exists.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from r2p_network.documents.services import Attachment, DocumentData, upload
from r2p_network.events.services import (
    EventData,
    add_action_point,
    create_event,
    publish_summary,
    register,
)
from r2p_network.extensions import db
from r2p_network.models import (
    DocumentKind,
    Event,
    EventAudienceKind,
    EventKind,
    Network,
    User,
    Visibility,
    team_key,
    utcnow,
)

ANNUAL_TITLE = "Annual meeting of the focal points network"


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF showing *lines* (ASCII), with its text extractable."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 12 Tf 72 720 Td 16 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A minimal Word document holding *paragraphs*."""
    body = "".join(f"<w:p><w:r><w:t>{_xml(p)}</w:t></w:r></w:p>" for p in paragraphs)
    return _zip(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
            "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>',
        }
    )


def odt_bytes(paragraphs: list[str]) -> bytes:
    """A minimal OpenDocument text holding *paragraphs*."""
    body = "".join(f"<text:p>{_xml(p)}</text:p>" for p in paragraphs)
    return _zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
            'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
            f"<office:body><office:text>{body}</office:text></office:body></office:document-content>",
        }
    )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            # ODF wants its "mimetype" first and uncompressed.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), text.encode("utf-8"), compress_type=method)
    return buffer.getvalue()


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).options(selectinload(User.profile)).where(User.email == email))


def _team(iso3: str, network: Network) -> tuple[EventAudienceKind, str]:
    return EventAudienceKind.TEAM, team_key(iso3, network)


def _at(days: int, hour: int) -> datetime:
    """A wall-clock time *days* from today (naive: a time at the place)."""
    day = utcnow().date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0)


def seed_events(admin_email: str) -> int:
    """Add the demo meetings and their documents unless the annual meeting exists; return how many events."""
    admin = _user(admin_email)
    if admin is None or db.session.scalar(select(Event.id).where(Event.title == ANNUAL_TITLE)):
        return 0
    network = [(EventAudienceKind.NETWORK, "")]
    annual = create_event(
        admin,
        EventData(
            kind=EventKind.ANNUAL_MEETING,
            title=ANNUAL_TITLE,
            description="Two days on **prevention in national policy**, peer learning and the work plan.",
            starts=_at(-60, 9),
            ends=_at(-59, 17),
            time_zone="Europe/Zurich",
            audiences=network,
            place="Geneva",
            languages=["en", "fr", "es"],
        ),
    )
    publish_summary(
        annual,
        admin,
        "Focal points compared how their ministries coordinate on prevention and agreed three priorities "
        "for the year:\n\n- share national action plans in the library;\n- run a training on early warning;\n"
        "- prepare the regional meetings.",
    )
    for text, owner, days in (
        ("Share the national action plan in the library", _team("GHA", Network.GOVERNMENT), 30),
        ("Propose speakers for the early-warning webinar", _team("CRI", Network.GOVERNMENT), 20),
        ("Circulate the civil-society consultation report", _team("KEN", Network.CIVIL_SOCIETY), 45),
        ("Present the continental early-warning system", (EventAudienceKind.ORG_SEAT, "au"), 25),
    ):
        add_action_point(annual, admin, text, owner, utcnow().date() + timedelta(days=days))
    _attach(
        admin,
        annual,
        "Chair's summary",
        DocumentKind.REPORT,
        "chairs-summary.pdf",
        pdf_bytes(
            ["Chair's summary (demonstration)", "Prevention in national policy", "Work plan for the year"]
        ),
    )

    regional = create_event(
        admin,
        EventData(
            kind=EventKind.REGIONAL_MEETING,
            title="West African regional meeting",
            description="Focal points of the region meet to compare coordination mechanisms.",
            starts=_at(40, 9),
            ends=_at(41, 16),
            time_zone="Africa/Accra",
            audiences=[(EventAudienceKind.ORG, "ecowas"), (EventAudienceKind.ORG_SEAT, "ecowas")],
            place="Accra",
            languages=["en", "fr"],
            registration_open=True,
            capacity=40,
            deadline=_at(30, 17),
        ),
    )
    _attach(
        admin,
        regional,
        "Draft agenda",
        DocumentKind.OTHER,
        "agenda.docx",
        docx_bytes(
            [
                "Draft agenda (demonstration)",
                "Day one: national coordination mechanisms",
                "Day two: early warning",
            ]
        ),
    )
    for email in ("fp.gha@example.org", "fp.sen@example.org", "fp.nga@example.org"):
        member = _user(email)
        if member is not None:
            register(regional, member)

    create_event(
        admin,
        EventData(
            kind=EventKind.WEBINAR,
            title="Webinar: early warning and the Framework of Analysis",
            description="One hour on using the risk factors and indicators in national early-warning work.",
            starts=_at(14, 14),
            ends=_at(14, 15),
            time_zone="UTC",
            audiences=[*network, (EventAudienceKind.PUBLIC, "")],
            online_url="https://meet.example.org/r2p-webinar",
            languages=["en"],
            registration_open=True,
        ),
    )
    fp = _user("fp.gha@example.org")
    if fp is not None:
        upload(
            fp,
            DocumentData(
                title="Terms of reference of the national focal point (demonstration)",
                kind=DocumentKind.TERMS_OF_REFERENCE,
                language="en",
                visibility=Visibility.NETWORK,
                countries=["GHA"],
            ),
            odt_bytes(
                ["Terms of reference (demonstration)", "The focal point convenes the ministries concerned."]
            ),
            "terms-of-reference.odt",
            Attachment(),
        )
    return 3


def _attach(admin: User, event: Event, title: str, kind: DocumentKind, filename: str, content: bytes) -> None:
    upload(
        admin,
        DocumentData(title=title, kind=kind, language="en", visibility=Visibility.NETWORK),
        content,
        filename,
        Attachment(event=event),
    )
