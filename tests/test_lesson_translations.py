"""Members' translations of published lessons: the moderation state machine, who reads what, the
queue, the translator being told, the languages in the list, and search (on SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from flask import current_app
from sqlalchemy import select

from r2p_network.core.errors import StateError
from r2p_network.extensions import db
from r2p_network.lessons import services
from r2p_network.lessons import translation_services as translations
from r2p_network.lessons.content import Decision
from r2p_network.lessons.translation_services import TranslationData
from r2p_network.models import (
    AuditEvent,
    LessonTranslation,
    ModerationDecision,
    Notification,
    TranslationStatus,
)
from tests.conftest import count_queries, login, post_form
from tests.factories import make_lesson, make_member

FORM = {
    "language": "fr",
    "title": "Médiation électorale après un scrutin contesté",
    "summary": "Comment une équipe de médiation et les dirigeants nationaux ont arrêté la violence.",
    "what_happened": "Des violences ont suivi le *scrutin*.",
    "recommendations": "Agir tôt et protéger les civils.",
}


def translation_data(language: str = "fr", **overrides) -> TranslationData:
    values = {
        "language": language,
        "title": FORM["title"],
        "summary": FORM["summary"],
        "body": {"what_happened": FORM["what_happened"], "recommendations": FORM["recommendations"]},
    }
    values.update(overrides)
    return TranslationData(**values)


def make_translation(
    lesson, translator, status: str = "published", language: str = "fr", moderator=None, **text
):
    """A translation of *lesson* by *translator*, taken through the real services to *status*."""
    decisions = {
        "published": Decision.APPROVE,
        "changes_requested": Decision.REQUEST_CHANGES,
        "rejected": Decision.REJECT,
    }
    with current_app.test_request_context():
        translation = translations.submit_translation(lesson, translator, translation_data(language, **text))
        if status in decisions:
            moderator = moderator or make_member(None, admin=True)
            translations.decide_translation(
                translation, moderator, decisions[status], "Please check the terms."
            )
    return translation


@pytest.fixture
def author(db_session):
    return make_member("KEN", email="author@example.org")


@pytest.fixture
def translator(db_session):
    return make_member("SEN", email="translator@example.org", name="Awa Translator")


@pytest.fixture
def anonymous(app):
    return app.test_client()


@pytest.fixture
def translator_client(app, translator):
    client = app.test_client()
    assert login(client, translator.email).status_code == 302
    return client


def _status(client, path: str) -> int:
    return client.get(path).status_code


def _text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


# --- writing and moderating ---------------------------------------------------------------------


def test_translator_submits_moderator_publishes_and_the_translator_is_told(
    translator_client, admin_client, anonymous, author, translator, admin, outbox
):
    lesson = make_lesson(author, visibility="public")
    page = _text(translator_client, f"/lessons/{lesson.id}")
    assert f"/lessons/{lesson.id}/translate" in page
    form_page = _text(translator_client, f"/lessons/{lesson.id}/translate")
    select_box = re.search(r'<select[^>]*name="language".*?</select>', form_page, re.S).group()
    assert 'value="fr"' in select_box and 'value="en"' not in select_box  # not the lesson's own
    response = post_form(
        translator_client, f"/lessons/{lesson.id}/translate", FORM, f"/lessons/{lesson.id}/translate"
    )
    assert response.status_code == 302
    translation = db.session.scalar(select(LessonTranslation).where(LessonTranslation.lesson_id == lesson.id))
    assert (translation.language, translation.status, translation.translator_id) == (
        "fr",
        TranslationStatus.SUBMITTED,
        translator.id,
    )
    assert translation.body_html["what_happened"] == "<p>Des violences ont suivi le <em>scrutin</em>.</p>\n"
    assert _status(anonymous, f"/lessons/{lesson.id}/fr") == 404  # not before it is published

    queue = _text(admin_client, "/admin/moderation?kind=translation")
    assert "Publish this translation into Français?" in queue and FORM["title"] in queue
    queue = _text(admin_client, f"/admin/moderation?kind=translation&open=translation-{translation.id}")
    assert "Translation into Français" in queue
    response = post_form(
        admin_client,
        f"/lessons/{lesson.id}/fr/decision",
        {f"t{translation.id}-decision": "approve", "next": "/admin/moderation"},
        "/admin/moderation",
    )
    assert response.status_code == 302
    db.session.refresh(translation)
    assert translation.status == TranslationStatus.PUBLISHED and translation.published_at is not None
    decision = db.session.scalar(
        select(ModerationDecision).where(ModerationDecision.object_type == "lesson_translation")
    )
    assert (decision.object_id, decision.decision, decision.moderator_id) == (
        translation.id,
        "approve",
        admin.id,
    )
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "moderation.lesson_translation.approve")
    )
    note = db.session.scalar(select(Notification).where(Notification.user_id == translator.id))
    assert (note.kind, note.link) == ("translation_approve", f"/lessons/{lesson.id}/fr")
    assert [m.to for m in outbox] == [[translator.email]]
    assert f"/lessons/{lesson.id}/fr" in outbox[0].body and FORM["title"] in outbox[0].body

    # Readers: the lesson lists its languages, the translation reads in its own language.
    detail = _text(anonymous, f"/lessons/{lesson.id}")
    assert f'href="/lessons/{lesson.id}/fr" lang="fr" hreflang="fr">Français</a>' in detail
    reading = _text(anonymous, f"/lessons/{lesson.id}/fr")
    assert f'<h1 id="lesson-title" lang="fr" dir="auto">{FORM["title"]}</h1>' in reading
    assert 'lang="fr" dir="auto"><h2>' in reading.replace("\n    ", "")
    assert "translated by Awa Translator" in reading
    assert f'href="/lessons/{lesson.id}">' in reading  # back to the original
    assert FORM["title"] not in _text(admin_client, "/admin/moderation")


def test_changes_requested_then_corrected_and_resubmitted(
    translator_client, admin_client, author, translator
):
    lesson = make_lesson(author)
    translation = make_translation(lesson, translator, status="submitted")
    response = post_form(
        admin_client,
        f"/lessons/{lesson.id}/fr/decision",
        {
            f"t{translation.id}-decision": "request_changes",
            f"t{translation.id}-reason": "Use the UN term for atrocity crimes.",
        },
        "/admin/moderation",
    )
    assert response.status_code == 302
    db.session.refresh(translation)
    assert translation.status == TranslationStatus.CHANGES_REQUESTED
    note = db.session.scalar(select(Notification).where(Notification.user_id == translator.id))
    assert note.kind == "translation_request_changes" and note.params["note"].startswith("Use the UN term")
    assert "Use the UN term for atrocity crimes." in _text(translator_client, f"/lessons/{lesson.id}/fr")
    edit_page = _text(translator_client, f"/lessons/{lesson.id}/fr/edit")
    assert "The moderators ask for changes" in edit_page and FORM["summary"] in edit_page
    response = post_form(
        translator_client,
        f"/lessons/{lesson.id}/fr/edit",
        {**FORM, "language": "ar", "title": "Médiation électorale : les crimes atroces évités"},
        f"/lessons/{lesson.id}/fr/edit",
    )
    assert response.status_code == 302
    db.session.refresh(translation)
    assert translation.status == TranslationStatus.SUBMITTED
    assert translation.language == "fr"  # the language of a translation never changes
    assert translation.title == "Médiation électorale : les crimes atroces évités"
    assert "les crimes atroces évités" in _text(admin_client, "/admin/moderation")


@pytest.mark.parametrize(
    ("status", "decision"),
    [
        (status, decision)
        for status in ("published", "changes_requested", "rejected")
        for decision in (Decision.APPROVE, Decision.REQUEST_CHANGES, Decision.REJECT)
    ]
    + [("submitted", "publish-now")],
)
def test_illegal_transitions_are_refused(app, author, translator, admin, status, decision):
    lesson = make_lesson(author)
    translation = make_translation(lesson, translator, status=status)
    with app.test_request_context(), pytest.raises(StateError):
        translations.decide_translation(translation, admin, decision, "Because of the reasons given.")
    assert translation.status == status


@pytest.mark.parametrize("decision", [Decision.REQUEST_CHANGES, Decision.REJECT])
def test_sending_back_or_rejecting_needs_a_reason(app, admin_client, author, translator, admin, decision):
    lesson = make_lesson(author)
    translation = make_translation(lesson, translator, status="submitted")
    with app.test_request_context(), pytest.raises(StateError):
        translations.decide_translation(translation, admin, decision, "   ")
    response = post_form(
        admin_client,
        f"/lessons/{lesson.id}/fr/decision",
        {f"t{translation.id}-decision": decision, f"t{translation.id}-reason": ""},
        "/admin/moderation",
    )
    assert response.status_code == 302
    assert translation.status == TranslationStatus.SUBMITTED


@pytest.mark.parametrize("status", ["published", "rejected"])
def test_published_or_rejected_translations_are_not_edited(
    app, translator_client, author, translator, status
):
    lesson = make_lesson(author)
    translation = make_translation(lesson, translator, status=status)
    assert _status(translator_client, f"/lessons/{lesson.id}/fr/edit") == 403
    with app.test_request_context(), pytest.raises(StateError):
        translations.resubmit_translation(translation, translator, translation_data())
    assert translation.status == status


def test_only_the_translator_corrects_and_only_moderators_decide(member_client, author, translator):
    lesson = make_lesson(author)
    translation = make_translation(lesson, translator, status="changes_requested")
    assert _status(member_client, f"/lessons/{lesson.id}/fr/edit") == 404  # not even seen
    response = post_form(
        member_client, f"/lessons/{lesson.id}/fr/decision", {f"t{translation.id}-decision": "approve"}
    )
    assert response.status_code == 403
    assert translation.status == TranslationStatus.CHANGES_REQUESTED


@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested", "rejected"])
def test_only_published_lessons_are_translated(app, author_client_factory, author, translator, status):
    lesson = make_lesson(author, status=status)
    client = author_client_factory(author)
    assert _status(client, f"/lessons/{lesson.id}/translate") == 403
    with app.test_request_context(), pytest.raises(StateError):
        translations.submit_translation(lesson, author, translation_data())


@pytest.fixture
def author_client_factory(app):
    def signed_in(user):
        client = app.test_client()
        assert login(client, user.email).status_code == 302
        return client

    return signed_in


def test_one_translation_per_language_and_never_into_the_original(app, translator_client, author, translator):
    lesson = make_lesson(author)
    make_translation(lesson, translator, status="rejected", language="fr")
    path = f"/lessons/{lesson.id}/translate"
    for language in ("fr", "en", "xx"):  # taken (even rejected), the original's, not a UN language
        response = post_form(translator_client, path, {**FORM, "language": language}, path)
        assert response.status_code == 400, language
        assert "Not a valid choice" in response.get_data(as_text=True)
    response = post_form(translator_client, path, {**FORM, "language": "es", "title": ""}, path)
    assert response.status_code == 400
    assert db.session.scalars(select(LessonTranslation.language)).all() == ["fr"]
    with app.test_request_context(), pytest.raises(StateError):
        translations.submit_translation(lesson, translator, translation_data("en"))
    for language in ("es", "ru", "zh", "ar"):
        make_translation(lesson, translator, status="submitted", language=language)
    response = translator_client.get(path)
    assert response.status_code == 302  # nothing left to translate into
    assert f"/lessons/{lesson.id}/translate" not in _text(translator_client, f"/lessons/{lesson.id}")


# --- who reads what -----------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", ["network", "public"])
@pytest.mark.parametrize("status", ["submitted", "changes_requested", "published", "rejected"])
def test_visibility_matrix(
    anonymous, member_client, translator_client, admin_client, author, translator, visibility, status
):
    lesson = make_lesson(author, visibility=visibility)
    translation = make_translation(lesson, translator, status=status)
    published = status == "published"
    expected = {
        "anonymous": (anonymous, published and visibility == "public"),
        "member": (member_client, published),
        "translator": (translator_client, True),
        "moderator": (admin_client, True),
    }
    for who, (client, sees) in expected.items():
        path = f"/lessons/{lesson.id}/fr"
        assert _status(client, path) == (200 if sees else 404), who
        if _status(client, f"/lessons/{lesson.id}") == 200:
            detail = _text(client, f"/lessons/{lesson.id}")
            assert (f'href="{path}"' in detail) == sees, who
        listing = _text(client, "/lessons/")
        assert (f'href="{path}"' in listing) == (
            published and (visibility == "public" or who != "anonymous")
        ), who
    assert translation.title not in _text(member_client, "/lessons/")  # the list shows the original


def test_a_hidden_lesson_hides_its_translations(
    app, anonymous, member_client, translator_client, admin_client, author, translator, admin
):
    lesson = make_lesson(author, visibility="public")
    make_translation(lesson, translator, status="published", language="fr")
    make_translation(lesson, translator, status="submitted", language="es")
    with app.test_request_context():
        services.set_hidden(lesson, admin, "Names a witness.")
    for client in (anonymous, member_client, translator_client):
        assert _status(client, f"/lessons/{lesson.id}/fr") == 404
        assert _status(client, f"/lessons/{lesson.id}/es") == 404
    assert _status(admin_client, f"/lessons/{lesson.id}/fr") == 200
    assert "Translation into Español" not in _text(admin_client, "/admin/moderation")


def test_the_lesson_list_shows_languages_with_a_constant_number_of_queries(member_client, author, translator):
    def queries() -> tuple[int, str]:
        with count_queries() as statements:
            response = member_client.get("/lessons/")
            assert response.status_code == 200
        return len(statements), response.get_data(as_text=True)

    first = make_lesson(author, title="The first translated lesson")
    make_translation(first, translator, language="ar", title="الوساطة الانتخابية بعد اقتراع متنازع عليه")
    small, page = queries()
    assert f'href="/lessons/{first.id}/ar" lang="ar" hreflang="ar">العربية</a>' in page
    for n in range(8):
        lesson = make_lesson(author, title=f"Translated lesson number {n}")
        make_translation(lesson, translator, language="fr")
        make_translation(lesson, translator, language="ru", status="submitted")
        make_translation(lesson, translator, language="es", title=f"Lección traducida número {n}")
    count, page = queries()
    assert count == small
    assert page.count('hreflang="fr">Français</a>') == 8
    assert 'hreflang="ru"' not in page  # waiting translations are not listed


def test_the_queue_lists_translations_with_a_constant_number_of_queries(admin_client, author, translator):
    def queries() -> int:
        with count_queries() as statements:
            assert admin_client.get("/admin/moderation").status_code == 200
        return len(statements)

    make_translation(make_lesson(author), translator, status="submitted")
    small = queries()
    for n in range(5):
        make_translation(
            make_lesson(author, title=f"Lesson waiting {n}"), translator, status="submitted", language="es"
        )
    assert queries() == small
    page = _text(admin_client, "/admin/moderation?kind=translation")
    assert "6 items waiting" in page
    assert "translation into Español?" in page and "translation into Français?" in page
    assert "6 items waiting" not in _text(admin_client, "/admin/moderation?kind=flag")


# --- search (CI runs this module on SQLite and on PostgreSQL) --------------------------------------


def test_search_finds_a_lesson_by_its_published_translation_only(
    app, anonymous, member_client, author, translator, admin
):
    found = make_lesson(author, visibility="public", title="Community early warning in the highlands")
    make_translation(found, translator, language="ru", title="Защита гражданского населения в горах")
    refused = make_lesson(author, visibility="public", title="Peace committees in border towns")
    make_translation(
        refused, translator, status="rejected", language="fr", title="Comités frontaliers rejetés"
    )
    waiting = make_lesson(author, visibility="public", title="Dialogue after the floods")
    make_translation(
        waiting, translator, status="submitted", language="es", title="Diálogo pendiente tras inundaciones"
    )
    hidden = make_lesson(author, visibility="public", title="Radio against hate speech")
    make_translation(hidden, translator, language="fr", title="Radios communautaires contre la haine")
    with app.test_request_context():
        services.set_hidden(hidden, admin, "Names a witness.")

    def titles(query: str) -> str:
        return _text(anonymous, f"/lessons/?q={query}")

    page = titles("защиты")  # an inflected form of the translation's title word, stemmed in Russian
    assert "Community early warning in the highlands" in page and "1 lesson found" in page
    assert "Community early warning" in titles("гражданского")
    assert "Peace committees" not in titles("frontaliers")
    assert "1 lesson found" not in titles("frontaliers")
    assert "Dialogue after the floods" not in titles("inundaciones")
    assert "Radio against hate speech" not in titles("communautaires")
    # A lesson matched by its own text and by a translation is listed once.
    make_translation(found, translator, language="fr", title="Alerte précoce communautaire")
    assert titles("communautaire").count("Community early warning in the highlands") == 1

    # The rebuilt index holds the published translations too, and nothing else.
    with app.test_request_context():
        services.rebuild_search_index()
    assert "Community early warning in the highlands" in titles("защиты")
    assert "Peace committees" not in titles("frontaliers")
    assert "Radio against hate speech" not in titles("communautaires")
