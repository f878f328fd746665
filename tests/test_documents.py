"""The document library: upload checks, private storage, permission-checked downloads, search, deletion."""

from __future__ import annotations

import io
import os
import socket
import struct
import tempfile
import threading
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from r2p_network.demo_events import docx_bytes, odt_bytes, pdf_bytes
from r2p_network.documents import extract, sniff
from r2p_network.documents.sniff import Refused, safe_filename
from r2p_network.events import services as event_services
from r2p_network.events.services import EventData
from r2p_network.extensions import db
from r2p_network.models import (
    AssessmentVersion,
    AuditEvent,
    Document,
    EventAudienceKind,
    EventKind,
    Network,
    Visibility,
)
from tests.conftest import count_queries, csrf_token, login, post_form
from tests.factories import make_assessment, make_lesson, make_member
from tests.test_organisations import make_seat

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(autouse=True)
def storage_folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_STORAGE_PATH", str(tmp_path / "store"))
    return tmp_path / "store"


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


@pytest.fixture
def gha(db_session):
    return make_member("GHA", email="gha@example.org")


@pytest.fixture
def per(db_session):
    return make_member("PER", email="per@example.org")


def _upload(client, content: bytes, filename: str, path: str = "/documents/new", **fields):
    data = {
        "csrf_token": csrf_token(client, path),
        "file": (io.BytesIO(content), filename),
        "title": fields.pop("title", "National action plan"),
        "kind": fields.pop("kind", "national_strategy"),
        "language": fields.pop("language", "en"),
        "visibility": fields.pop("visibility", "network"),
        **fields,
    }
    return client.post(path, data=data, content_type="multipart/form-data")


def _stored(storage_folder: Path) -> list[Path]:
    return [p for p in storage_folder.rglob("*") if p.is_file()] if storage_folder.exists() else []


def test_upload_stores_under_a_random_name_and_downloads_as_an_attachment(app, gha, per, storage_folder):
    client = _client(app, gha)
    content = pdf_bytes(["Coordination mechanism for atrocity prevention"])
    response = _upload(client, content, "plan.pdf", countries=["GHA"])
    assert response.status_code == 302, response.get_data(as_text=True)
    document = db.session.scalar(select(Document))
    assert document.content_type == "application/pdf" and document.filename == "plan.pdf"
    assert (document.country_iso3, document.network) == ("GHA", Network.GOVERNMENT)
    (path,) = _stored(storage_folder)
    assert path.name == document.storage_key and "plan" not in str(path)
    assert path.read_bytes() == content
    download = _client(app, per).get(f"/documents/{document.id}/download")
    assert download.status_code == 200 and download.data == content
    assert download.headers["Content-Disposition"] == "attachment; filename=plan.pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == "application/pdf"
    actions = [
        e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "document"))
    ]
    assert actions == ["document.upload", "document.download"]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (pdf_bytes(["x"]), "report.docx", "does not match its name"),  # spoofed extension
        (b"MZ\x90\x00\x03" + b"\x00" * 200, "setup.pdf", "not accepted"),  # a program named as a PDF
        (b"MZ\x90\x00\x03" + b"\x00" * 200, "setup.exe", "not accepted"),  # a disallowed type
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "image.png",
            "does not match",
        ),
        (b"<html><script>alert(1)</script></html>", "page.html", "does not match"),
        (b"PK\x03\x04" + b"\x00" * 100, "archive.docx", "not accepted"),  # a zip that is no Office file
        (b"", "empty.txt", "The file is empty"),
    ],
)
def test_refused_files(app, gha, storage_folder, content, filename, message):
    response = _upload(_client(app, gha), content, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert db.session.scalar(select(Document)) is None
    assert _stored(storage_folder) == []


def test_size_limit_per_file_and_per_request(app, gha, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_MAX_BYTES", 1000)
    client = _client(app, gha)
    response = _upload(client, b"a" * 1001, "notes.txt")
    assert response.status_code == 400
    assert "larger than" in response.get_data(as_text=True)
    # Far beyond the limit, the request itself is refused before it is read.
    response = _upload(client, b"a" * (1000 + 300 * 1024), "notes.txt")
    assert response.status_code == 413
    assert "larger than" in response.get_data(as_text=True)
    assert db.session.scalar(select(Document)) is None


def test_the_default_limit_is_20_megabytes(app):
    assert app.config["DOCUMENT_MAX_BYTES"] == 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\system.ini.txt", "system.ini.txt"),
        ("/absolute/path/plan.pdf", "plan.pdf"),
        ("..", "document"),
        (".hidden.txt", "hidden.txt"),
        ("rapport\x00évaluation.txt", "rapport_évaluation.txt"),
        ("план действий.txt", "план действий.txt"),
        ('a"b<c>.txt', "a_b_c_.txt"),
    ],
)
def test_path_tricks_in_file_names(name, clean):
    assert safe_filename(name) == clean


def test_path_tricks_never_reach_the_storage(app, gha, storage_folder):
    response = _upload(_client(app, gha), b"plain words", "../../../../tmp/evil.txt")
    assert response.status_code == 302
    document = db.session.scalar(select(Document))
    assert document.filename == "evil.txt"
    (path,) = _stored(storage_folder)
    assert path.is_relative_to(storage_folder)


def test_sniffer_recognises_the_allowed_types():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    assert sniff.sniff(png, "a.png").content_type == sniff.PNG
    assert sniff.sniff(b"\xff\xd8\xff\xe0" + b"\x00" * 20, "a.JPG").content_type == sniff.JPEG
    assert sniff.sniff(docx_bytes(["x"]), "a.docx").content_type == sniff.DOCX
    assert sniff.sniff(odt_bytes(["x"]), "a.odt").content_type == sniff.ODT
    assert sniff.sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "a.xls").content_type == sniff.XLS
    assert sniff.sniff(b"a;b\n1;2\n", "a.csv").content_type == sniff.CSV
    assert sniff.sniff("\ufeffالنص".encode(), "a.txt").content_type == sniff.TEXT
    with pytest.raises(Refused):
        sniff.sniff(odt_bytes(["x"]), "a.docx")
    with pytest.raises(Refused):
        sniff.sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "a.msi")


def test_text_extraction():
    assert "Coordination" in extract.text_of(pdf_bytes(["Coordination mechanism"]), sniff.PDF)
    assert extract.text_of(docx_bytes(["Early warning", "R&D"]), sniff.DOCX) == "Early warning R&D"
    assert extract.text_of(odt_bytes(["Alerte précoce"]), sniff.ODT) == "Alerte précoce"
    assert extract.text_of(b"%PDF-1.4 broken", sniff.PDF) == ""


def test_search_finds_content_in_any_language(app, gha):
    client = _client(app, gha)
    _upload(
        client,
        odt_bytes(["Les mécanismes nationaux de protections des populations"]),
        "fr.odt",
        language="fr",
    )
    _upload(
        client, docx_bytes(["Национальные механизмы предупреждения"]), "ru.docx", title="План", language="ru"
    )
    _upload(client, pdf_bytes(["Unrelated budget figures"]), "other.pdf", title="Budget", kind="report")
    page = client.get("/documents/?q=protection").get_data(as_text=True)
    assert "National action plan" in page and "Budget" not in page
    assert "План" in client.get("/documents/?q=механизм").get_data(as_text=True)
    assert "Budget" in client.get("/documents/?q=budget&kind=report").get_data(as_text=True)
    assert "Budget" not in client.get("/documents/?q=budget&kind=statement").get_data(as_text=True)


def test_filters_by_country_region_and_event(app, gha, admin):
    client = _client(app, gha)
    _upload(client, b"text", "a.txt", title="Ghana plan", countries=["GHA"])
    _upload(client, b"text", "b.txt", title="Peru plan", countries=["PER"])
    assert "Peru plan" not in client.get("/documents/?country=GHA").get_data(as_text=True)
    page = client.get("/documents/?region=011").get_data(as_text=True)  # Western Africa
    assert "Ghana plan" in page and "Peru plan" not in page
    event = event_services.create_event(
        admin,
        EventData(
            kind=EventKind.WEBINAR,
            title="Webinar",
            starts=datetime(2030, 1, 1, 9),
            ends=datetime(2030, 1, 1, 10),
            time_zone="UTC",
            audiences=[(EventAudienceKind.NETWORK, "")],
        ),
    )
    admin_client = _client(app, admin)
    response = _upload(
        admin_client, b"agenda", "agenda.txt", path=f"/documents/new?event={event.id}", title="Agenda"
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/events/{event.id}#documents"
    )
    assert "Agenda" in client.get(f"/events/{event.id}").get_data(as_text=True)
    page = client.get(f"/documents/?event={event.id}").get_data(as_text=True)
    assert "Agenda" in page and "Ghana plan" not in page


# Who reads a library document of the Ghana government team, by its visibility.
@pytest.mark.parametrize(
    ("visibility", "readers"),
    [
        ("private", {"owner", "teammate"}),
        ("network", {"owner", "teammate", "other", "admin"}),
        ("public", {"owner", "teammate", "other", "admin", "anonymous"}),
    ],
)
def test_library_visibility_matrix(app, gha, per, admin, visibility, readers):
    teammate = make_member("GHA", email="gha2@example.org")
    _upload(_client(app, gha), b"CANARY text", "canary.txt", title="CANARY doc", visibility=visibility)
    document = db.session.scalar(select(Document))
    clients = {
        "owner": _client(app, gha),
        "teammate": _client(app, teammate),
        "other": _client(app, per),
        "admin": _client(app, admin),
        "anonymous": app.test_client(),
    }
    for name, client in clients.items():
        listed = "CANARY doc" in client.get("/documents/?q=canary").get_data(as_text=True)
        detail = client.get(f"/documents/{document.id}").status_code
        download = client.get(f"/documents/{document.id}/download").status_code
        if name in readers:
            assert (listed, detail, download) == (True, 200, 200), name
        else:
            assert (listed, detail, download) == (False, 404, 404), name
    downloads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "document.download")).all()
    assert len(downloads) == (0 if visibility == "public" else len(readers))


# Who reads a library document shared by the ECOWAS seat: "our team" is the organisation's focal
# points, never the teams of its member States nor another organisation's seat.
@pytest.mark.parametrize(
    ("visibility", "readers"),
    [
        ("private", {"owner", "colleague"}),
        ("network", {"owner", "colleague", "member_state", "other_seat", "admin"}),
    ],
)
def test_an_organisation_seat_shares_with_its_own_focal_points(app, gha, admin, visibility, readers):
    owner = make_seat("ecowas", "ECOWAS focal point", email="seat.ecowas@example.org")
    colleague = make_seat("ecowas", "ECOWAS colleague", email="seat.ecowas2@example.org")
    other_seat = make_seat("au", "AU focal point", email="seat.au@example.org")
    form = _client(app, owner).get("/documents/new").get_data(as_text=True)
    assert 'value="private"' in form
    _upload(_client(app, owner), b"CANARY text", "canary.txt", title="CANARY doc", visibility=visibility)
    document = db.session.scalar(select(Document))
    assert (document.organisation_slug, document.country_iso3, document.network) == ("ecowas", None, None)
    clients = {
        "owner": _client(app, owner),
        "colleague": _client(app, colleague),
        "member_state": _client(app, gha),
        "other_seat": _client(app, other_seat),
        "admin": _client(app, admin),
        "anonymous": app.test_client(),
    }
    for name, client in clients.items():
        listed = "CANARY doc" in client.get("/documents/?q=canary").get_data(as_text=True)
        detail = client.get(f"/documents/{document.id}").status_code
        if name in readers:
            assert (listed, detail) == (True, 200), name
        else:
            assert (listed, detail) == (False, 404), name


def test_a_private_strategy_attachment_never_reaches_other_teams(app, gha, per, admin):
    assessment = make_assessment("GHA", Network.GOVERNMENT, versions=[({}, Visibility.PRIVATE)])
    version = db.session.scalar(
        select(AssessmentVersion).where(AssessmentVersion.assessment_id == assessment.id)
    )
    assert version.visibility == Visibility.PRIVATE
    owner = _client(app, gha)
    path = f"/documents/new?version={version.id}"
    assert (
        _upload(owner, b"CANARY risk notes", "notes.txt", path=path, title="CANARY annex").status_code == 302
    )
    document = db.session.scalar(select(Document))
    assert document.assessment_version_id == version.id
    assert owner.get(f"/documents/{document.id}/download").status_code == 200
    version_page = f"/assessments/{assessment.id}/versions/{version.number}"
    assert "CANARY annex" in owner.get(version_page).get_data(as_text=True)
    civil_society = make_member("GHA", Network.CIVIL_SOCIETY, email="gha.cs@example.org")
    for outsider in (per, admin, civil_society):
        client = _client(app, outsider)
        assert client.get(f"/documents/{document.id}").status_code == 404
        assert client.get(f"/documents/{document.id}/download").status_code == 404
        assert "CANARY" not in client.get("/documents/?q=canary").get_data(as_text=True)
        assert client.get(path).status_code == 404  # nor may they attach to it
        assert "CANARY" not in client.get(version_page).get_data(as_text=True)
    assert app.test_client().get(f"/documents/{document.id}/download").status_code == 404
    # Shared with the network, the version's attachment is readable as the version is.
    version.visibility = Visibility.NETWORK
    db.session.flush()
    assert _client(app, per).get(f"/documents/{document.id}/download").status_code == 200


def test_lesson_attachments_follow_the_lesson(app, gha, per):
    lesson = make_lesson(gha, status="draft")
    owner = _client(app, gha)
    assert _upload(owner, b"annex", "annex.txt", path=f"/documents/new?lesson={lesson.id}").status_code == 302
    document = db.session.scalar(select(Document))
    other = _client(app, per)
    assert other.get(f"/documents/{document.id}/download").status_code == 404
    assert other.get(f"/documents/new?lesson={lesson.id}").status_code == 404
    published = make_lesson(gha, status="published", visibility="network")
    assert other.get(f"/documents/new?lesson={published.id}").status_code == 403
    document.lesson_id = published.id
    db.session.flush()
    assert other.get(f"/documents/{document.id}/download").status_code == 200
    assert app.test_client().get(f"/documents/{document.id}/download").status_code == 404


def test_only_organisers_attach_to_events(app, gha, admin):
    event = event_services.create_event(
        admin,
        EventData(
            kind=EventKind.TRAINING,
            title="Training",
            starts=datetime(2030, 1, 1, 9),
            ends=datetime(2030, 1, 1, 10),
            time_zone="UTC",
            audiences=[(EventAudienceKind.TEAM, "PER:government")],
        ),
    )
    assert _client(app, gha).get(f"/documents/new?event={event.id}").status_code == 404
    # Peru's team sees the event but does not organise it.
    peru = _client(app, make_member("PER", email="p2@example.org"))
    assert peru.get(f"/documents/new?event={event.id}").status_code == 403
    assert _client(app, admin).get(f"/documents/new?event={event.id}").status_code == 200


def test_deletion_removes_the_file_and_keeps_the_audit(app, gha, per, storage_folder):
    owner = _client(app, gha)
    _upload(owner, b"to be deleted", "gone.txt", title="Ephemeral")
    document = db.session.scalar(select(Document))
    document_id = document.id
    assert post_form(_client(app, per), f"/documents/{document_id}/delete", {}).status_code == 403
    response = post_form(owner, f"/documents/{document_id}/delete", {})
    assert response.status_code == 302, response.headers["Location"]
    assert response.headers["Location"] == "/documents/"
    assert db.session.scalar(select(Document.id).where(Document.id == document_id)) is None
    assert _stored(storage_folder) == []
    deleted = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "document.delete"))
    assert deleted.object_id == str(document_id) and deleted.detail["filename"] == "gone.txt"
    assert "Ephemeral" not in owner.get("/documents/?q=ephemeral").get_data(as_text=True)


class FakeClamd:
    """A tiny clamd speaking INSTREAM on a unix socket: FOUND for the EICAR test string, OK otherwise."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(4)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += conn.recv(1)
                assert command == b"zINSTREAM\0"
                data = b""
                while True:
                    (size,) = struct.unpack("!L", self._exactly(conn, 4))
                    if size == 0:
                        break
                    data += self._exactly(conn, size)
                verdict = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
                conn.sendall(verdict)

    @staticmethod
    def _exactly(conn: socket.socket, size: int) -> bytes:
        out = b""
        while len(out) < size:
            out += conn.recv(size - len(out))
        return out

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def clamd(app, monkeypatch):
    folder = tempfile.mkdtemp(prefix="clamd")  # short: unix socket paths are limited in length
    path = os.path.join(folder, "s")
    server = FakeClamd(path)
    monkeypatch.setitem(app.config, "CLAMD_SOCKET", path)
    yield server
    server.close()


def test_clamd_scanning_refuses_infected_files(app, gha, clamd, storage_folder):
    client = _client(app, gha)
    infected = _upload(client, EICAR, "eicar.txt")
    assert infected.status_code == 400
    assert "virus scanner found a threat" in infected.get_data(as_text=True)
    assert _stored(storage_folder) == []
    assert _upload(client, b"clean words " * 30000, "clean.txt").status_code == 302


def test_an_unreachable_clamd_refuses_the_upload(app, gha, monkeypatch, storage_folder):
    monkeypatch.setitem(app.config, "CLAMD_SOCKET", "/nonexistent/clamd.sock")
    response = _upload(_client(app, gha), b"words", "a.txt")
    assert response.status_code == 400
    assert "cannot check files" in response.get_data(as_text=True)
    assert _stored(storage_folder) == []


def test_upload_needs_a_member(app):
    assert app.test_client().get("/documents/new").status_code == 302


def test_documents_of_an_event_the_reader_cannot_see_stay_hidden(app, gha, admin):
    event = event_services.create_event(
        admin,
        EventData(
            kind=EventKind.WORKING_GROUP,
            title="Working group",
            starts=datetime(2030, 1, 1, 9),
            ends=datetime(2030, 1, 1, 10),
            time_zone="UTC",
            audiences=[(EventAudienceKind.TEAM, "PER:government")],
        ),
    )
    _upload(
        _client(app, admin), b"CANARY notes", "n.txt", path=f"/documents/new?event={event.id}", title="CANARY"
    )
    document = db.session.scalar(select(Document))
    client = _client(app, gha)
    assert "CANARY" not in client.get("/documents/?q=canary").get_data(as_text=True)
    assert client.get(f"/documents/{document.id}/download").status_code == 404
    peru = _client(app, make_member("PER", email="p3@example.org"))
    assert peru.get(f"/documents/{document.id}/download").status_code == 200


def test_library_runs_a_constant_number_of_queries(app, gha):
    client = _client(app, gha)
    _upload(client, b"first text", "a.txt", title="First", countries=["GHA"])
    client.get("/documents/?q=first")
    with count_queries() as few:
        client.get("/documents/?q=text")
    for n in range(5):
        _upload(client, b"text", f"{n}.txt", title=f"Doc {n}", countries=["GHA", "SEN"])
    with count_queries() as many:
        client.get("/documents/?q=text")
    assert len(many) == len(few)
