"""Lessons learned: the list and search, the cross-regional view, writing, reading and discussion.

Moderators' decisions are in ``moderation_routes``; the queue that lists them is ``admin.moderation_queue``.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.core import ratelimit
from r2p_network.core.errors import StateError
from r2p_network.core.forms import ConfirmForm, valid_values
from r2p_network.core.geography import region_rows
from r2p_network.core.pagination import page_count
from r2p_network.core.search import excerpt, highlight, parse_query
from r2p_network.core.transaction import commit
from r2p_network.documents.queries import attached
from r2p_network.extensions import db
from r2p_network.lessons import bp
from r2p_network.lessons.forms import CommentForm, FlagForm, LessonFilterForm, LessonForm
from r2p_network.lessons.labels import KIND_LABELS
from r2p_network.lessons.queries import (
    PER_PAGE,
    LessonFilters,
    comments,
    lesson_page,
    my_lessons,
    present,
    published_languages,
    tags_of,
    theme_region_counts,
    themes,
    translations_of,
    vocabulary,
)
from r2p_network.lessons.services import (
    CROSS_REGIONAL,
    DuplicateFlag,
    LessonData,
    add_comment,
    create_lesson,
    flag,
    save,
    send_for_moderation,
)
from r2p_network.lessons.translation_services import open_languages
from r2p_network.models import Lesson, LessonComment, LessonStatus, User
from r2p_network.permissions import (
    can_discuss_lesson,
    can_edit_lesson,
    can_read_comment,
    can_read_lesson,
    can_read_translation,
    can_translate_lesson,
    is_member,
    public,
)

FILTERS = ("q", "region", "country", "pillar", "crime", "theme", "kind", "cross", "year_from", "year_to")


@bp.route("/")
@public
def index() -> ResponseReturnValue:
    form = LessonFilterForm(request.args, regions=region_rows(), themes=themes(include_inactive=True))
    form.validate()
    values = valid_values(form, (*FILTERS, "page"))
    page = values.pop("page") or 1
    text_values = {k: v or "" for k, v in values.items() if k not in ("cross", "year_from", "year_to")}
    filters = LessonFilters(
        **text_values, cross=bool(values["cross"]), year_from=values["year_from"], year_to=values["year_to"]
    )
    if filters.q:
        ratelimit.enforce("search", ratelimit.requester())
        commit()
    rows, total, page = lesson_page(current_user, filters, page)
    ids = [row.id for row in rows]
    return render_template(
        "lessons/index.html",
        form=form,
        rows=rows,
        tags=tags_of(ids),
        translated=published_languages(ids),
        names=vocabulary(),
        kind_labels=KIND_LABELS,
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
        query=filters.as_query(),
        searching=bool(parse_query(filters.q)),  # as lesson_page: words to match, not just symbols
        highlight=lambda text: highlight(text, filters.q),
        excerpt=lambda text: excerpt(text, filters.q),
    )


@bp.route("/cross-regional")
@public
def cross_regional() -> ResponseReturnValue:
    """Published lessons per theme and region; each count links to the list."""
    columns, counts = theme_region_counts(current_user)
    return render_template(
        "lessons/cross_regional.html",
        themes=themes(include_inactive=True),
        columns=columns,
        counts=counts,
        cross=CROSS_REGIONAL,
    )


def _form(**kwargs: object) -> LessonForm:
    return LessonForm(regions=region_rows(), themes=themes(), **kwargs)


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    form = _form()
    if form.validate_on_submit():
        lesson = create_lesson(current_user, form.to_data())
        if request.form.get("submit_for_moderation"):
            send_for_moderation(lesson, current_user)
        commit()
        flash(_submitted_message(lesson), "success")
        return redirect(url_for("lessons.detail", lesson_id=lesson.id))
    return render_template("lessons/edit.html", form=form, lesson=None), 400 if form.errors else 200


def _submitted_message(lesson: Lesson) -> str:
    if lesson.status == LessonStatus.SUBMITTED or lesson.revision is not None:
        return _("Sent to the moderators. You will be told of their decision.")
    return _("Your draft is saved. Only you and the administrators can see it.")


def _lesson(lesson_id: int) -> Lesson:
    """The lesson if the reader may see it; 404 otherwise, so its existence is not revealed."""
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or not can_read_lesson(current_user, lesson):
        abort(404)
    return lesson


@bp.route("/<int:lesson_id>/edit", methods=["GET", "POST"])
def edit(lesson_id: int) -> ResponseReturnValue:
    lesson = _lesson(lesson_id)
    if not can_edit_lesson(current_user, lesson):
        abort(403)
    form = _form()
    if request.method == "GET":
        form.fill(LessonData.latest(lesson, tags_of([lesson.id])[lesson.id]))
    elif form.validate_on_submit():
        try:
            save(lesson, form.to_data(), current_user, submit=bool(request.form.get("submit_for_moderation")))
        except StateError:
            abort(409)
        commit()
        flash(_submitted_message(lesson), "success")
        return redirect(url_for("lessons.detail", lesson_id=lesson.id))
    return render_template("lessons/edit.html", form=form, lesson=lesson), 400 if form.errors else 200


@bp.route("/<int:lesson_id>/submit", methods=["POST"])
def submit(lesson_id: int) -> ResponseReturnValue:
    lesson = _lesson(lesson_id)
    if not can_edit_lesson(current_user, lesson):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        send_for_moderation(lesson, current_user)
    except StateError:
        flash(_("This lesson is not a draft."), "info")
        return redirect(url_for("lessons.detail", lesson_id=lesson.id))
    commit()
    flash(_submitted_message(lesson), "success")
    return redirect(url_for("lessons.detail", lesson_id=lesson.id))


@bp.route("/<int:lesson_id>")
@public
def detail(lesson_id: int) -> ResponseReturnValue:
    lesson = _lesson(lesson_id)
    names = vocabulary()
    tags = tags_of([lesson.id])[lesson.id]
    view = present(LessonData.published(lesson, tags), names, lesson.body_html)
    pending = present(LessonData(**lesson.revision), names) if lesson.revision else None
    discussion = comments(lesson.id) if lesson.status == LessonStatus.PUBLISHED else []
    own = is_member(current_user) and lesson.author_id == current_user.id
    translations = [t for t in translations_of(lesson.id) if can_read_translation(current_user, lesson, t)]
    return render_template(
        "lessons/detail.html",
        lesson=lesson,
        translations=translations,
        may_translate=can_translate_lesson(current_user, lesson) and bool(open_languages(lesson)),
        view=view,
        pending=pending,
        own=own,
        author=db.session.get(User, lesson.author_id) if lesson.author_id else None,
        comments=discussion,
        comment_form=CommentForm(),
        documents=attached(current_user, lesson_id=lesson.id, everything=True),
        attach_url=url_for("documents.new", lesson=lesson.id)
        if can_edit_lesson(current_user, lesson)
        else None,
        flag_form=FlagForm(prefix="flag"),
        comment_flag_forms={c.id: FlagForm(prefix=f"flag{c.id}") for c, _name in discussion},
    )


@bp.route("/<int:lesson_id>/comments", methods=["POST"])
def comment(lesson_id: int) -> ResponseReturnValue:
    lesson = _lesson(lesson_id)
    if not can_discuss_lesson(current_user, lesson):
        abort(403)
    form = CommentForm()
    if not form.validate_on_submit():
        flash(_("Write a comment of 2 to 5,000 characters."), "error")
        return redirect(url_for("lessons.detail", lesson_id=lesson.id, _anchor="comment-form"))
    ratelimit.enforce("comment", ratelimit.requester())
    added = add_comment(lesson, current_user, form.body.data)
    commit()
    flash(_("Your comment is posted."), "success")
    return redirect(url_for("lessons.detail", lesson_id=lesson.id, _anchor=f"comment-{added.id}"))


@bp.route("/<int:lesson_id>/flag", methods=["POST"])
@bp.route("/<int:lesson_id>/comments/<int:comment_id>/flag", methods=["POST"])
def flag_content(lesson_id: int, comment_id: int | None = None) -> ResponseReturnValue:
    lesson = _lesson(lesson_id)
    if not can_discuss_lesson(current_user, lesson):
        abort(403)
    target: Lesson | LessonComment = lesson
    if comment_id is not None:
        found = db.session.get(LessonComment, comment_id)
        if found is None or found.lesson_id != lesson.id or not can_read_comment(current_user, found):
            abort(404)
        target = found
    form = FlagForm(prefix=f"flag{comment_id}" if comment_id else "flag")
    back = url_for("lessons.detail", lesson_id=lesson.id)
    if not form.validate_on_submit():
        flash(_("Give a reason of at least 5 characters for the moderators."), "error")
        return redirect(back)
    ratelimit.enforce("flag", ratelimit.requester())
    try:
        flag(current_user, target, form.reason.data)
    except DuplicateFlag:
        flash(_("You have already reported this; a moderator will look at it."), "info")
        return redirect(back)
    commit()
    flash(_("Thank you. A moderator will look at it."), "success")
    return redirect(back)


@bp.route("/mine")
def mine() -> ResponseReturnValue:
    return render_template("lessons/mine.html", lessons=my_lessons(current_user.id))
