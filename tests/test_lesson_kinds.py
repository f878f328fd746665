"""Lesson kinds and the themes the 2015 report adds."""

from __future__ import annotations

from sqlalchemy import select

from r2p_network.extensions import db
from r2p_network.lessons import services
from r2p_network.lessons.services import LessonData
from r2p_network.models import Lesson, LessonKind, LessonTheme, RevisionStatus
from tests.conftest import login, post_form
from tests.factories import make_lesson, make_member
from tests.test_lessons import FORM

NEW_THEMES = {
    "non-state-armed-groups": "Non-State armed groups and violent extremism",
    "online-incitement-technology": "Incitement and hate speech online, and new technologies",
    "community-self-protection": "Community self-protection",
}


def test_the_themes_of_the_2015_report_are_in_the_catalogue():
    themes = dict(db.session.execute(select(LessonTheme.slug, LessonTheme.name)).all())
    assert NEW_THEMES.items() <= themes.items()


def _author_client(app):
    author = make_member("KEN", email="kind.author@example.org")
    client = app.test_client()
    assert login(client, author.email).status_code == 302
    return author, client


def test_the_author_chooses_the_kind_and_readers_see_it(app):
    author, client = _author_client(app)
    page = client.get("/lessons/new").get_data(as_text=True)
    assert (
        "Kind of lesson" in page and 'checked id="kind-1" name="kind" type="radio" value="case_study"' in page
    )
    for slug in NEW_THEMES:
        assert f'value="{slug}"' in page
    form = {**FORM, "kind": "do_no_harm", "themes": ["community-self-protection"]}
    response = post_form(client, "/lessons/new", form, "/lessons/new")
    assert response.status_code == 302
    lesson = db.session.scalar(select(Lesson).where(Lesson.author_id == author.id))
    assert lesson.kind == LessonKind.DO_NO_HARM
    page = client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    assert "Kind of lesson" in page and "Doing no harm" in page
    edit = client.get(f"/lessons/{lesson.id}/edit").get_data(as_text=True)
    assert 'checked id="kind-4" name="kind" type="radio" value="do_no_harm"' in edit


def test_a_post_without_a_kind_keeps_the_default_and_a_bad_kind_is_refused(app):
    author, client = _author_client(app)
    response = post_form(client, "/lessons/new", {**FORM, "kind": "rumour"}, "/lessons/new")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert post_form(client, "/lessons/new", FORM, "/lessons/new").status_code == 302
    lesson = db.session.scalar(select(Lesson).where(Lesson.author_id == author.id))
    assert lesson.kind == LessonKind.CASE_STUDY


def test_the_list_filters_by_kind_and_shows_it(member_client):
    author = make_member("GHA", email="kinds@example.org")
    make_lesson(author, title="A thematic study of early warning", kind="thematic_study")
    make_lesson(author, title="A good practice in mediation", kind="good_practice")
    page = member_client.get("/lessons/?kind=thematic_study").get_data(as_text=True)
    assert "A thematic study of early warning" in page and "A good practice in mediation" not in page
    assert "Thematic study" in page
    page = member_client.get("/lessons/").get_data(as_text=True)
    assert "A good practice in mediation" in page and "Good practice" in page
    page = member_client.get("/lessons/?kind=rumour").get_data(as_text=True)
    assert "not a valid choice" in page.lower()


def test_an_edit_saved_before_kinds_existed_is_still_approved(app):
    author = make_member("KEN", email="old.edit@example.org")
    lesson = make_lesson(author, kind="good_practice")
    old_edit = LessonData.published(lesson, {}).to_json()
    del old_edit["kind"]  # as stored before this change
    old_edit["title"] = "An edit from before lesson kinds"
    lesson.revision, lesson.revision_status = old_edit, RevisionStatus.SUBMITTED
    db.session.flush()
    moderator = make_member(None, admin=True)
    with app.test_request_context():
        services.decide(lesson, moderator, services.Decision.APPROVE, None)
    assert lesson.title == "An edit from before lesson kinds"
    assert lesson.kind == LessonKind.CASE_STUDY
