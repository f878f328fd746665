"""Lessons learned: writing, the moderation state machine, visibility, discussion, flags and filters."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from r2p_network.core.errors import StateError
from r2p_network.extensions import db
from r2p_network.lessons import services
from r2p_network.lessons.content import Decision
from r2p_network.models import (
    AuditEvent,
    Flag,
    Lesson,
    LessonComment,
    LessonStatus,
    LessonTag,
    ModerationDecision,
    Notification,
    RevisionStatus,
    TagKind,
)
from tests.conftest import count_queries, login, post_form
from tests.factories import lesson_data, make_lesson, make_member

FORM = {
    "title": "Early warning in the Sahel",
    "summary": "A sub-regional early-warning room linked village monitors to a national response team.",
    "countries": ["NER", "MLI"],
    "period_start": "2019",
    "period_end": "2022",
    "pillars": ["1"],
    "crimes": ["genocide"],
    "themes": ["early-warning"],
    "visibility": "network",
    "what_happened": "Monitors sent *weekly* reports.",
    "recommendations": "Fund the monitors.",
}


@pytest.fixture
def author(db_session):
    return make_member("KEN", email="author@example.org")


@pytest.fixture
def anonymous(app):
    """A visitor who has not signed in (``client`` is the one ``member_client`` signs in)."""
    return app.test_client()


@pytest.fixture
def author_client(app, author):
    client = app.test_client()
    assert login(client, author.email).status_code == 302
    return client


def _status(client, path):
    return client.get(path).status_code


# --- writing ---------------------------------------------------------------------------------


def test_author_writes_submits_and_moderator_publishes(author_client, admin_client, author, admin, outbox):
    response = post_form(
        author_client, "/lessons/new", {**FORM, "submit_for_moderation": "1"}, "/lessons/new"
    )
    assert response.status_code == 302
    lesson = db.session.scalar(select(Lesson).where(Lesson.author_id == author.id))
    assert lesson.status == LessonStatus.SUBMITTED
    assert lesson.body_html["what_happened"] == "<p>Monitors sent <em>weekly</em> reports.</p>\n"
    areas = set(db.session.scalars(select(LessonTag.value).where(LessonTag.kind == TagKind.AREA)))
    assert {"002", "202", "011"} <= areas  # Africa, Sub-Saharan Africa, Western Africa

    assert "Early warning in the Sahel" in admin_client.get("/admin/moderation").get_data(as_text=True)
    response = post_form(
        admin_client,
        f"/lessons/{lesson.id}/decision",
        {f"l{lesson.id}-decision": "approve"},
        "/admin/moderation",
    )
    assert response.status_code == 302
    db.session.refresh(lesson)
    assert lesson.status == LessonStatus.PUBLISHED and lesson.published_at is not None
    decision = db.session.scalar(select(ModerationDecision).where(ModerationDecision.object_id == lesson.id))
    assert (decision.object_type, decision.decision, decision.moderator_id) == ("lesson", "approve", admin.id)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "moderation.lesson.approve"))
    note = db.session.scalar(select(Notification).where(Notification.user_id == author.id))
    assert note.kind == "lesson_approve"
    assert [m.to for m in outbox] == [[author.email]]
    other = make_member("GHA")
    client = admin_client.application.test_client()
    login(client, other.email)
    assert "Early warning in the Sahel" in client.get("/lessons/").get_data(as_text=True)


def test_form_errors_are_explained_and_nothing_is_saved(author_client):
    bad = {**FORM, "countries": [], "themes": [], "period_start": "2020", "period_end": "2010", "title": ""}
    response = post_form(author_client, "/lessons/new", bad, "/lessons/new")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose at least one theme or tool." in page
    assert "Say where: choose countries, a region, or mark the lesson cross-regional." in page
    assert "The end year cannot be before the start year." in page
    assert db.session.scalar(select(func.count()).select_from(Lesson)) == 0


def test_posted_extra_fields_cannot_set_state_author_or_hiding(author_client, author):
    extra = {**FORM, "status": "published", "author_id": "1", "hidden_at": "2020-01-01", "published_at": "x"}
    post_form(author_client, "/lessons/new", extra, "/lessons/new")
    lesson = db.session.scalar(select(Lesson))
    assert (lesson.status, lesson.author_id, lesson.hidden_at) == (LessonStatus.DRAFT, author.id, None)


def test_only_the_author_edits(author_client, author, member_client):
    lesson = make_lesson(author, status="draft")
    assert _status(member_client, f"/lessons/{lesson.id}/edit") == 404  # not even readable
    published = make_lesson(author)
    assert _status(member_client, f"/lessons/{published.id}/edit") == 403
    assert _status(author_client, f"/lessons/{published.id}/edit") == 200


# --- the state machine -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "decision"),
    [
        ("draft", Decision.APPROVE),
        ("draft", Decision.REJECT),
        ("changes_requested", Decision.APPROVE),
        ("changes_requested", Decision.REQUEST_CHANGES),
        ("rejected", Decision.APPROVE),
        ("rejected", Decision.REQUEST_CHANGES),
        ("published", Decision.APPROVE),  # no pending edit
        ("published", Decision.REJECT),
        ("submitted", "publish-now"),  # not a decision
    ],
)
def test_illegal_moderation_transitions_are_refused(app, author, admin, status, decision):
    lesson = make_lesson(author, status=status)
    before = lesson.status
    with app.test_request_context(), pytest.raises(StateError):
        services.decide(lesson, admin, decision, "Because of the reasons given.")
    assert lesson.status == before


@pytest.mark.parametrize("decision", [Decision.REQUEST_CHANGES, Decision.REJECT])
def test_sending_back_or_rejecting_needs_a_reason(app, admin_client, author, admin, decision):
    lesson = make_lesson(author, status="submitted")
    with app.test_request_context(), pytest.raises(StateError):
        services.decide(lesson, admin, decision, "  ")
    response = post_form(
        admin_client,
        f"/lessons/{lesson.id}/decision",
        {f"l{lesson.id}-decision": decision, f"l{lesson.id}-reason": ""},
        "/admin/moderation",
    )
    assert response.status_code == 302
    assert lesson.status == LessonStatus.SUBMITTED


def test_rejected_lessons_cannot_be_edited_or_resubmitted(app, author_client, author):
    lesson = make_lesson(author, status="rejected")
    assert _status(author_client, f"/lessons/{lesson.id}/edit") == 403
    assert post_form(author_client, f"/lessons/{lesson.id}/submit", {}).status_code == 403
    with app.test_request_context(), pytest.raises(StateError):
        services.save(lesson, lesson_data(), author, submit=True)


def test_changes_requested_then_resubmitted(author_client, author):
    lesson = make_lesson(author, status="changes_requested")
    page = author_client.get(f"/lessons/{lesson.id}/edit").get_data(as_text=True)
    assert "Please say more about the outcome." in page
    form = {**FORM, "title": "Early warning in the Sahel, revised", "submit_for_moderation": "1"}
    assert (
        post_form(author_client, f"/lessons/{lesson.id}/edit", form, f"/lessons/{lesson.id}/edit").status_code
        == 302
    )
    db.session.refresh(lesson)
    assert (lesson.status, lesson.title) == (LessonStatus.SUBMITTED, "Early warning in the Sahel, revised")


def test_edit_of_a_published_lesson_waits_while_the_published_text_stays(
    app, author_client, author, admin, member_client
):
    lesson = make_lesson(author, title="Original title of the lesson")
    form = {**FORM, "title": "Proposed new title", "submit_for_moderation": "1"}
    assert (
        post_form(author_client, f"/lessons/{lesson.id}/edit", form, f"/lessons/{lesson.id}/edit").status_code
        == 302
    )
    db.session.refresh(lesson)
    assert lesson.revision_status == RevisionStatus.SUBMITTED
    reader_page = member_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Original title of the lesson" in reader_page and "Proposed new title" not in reader_page
    author_page = author_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Proposed new title" in author_page
    # Tags stay those of the published text until approval.
    assert db.session.scalar(select(LessonTag.value).where(LessonTag.kind == TagKind.COUNTRY)) == "KEN"

    with app.test_request_context():
        services.decide(lesson, admin, Decision.REJECT, "The new title is less precise.")
    assert (lesson.title, lesson.revision, lesson.status) == (
        "Original title of the lesson",
        None,
        "published",
    )

    post_form(author_client, f"/lessons/{lesson.id}/edit", form, f"/lessons/{lesson.id}/edit")
    db.session.refresh(lesson)
    with app.test_request_context():
        services.decide(lesson, admin, Decision.APPROVE, None)
    assert lesson.title == "Proposed new title" and lesson.revision is None
    countries = set(db.session.scalars(select(LessonTag.value).where(LessonTag.kind == TagKind.COUNTRY)))
    assert countries == {"NER", "MLI"}
    kinds = [
        n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == author.id))
    ]
    assert "lesson_edit_reject" in kinds and "lesson_edit_approve" in kinds


# --- who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested", "rejected"])
def test_unpublished_lessons_are_404_to_everyone_but_author_and_admins(
    anonymous, author_client, member_client, admin_client, author, status
):
    lesson = make_lesson(author, status=status, visibility="public")
    path = f"/lessons/{lesson.id}"
    assert _status(anonymous, path) == 404
    assert _status(member_client, path) == 404
    assert _status(author_client, path) == 200
    assert _status(admin_client, path) == 200
    assert lesson.title not in member_client.get("/lessons/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("visibility", "for_visitors", "for_members"), [("network", 404, 200), ("public", 200, 200)]
)
def test_published_lessons_by_visibility(
    anonymous, member_client, author, visibility, for_visitors, for_members
):
    lesson = make_lesson(author, visibility=visibility)
    assert _status(anonymous, f"/lessons/{lesson.id}") == for_visitors
    assert _status(member_client, f"/lessons/{lesson.id}") == for_members
    assert (lesson.title in anonymous.get("/lessons/").get_data(as_text=True)) == (for_visitors == 200)


def test_hidden_lessons_leave_every_listing(app, anonymous, member_client, author_client, author, admin):
    lesson = make_lesson(author, visibility="public")
    with app.test_request_context():
        services.set_hidden(lesson, admin, "Names a witness.")
    assert _status(anonymous, f"/lessons/{lesson.id}") == 404
    assert _status(member_client, f"/lessons/{lesson.id}") == 404
    assert "Names a witness." in author_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert lesson.title not in member_client.get(f"/lessons/?q={lesson.title.split()[0]}").get_data(
        as_text=True
    )
    assert "0</span>" in anonymous.get("/lessons/cross-regional").get_data(as_text=True)


# --- discussion and flags --------------------------------------------------------------------


def test_members_comment_on_published_lessons_only(member_client, anonymous, author):
    lesson = make_lesson(author)
    draft = make_lesson(author, status="draft")
    response = post_form(member_client, f"/lessons/{lesson.id}/comments", {"body": "Very **useful**."})
    assert response.status_code == 302
    page = member_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Very <strong>useful</strong>." in page
    assert (
        post_form(member_client, f"/lessons/{draft.id}/comments", {"body": "Hello there"}).status_code == 404
    )
    assert post_form(member_client, f"/lessons/{lesson.id}/comments", {"body": ""}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(LessonComment)) == 1
    assert post_form(anonymous, f"/lessons/{lesson.id}/comments", {"body": "anonymous"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(LessonComment)) == 1


def test_flags_need_a_reason_are_counted_once_and_reach_the_queue(member_client, admin_client, author):
    lesson = make_lesson(author)
    assert post_form(member_client, f"/lessons/{lesson.id}/flag", {"flag-reason": ""}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 0
    post_form(member_client, f"/lessons/{lesson.id}/flag", {"flag-reason": "Identifies a victim by name."})
    post_form(member_client, f"/lessons/{lesson.id}/flag", {"flag-reason": "Identifies a victim by name."})
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 1
    flag = db.session.scalar(select(Flag))
    page = admin_client.get("/admin/moderation?kind=flag").get_data(as_text=True)
    assert f"open=flag-{flag.id}" in page and "Identifies a victim by name." not in page  # one row
    page = admin_client.get(f"/admin/moderation?kind=flag&open=flag-{flag.id}").get_data(as_text=True)
    assert "Identifies a victim by name." in page


def test_hiding_a_flagged_comment_keeps_it_for_admins_and_author(
    app, member_client, admin_client, author_client, author, member
):
    lesson = make_lesson(author)
    with app.test_request_context():
        comment = services.add_comment(lesson, member, "An insulting remark about a group.")
    prefix = f"flag{comment.id}"
    post_form(
        author_client,
        f"/lessons/{lesson.id}/comments/{comment.id}/flag",
        {f"{prefix}-reason": "Insults a protected group."},
    )
    item = db.session.scalar(select(Flag))
    assert (item.target_type, item.target_id) == ("comment", comment.id)
    response = post_form(
        admin_client, f"/lessons/flags/{item.id}/hide", {f"f{item.id}-reason": "Hate speech."}
    )
    assert response.status_code == 302
    db.session.refresh(comment)
    db.session.refresh(item)
    assert comment.hidden_at is not None and comment.hidden_reason == "Hate speech."
    assert item.resolution == "hidden"
    assert "An insulting remark" not in author_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "An insulting remark" in member_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)  # own
    assert "An insulting remark" in admin_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert db.session.scalar(select(LessonComment.id)) == comment.id  # kept, not deleted
    kinds = {(d.object_type, d.decision) for d in db.session.scalars(select(ModerationDecision))}
    assert {("comment", "hide"), ("flag", "hidden")} <= kinds
    assert (
        db.session.scalar(select(Notification.kind).where(Notification.user_id == member.id))
        == "comment_hidden"
    )


def test_dismissing_a_flag_keeps_the_content(member_client, admin_client, author):
    lesson = make_lesson(author)
    post_form(member_client, f"/lessons/{lesson.id}/flag", {"flag-reason": "I disagree with it."})
    item = db.session.scalar(select(Flag))
    post_form(admin_client, f"/lessons/flags/{item.id}/dismiss", {})
    db.session.refresh(item)
    db.session.refresh(lesson)
    assert item.resolution == "dismissed" and lesson.hidden_at is None
    assert post_form(admin_client, f"/lessons/flags/{item.id}/dismiss", {}).status_code == 302
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(ModerationDecision)
            .where(ModerationDecision.object_type == "flag")
        )
        == 1
    )


def test_administrators_hide_and_restore_with_a_reason(admin_client, member_client, author):
    lesson = make_lesson(author)
    assert post_form(admin_client, f"/lessons/{lesson.id}/hide", {"hide-reason": "no"}).status_code == 302
    db.session.refresh(lesson)
    assert lesson.hidden_at is None  # reason too short
    post_form(admin_client, f"/lessons/{lesson.id}/hide", {"hide-reason": "Under review by the team."})
    assert _status(member_client, f"/lessons/{lesson.id}") == 404
    post_form(admin_client, f"/lessons/{lesson.id}/restore", {})
    assert _status(member_client, f"/lessons/{lesson.id}") == 200
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"moderation.lesson.hide", "moderation.lesson.restore"} <= actions


# --- reading: filters, the cross-regional view, constant queries -----------------------------


def test_filters(member_client, author):
    make_lesson(author, title="Kenya mediation lesson")
    make_lesson(
        author,
        title="Andean early warning lesson",
        countries=["PER"],
        pillars=["2"],
        crimes=["genocide"],
        themes=["early-warning"],
        period_start=2015,
        period_end=2017,
    )
    make_lesson(author, title="Cross-regional peer review", countries=[], region=None, cross_regional=True)

    def titles(query):
        page = member_client.get(f"/lessons/?{query}").get_data(as_text=True)
        return set(re.findall(r"(\w[\w -]+ (?:lesson|review))</a></h2>", page))

    assert titles("region=014") == {"Kenya mediation lesson"}  # Eastern Africa
    assert titles("region=019") == {"Andean early warning lesson"}  # the Americas
    assert titles("country=PER") == {"Andean early warning lesson"}
    assert titles("pillar=2") == {
        "Kenya mediation lesson",
        "Andean early warning lesson",
        "Cross-regional peer review",
    }
    assert titles("pillar=1&crime=genocide") == set()
    assert titles("theme=early-warning") == {"Andean early warning lesson"}
    assert titles("year_from=2014&year_to=2016") == {"Andean early warning lesson"}
    assert titles("cross=1") == {"Cross-regional peer review"}
    assert "not a valid choice" in member_client.get("/lessons/?region=999").get_data(as_text=True).lower()


def test_cross_regional_view_counts_each_lesson_in_each_region(anonymous, member_client, author):
    make_lesson(author, countries=["KEN", "PER"], cross_regional=True, themes=["mediation-dialogue"])
    make_lesson(author, countries=["GHA"], themes=["mediation-dialogue"], visibility="public")
    page = member_client.get("/lessons/cross-regional").get_data(as_text=True)
    assert 'href="/lessons/?theme=mediation-dialogue&amp;region=002"' in page
    assert re.search(r'theme=mediation-dialogue&amp;region=002"[^>]*>2</a>', page)
    assert re.search(r'theme=mediation-dialogue&amp;region=019"[^>]*>1</a>', page)
    assert re.search(r'theme=mediation-dialogue&amp;cross=1">1</a>', page)
    public_page = anonymous.get("/lessons/cross-regional").get_data(as_text=True)
    assert re.search(r'theme=mediation-dialogue&amp;region=002"[^>]*>1</a>', public_page)


@pytest.mark.parametrize(
    "path", ["/lessons/", "/lessons/?q=mediation", "/lessons/cross-regional", "/lessons/mine"]
)
def test_lesson_pages_run_a_constant_number_of_queries(member_client, author, member, path):
    def queries() -> int:
        with count_queries() as statements:
            assert member_client.get(path).status_code == 200
        return len(statements)

    make_lesson(member)
    make_lesson(author, status="submitted")
    small = queries()
    for n in range(12):
        make_lesson(
            member if n % 2 else author, title=f"Mediation lesson number {n}", countries=["KEN", "GHA"]
        )
        make_lesson(member, status="draft")
    assert queries() == small


def test_moderation_queue_runs_a_constant_number_of_queries(app, admin_client, author, member):
    def queries() -> int:
        with count_queries() as statements:
            assert admin_client.get("/admin/moderation").status_code == 200
        return len(statements)

    def add_round():
        lesson = make_lesson(author)
        with app.test_request_context():
            services.flag(member, lesson, "Please check this one.")
            comment = services.add_comment(lesson, member, "A comment to flag.")
            services.flag(author, comment, "Please check this comment.")
        make_lesson(author, status="submitted")

    add_round()
    small = queries()
    for _ in range(5):
        add_round()
    assert queries() == small


def test_theme_editor_adds_and_withdraws_themes(admin_client, author_client):
    response = post_form(admin_client, "/admin/lesson-themes", {"name": "Casualty recording", "active": "y"})
    assert response.status_code == 302
    assert "Casualty recording" in author_client.get("/lessons/new").get_data(as_text=True)
    from r2p_network.models import LessonTheme

    theme = db.session.scalar(select(LessonTheme).where(LessonTheme.slug == "casualty-recording"))
    post_form(admin_client, f"/admin/lesson-themes/{theme.id}", {"name": "Casualty recording"})
    db.session.refresh(theme)
    assert not theme.active
    assert "Casualty recording" not in author_client.get("/lessons/new").get_data(as_text=True)
    assert db.session.scalar(
        select(AuditEvent.action).where(AuditEvent.object_id == "casualty-recording")
    ) == ("reference.lesson_theme_saved")
    assert post_form(admin_client, "/admin/lesson-themes", {"name": ""}).status_code == 400


def test_the_queue_shows_items_of_every_kind_oldest_first(app, admin_client, author, member):
    from tests.test_capacity import make_map

    make_lesson(author, status="submitted", title="A new lesson waiting")
    edited = make_lesson(author, title="A published lesson")
    with app.test_request_context():
        services.save(edited, lesson_data(title="Its pending edit"), author, submit=True)
        services.flag(member, edited, "Please check the names in it.")
    make_map("SEN", 2026, [("mediation", "offers", 3)], status="submitted")
    page = admin_client.get("/admin/moderation").get_data(as_text=True)
    for text in (
        "A new lesson waiting",
        "Publish this new lesson?",
        "A published lesson",
        "Publish this edit?",
        "Hide the lesson or keep it?",
        "Capacity map 2026",
        "Verify this Government map?",
    ):
        assert text in page, text
    assert "4 items waiting" in page
    assert "Capacity map 2026" not in admin_client.get("/admin/moderation?kind=lesson").get_data(as_text=True)
    dashboard = admin_client.get("/admin/").get_data(as_text=True)
    assert "2 lessons or edits waiting" in dashboard and "1 open flag" in dashboard


def test_capacity_decisions_from_the_queue_are_moderation_decisions(admin_client):
    from tests.test_capacity import make_map

    submission = make_map("SEN", 2026, [("mediation", "offers", 3)], status="submitted")
    response = post_form(
        admin_client,
        f"/capacity/submissions/{submission.id}/verify",
        {"next": "/admin/moderation"},
        "/admin/moderation",
    )
    assert response.headers["Location"] == "/admin/moderation"
    decision = db.session.scalar(select(ModerationDecision))
    assert (decision.object_type, decision.object_id, decision.decision) == (
        "capacity_submission",
        submission.id,
        "verified",
    )


def test_administrators_hide_a_comment_from_the_lesson_page(app, admin_client, member_client, author, member):
    lesson = make_lesson(author)
    with app.test_request_context():
        comment = services.add_comment(lesson, member, "Names the witness in full.")
    page = admin_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert f'action="/lessons/comments/{comment.id}/hide"' in page
    response = post_form(
        admin_client,
        f"/lessons/comments/{comment.id}/hide",
        {"hide-reason": "Protects a witness.", "next": f"/lessons/{lesson.id}"},
        f"/lessons/{lesson.id}",
    )
    assert response.headers["Location"] == f"/lessons/{lesson.id}"
    third = admin_client.application.test_client()
    login(third, make_member("PER").email)
    other_reader = third.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Names the witness" not in other_reader and "A moderator hid this comment." in other_reader
    reader = member_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Names the witness" in reader  # the member wrote it and still sees it, marked hidden
    assert "Hidden by a moderator: Protects a witness." in reader
    page = admin_client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert f'formaction="/lessons/comments/{comment.id}/restore"' in page


def test_submit_sends_only_drafts_and_lessons_sent_back(author_client, author):
    published = make_lesson(author)
    assert post_form(author_client, f"/lessons/{published.id}/submit", {}).status_code == 302
    db.session.refresh(published)
    assert published.revision is None and published.revision_status is None  # no empty "edit"
    draft = make_lesson(author, status="draft")
    post_form(author_client, f"/lessons/{draft.id}/submit", {})
    db.session.refresh(draft)
    assert draft.status == LessonStatus.SUBMITTED and draft.submitted_at is not None


def test_theme_counts_follow_publication_hiding_and_approved_edits(app, member_client, author, admin):
    def count(theme: str, area: str = "002") -> int:
        page = member_client.get("/lessons/cross-regional").get_data(as_text=True)
        found = re.search(rf'theme={theme}&amp;region={area}"[^>]*>(\d+)</a>', page)
        return int(found.group(1)) if found else 0

    lesson = make_lesson(author, themes=["mediation-dialogue"], countries=["KEN"])
    make_lesson(author, status="submitted", themes=["mediation-dialogue"], countries=["GHA"])  # not counted
    assert count("mediation-dialogue") == 1
    with app.test_request_context():
        services.set_hidden(lesson, admin, "Checking a name in it.")
    assert count("mediation-dialogue") == 0
    with app.test_request_context():
        services.set_hidden(lesson, admin, None)
    assert count("mediation-dialogue") == 1
    with app.test_request_context():
        services.save(lesson, lesson_data(themes=["early-warning"], countries=["PER"]), author, submit=True)
    assert count("mediation-dialogue") == 1  # the edit waits; the published text still counts
    with app.test_request_context():
        services.decide(lesson, admin, Decision.APPROVE, None)
    assert (count("mediation-dialogue"), count("early-warning", "019")) == (0, 1)
