"""Peer review: the team invites reviewers to a version; reviewers comment on each element, risk
factor or inhibitor and give an overall note; the team replies beside its answers and closes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from r2p_network.assessments.access import own_version
from r2p_network.assessments.queries import country_name
from r2p_network.assessments.sharing_queries import audience_names
from r2p_network.core.errors import StateError
from r2p_network.core.forms import ConfirmForm
from r2p_network.core.geography import filter_options
from r2p_network.core.transaction import commit
from r2p_network.extensions import db
from r2p_network.models import Assessment, AssessmentVersion, PeerReview, ReviewComment
from r2p_network.permissions import can_answer_review, can_comment_on_review, can_read_review
from r2p_network.reviews import bp
from r2p_network.reviews.forms import CommentForm, InviteForm, NoteForm, ReplyForm
from r2p_network.reviews.queries import attach, comments, my_reviews, review_context, targets
from r2p_network.reviews.services import add_comment, close_review, invite_reviewer, reply, save_overall_note


@bp.route("/")
def index() -> ResponseReturnValue:
    """The member's reviews: of their team's versions, and those they are invited to."""
    return render_template("reviews/index.html", rows=my_reviews(current_user))


@bp.route("/invite/<int:assessment_id>/<int:number>", methods=["GET", "POST"])
def invite(assessment_id: int, number: int) -> ResponseReturnValue:
    assessment, version = own_version(assessment_id, number)
    form = InviteForm(organisations=filter_options().organisations)
    if form.validate_on_submit():
        reviewer = form.chosen()
        if reviewer == (form.reviewer.data, f"{assessment.country_iso3}:{assessment.network.value}"):
            form.country.errors.append(_("Your team cannot review its own version."))
        else:
            review = invite_reviewer(
                assessment,
                version,
                reviewer,
                current_user,
                message=form.message.data or "",
                due_on=form.due_on.data,
                recommendation=form.recommendation.data or "",
                recommendation_url=form.recommendation_url.data or "",
            )
            commit()
            flash(_("The reviewer is invited and has been told."), "success")
            return redirect(url_for("reviews.detail", review_id=review.id))
    status = 400 if form.is_submitted() else 200
    return render_template("reviews/invite.html", assessment=assessment, version=version, form=form), status


def _readable(review_id: int) -> tuple[PeerReview, AssessmentVersion, Assessment, list]:
    found = review_context(review_id)
    if found is None or not can_read_review(current_user, found[0], found[2]):
        abort(404)
    review, version, assessment, template = found
    return review, version, assessment, targets(template.definition, version.answers)


@bp.route("/<int:review_id>")
def detail(review_id: int) -> ResponseReturnValue:
    review, version, assessment, points = _readable(review_id)
    country = country_name(assessment.country_iso3)
    reviewer = audience_names([(review.reviewer, review.reviewer_key)])[
        (review.reviewer, review.reviewer_key)
    ]
    found = comments(review.id)
    return render_template(
        "reviews/detail.html",
        review=review,
        version=version,
        assessment=assessment,
        country=country,
        reviewer=reviewer,
        points=attach(points, found),
        may_comment=can_comment_on_review(current_user, review, assessment),
        may_answer=can_answer_review(current_user, review, assessment),
        comment_form=CommentForm(targets=[(p.key, p.title) for p in points]),
        note_form=NoteForm(data={"overall_note": review.overall_note}),
        reply_forms={c.id: ReplyForm(prefix=f"c{c.id}") for c in found},
        confirm=ConfirmForm(),
    )


@bp.route("/<int:review_id>/comments", methods=["POST"])
def comment(review_id: int) -> ResponseReturnValue:
    review, _version, assessment, points = _readable(review_id)
    if not can_comment_on_review(current_user, review, assessment):
        abort(403)
    form = CommentForm(targets=[(p.key, p.title) for p in points])
    if not form.validate_on_submit():
        flash(_("Choose what the comment is about and write at least two characters."), "error")
        return redirect(url_for("reviews.detail", review_id=review_id))
    add_comment(review, assessment, current_user, form.target.data, form.body.data or "")
    commit()
    flash(_("Your comment is added; the team has been told."), "success")
    return redirect(url_for("reviews.detail", review_id=review_id, _anchor=f"point-{form.target.data}"))


@bp.route("/<int:review_id>/note", methods=["POST"])
def note(review_id: int) -> ResponseReturnValue:
    review, _version, assessment, _points = _readable(review_id)
    if not can_comment_on_review(current_user, review, assessment):
        abort(403)
    form = NoteForm()
    if not form.validate_on_submit():
        flash(_("Write an overall note of at least two characters."), "error")
        return redirect(url_for("reviews.detail", review_id=review_id))
    save_overall_note(review, assessment, current_user, form.overall_note.data or "")
    commit()
    flash(_("Your overall note is saved."), "success")
    return redirect(url_for("reviews.detail", review_id=review_id))


@bp.route("/<int:review_id>/comments/<int:comment_id>/reply", methods=["POST"])
def answer(review_id: int, comment_id: int) -> ResponseReturnValue:
    review, _version, assessment, _points = _readable(review_id)
    if not can_answer_review(current_user, review, assessment):
        abort(403)
    original = db.session.get(ReviewComment, comment_id)
    if original is None or original.review_id != review.id or original.reply_to_id is not None:
        abort(404)
    form = ReplyForm(prefix=f"c{comment_id}")
    if not form.validate_on_submit():
        flash(_("Write a reply of at least two characters."), "error")
        return redirect(url_for("reviews.detail", review_id=review_id))
    reply(review, assessment, original, current_user, form.body.data or "")
    commit()
    flash(_("Your reply is added; the reviewers have been told."), "success")
    return redirect(url_for("reviews.detail", review_id=review_id, _anchor=f"point-{original.target}"))


@bp.route("/<int:review_id>/close", methods=["POST"])
def close(review_id: int) -> ResponseReturnValue:
    review, _version, assessment, _points = _readable(review_id)
    if not can_answer_review(current_user, review, assessment):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        close_review(review, assessment, current_user)
    except StateError:
        flash(_("This review is already closed."), "info")
        return redirect(url_for("reviews.detail", review_id=review_id))
    commit()
    flash(_("The review is closed; its comments stay with the version."), "success")
    return redirect(url_for("reviews.detail", review_id=review_id))
