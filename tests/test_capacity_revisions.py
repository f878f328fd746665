"""Revising a verified capacity map: copy, edit, verify, and only then replace the current map."""

from __future__ import annotations

from sqlalchemy import func, select

from r2p_network.capacity.submission_queries import revision_diff
from r2p_network.extensions import db
from r2p_network.models import CapacityEntry, CapacitySubmission, Network, SubmissionStatus
from tests.conftest import login, post_form
from tests.factories import make_member
from tests.test_capacity import _csv, make_map


def _entries(submission_id: int) -> dict[int, CapacityEntry]:
    return {
        e.id: e
        for e in db.session.scalars(select(CapacityEntry).where(CapacityEntry.submission_id == submission_id))
    }


def _revise(client, source_id: int):
    base = f"/capacity/submissions/{source_id}"
    return post_form(client, f"{base}/revise", {}, form_page=base)


def test_a_revision_copies_is_edited_and_replaces_the_map_only_once_verified(member_client, admin_client):
    source = make_map(
        "GHA",
        2026,
        [
            ("mediation", "offers", 3, "Mediators on call"),
            ("early-warning", "needs", 1, "Warning desk"),
            ("training", "has", 2, "Academy"),
        ],
    )
    db.session.commit()
    page = member_client.get(f"/capacity/submissions/{source.id}").get_data(as_text=True)
    assert "Start a revision from this map" in page
    response = _revise(member_client, source.id)
    revision = db.session.scalar(select(CapacitySubmission).where(CapacitySubmission.revises_id == source.id))
    assert response.headers["Location"].endswith(f"/capacity/submissions/{revision.id}")
    assert (revision.cycle, revision.revision, revision.status) == (2026, 1, SubmissionStatus.DRAFT)
    copies = _entries(revision.id)
    originals = _entries(source.id)
    assert sorted(e.description for e in copies.values()) == sorted(e.description for e in originals.values())
    assert {e.origin_id for e in copies.values()} == set(originals)
    # A second click continues the same revision.
    again = _revise(member_client, source.id)
    assert again.headers["Location"].endswith(f"/capacity/submissions/{revision.id}")
    assert "Continue the revision" in member_client.get(f"/capacity/submissions/{source.id}").get_data(
        as_text=True
    )

    base = f"/capacity/submissions/{revision.id}"
    by_text = {e.description: e for e in copies.values()}
    edit = f"{base}/entries/{by_text['Mediators on call'].id}/edit"
    form = member_client.get(edit).get_data(as_text=True)
    assert "Mediators on call" in form
    response = post_form(
        member_client,
        edit,
        {"category": "mediation", "status": "offers", "maturity": "4", "description": "Mediators, now 12"},
        form_page=edit,
    )
    assert response.status_code == 302
    post_form(member_client, f"{base}/entries/{by_text['Academy'].id}/delete", {}, form_page=base)
    post_form(
        member_client,
        f"{base}/entries",
        {"category": "funding", "status": "offers", "maturity": "2", "description": "Small grants"},
        form_page=base,
    )
    # Not yet verified: the network map still shows the verified map.
    assert {r["description"] for r in _csv(member_client)} == {"Mediators on call", "Warning desk", "Academy"}
    post_form(member_client, f"{base}/submit", {}, form_page=base)
    assert {r["description"] for r in _csv(member_client)} == {"Mediators on call", "Warning desk", "Academy"}

    queue = admin_client.get("/capacity/verification").get_data(as_text=True)
    assert "Changes from the current map" in queue
    assert "This revision removes 1 entry from the current map." in queue
    for text in ("Mediators on call", "Mediators, now 12", "Academy", "Small grants"):
        assert text in queue
    moderation = admin_client.get(f"/admin/moderation?open=capacity-{revision.id}").get_data(as_text=True)
    assert "This revision removes 1 entry" in moderation

    post_form(admin_client, f"{base}/verify", {}, form_page="/capacity/verification")
    db.session.expire_all()
    old, new = db.session.get(CapacitySubmission, source.id), db.session.get(CapacitySubmission, revision.id)
    assert (old.replaced_by_id, old.is_current, new.status, new.is_current) == (
        new.id,
        False,
        SubmissionStatus.VERIFIED,
        True,
    )
    assert {r["description"] for r in _csv(member_client)} == {
        "Mediators, now 12",
        "Warning desk",
        "Small grants",
    }
    # The cycle filter shows the cycle once, from the revision.
    assert {r["description"] for r in _csv(member_client, "?cycle=2026")} == {
        "Mediators, now 12",
        "Warning desk",
        "Small grants",
    }
    listing = member_client.get("/capacity/submissions/").get_data(as_text=True)
    assert "Replaced by a revision" in listing and "Revision 1" in listing
    replaced = member_client.get(f"/capacity/submissions/{source.id}").get_data(as_text=True)
    assert "A verified revision has replaced this map" in replaced
    assert "Start a revision from this map" not in replaced
    # Only the map on the network map can be revised.
    response = _revise(member_client, source.id)
    assert db.session.scalar(select(func.count()).select_from(CapacitySubmission)) == 2
    assert response.status_code == 302


def test_the_difference_names_added_changed_and_removed_entries(db_session):
    source = make_map(
        "GHA",
        2026,
        [("mediation", "offers", 3, "A"), ("training", "has", 2, "B"), ("funding", "needs", 1, "C")],
    )
    revision = CapacitySubmission(
        country_iso3="GHA", network=Network.GOVERNMENT, cycle=2026, revision=1, revises_id=source.id
    )
    db.session.add(revision)
    db.session.flush()
    originals = {e.description: e for e in _entries(source.id).values()}
    db.session.add_all(
        [
            CapacityEntry(
                submission_id=revision.id,
                category_id=originals["A"].category_id,
                status=originals["A"].status,
                maturity=3,
                description="A",
                origin_id=originals["A"].id,
            ),
            CapacityEntry(
                submission_id=revision.id,
                category_id=originals["B"].category_id,
                status=originals["B"].status,
                maturity=4,
                description="B",
                contact="desk@example.org",
                origin_id=originals["B"].id,
            ),
            CapacityEntry(
                submission_id=revision.id,
                category_id=originals["C"].category_id,
                status=originals["C"].status,
                maturity=1,
                description="D",
            ),
        ]
    )
    db.session.flush()
    diff = revision_diff(revision.id, source.id)
    kinds = sorted((c.kind, (c.after or c.before)[0].description, c.fields) for c in diff.changes)
    assert kinds == [("added", "D", ()), ("changed", "B", ("maturity", "contact")), ("removed", "C", ())]
    assert (diff.unchanged, diff.removed) == (1, 1)


def test_revisions_are_the_teams_own(app, member, admin_client):
    source = make_map("GHA", 2026, [("mediation", "offers", 3, "Mine")])
    db.session.commit()
    other = app.test_client()
    login(other, make_member("KEN").email)
    assert _revise(other, source.id).status_code == 404
    same_country = app.test_client()
    login(same_country, make_member("GHA", Network.CIVIL_SOCIETY).email)
    assert _revise(same_country, source.id).status_code == 404
    # Administrators verify maps; they do not revise a team's map.
    assert _revise(admin_client, source.id).status_code == 404
    owner = app.test_client()
    login(owner, member.email)
    revision = db.session.get(
        CapacitySubmission, int(_revise(owner, source.id).headers["Location"].rsplit("/", 1)[1])
    )
    entry = next(iter(_entries(revision.id)))
    edit = f"/capacity/submissions/{revision.id}/entries/{entry}/edit"
    assert other.get(edit).status_code == 404
    assert admin_client.get(edit).status_code == 404
    assert owner.get(f"/capacity/submissions/{revision.id}/entries/{entry + 999}/edit").status_code == 404
    # A submitted revision is no longer editable.
    post_form(owner, f"/capacity/submissions/{revision.id}/submit", {}, form_page="/")
    response = owner.get(edit, follow_redirects=True)
    assert "can no longer be edited" in response.get_data(as_text=True)


def test_new_entries_take_institution_and_contact_from_the_previous_entry_or_the_profile(
    member_client, member
):
    member.profile.institution = "Ministry of Foreign Affairs"
    member.profile.contact_email = "fp@example.gov"
    submission = make_map("GHA", 2026, [], status=SubmissionStatus.DRAFT)
    db.session.commit()
    base = f"/capacity/submissions/{submission.id}"
    page = member_client.get(base).get_data(as_text=True)
    assert 'value="Ministry of Foreign Affairs"' in page and 'value="fp@example.gov"' in page
    post_form(
        member_client,
        f"{base}/entries",
        {
            "category": "mediation",
            "status": "offers",
            "maturity": "3",
            "description": "x",
            "institution": "Peace Council",
            "contact": "council@example.gov",
        },
        form_page=base,
    )
    page = member_client.get(base).get_data(as_text=True)
    assert page.count('value="Peace Council"') == 1 and 'value="council@example.gov"' in page
    page = member_client.get(f"{base}?fill=profile").get_data(as_text=True)
    assert 'value="Ministry of Foreign Affairs"' in page and 'value="fp@example.gov"' in page
