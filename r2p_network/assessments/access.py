"""Loading an assessment for the page asking: its team, or a reader of one version (404 otherwise)."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort, redirect, request, url_for
from flask_login import current_user

from r2p_network.assessments.queries import assessment_with_template, version_with_template
from r2p_network.core import audit
from r2p_network.core.transaction import commit
from r2p_network.models import Assessment, AssessmentVersion, TemplateVersion, Visibility
from r2p_network.permissions import can_read_assessment_version, is_team_member


def own(assessment_id: int) -> tuple[Assessment, TemplateVersion]:
    """The assessment and its template, for its own team only (404 for everyone else)."""
    found = assessment_with_template(assessment_id)
    if found is None or not is_team_member(current_user, found[0].country_iso3, found[0].network):
        abort(404)
    return found


def own_version(assessment_id: int, number: int) -> tuple[Assessment, AssessmentVersion]:
    """A submitted version, for its own team only (404 for everyone else)."""
    assessment, _template = own(assessment_id)
    version = version_with_template(assessment_id, number)
    if version is None:
        abort(404)
    return assessment, version[0]


def readable_version(
    assessment_id: int, number: int
) -> tuple[Assessment, AssessmentVersion, TemplateVersion]:
    """A version and its template, for those who may read its content (404, or sign in, otherwise)."""
    found = assessment_with_template(assessment_id)
    version = version_with_template(assessment_id, number)
    if found is None or version is None:
        not_found()
    assessment = found[0]
    if not can_read_assessment_version(current_user, version[0]):
        not_found()
    return assessment, version[0], version[1]


def audit_view(action: str, assessment: Assessment, *versions: AssessmentVersion, **detail: Any) -> None:
    """One audit event for each view of answers that are not public (a draft, or a private or
    network-shared version), committed at once since the page itself changes nothing."""
    if versions and all(version.visibility == Visibility.PUBLIC for version in versions):
        return
    audit.record(
        action,
        actor_id=current_user.id if current_user.is_authenticated else None,
        object_type="assessment",
        object_id=assessment.id,
        **detail,
    )
    commit()


def not_found() -> NoReturn:
    """404 for members; anonymous visitors are asked to sign in, whether or not the page exists."""
    if not current_user.is_authenticated:
        abort(redirect(url_for("auth.login", next=request.full_path.rstrip("?"))))
    abort(404)


def number_arg(value: Any) -> int:
    """A version number from the query string (-1, which matches nothing, if it is not one)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
