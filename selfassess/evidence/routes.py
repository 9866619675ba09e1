"""Evidence pages: a question's files for its trust (list, upload, remove, download), and the
download a coordinator reviewing the assessment follows."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import (
    alliance_role_required,
    load_alliance_assessment,
    load_panel_assessment,
    load_trust_assessment,
    trust_user_required,
)
from ..assessments.answers import NotEditable, editable
from ..models import Alliance, Role, Trust
from . import services
from .filetypes import ALLOWED_NAMES, MAX_BYTES
from .forms import RemoveForm, UploadForm

bp = Blueprint("evidence", __name__)

TRUST = "/trusts/<code>/assessments/<int:assessment_id>/evidence"


@bp.route(f"{TRUST}/<question>", methods=["GET", "POST"])
@trust_user_required
def question_files(
    trust: Trust, assessment_id: int, question: str
) -> str | Response | tuple[str, int]:
    assessment = load_trust_assessment(trust, assessment_id)
    found = services.question_of(assessment, question)
    form = UploadForm()
    problem = None
    if request.method == "POST":
        if not editable(assessment):
            problem = "This assessment can no longer be changed, so its files cannot either."
        elif form.validate_on_submit():
            try:
                attached = services.upload(assessment, found.code, form.evidence.data, current_user)
            except services.FileRefused as refused:
                form.evidence.errors = [str(refused)]
            except NotEditable as refused:
                problem = str(refused)
            else:
                flash(f"{attached.filename} is attached to {found.code}.", "success")
                return redirect(request.path)
    failed = bool(problem or form.errors or form.evidence.errors)
    return render_template(
        "evidence/question.html",
        trust=trust,
        assessment=assessment,
        question=found,
        files=services.files_by_question(assessment.id, [found.code]).get(found.code, []),
        form=form,
        remove_form=RemoveForm(),
        problem=problem,
        can_change=editable(assessment),
        allowed=ALLOWED_NAMES,
        max_mb=MAX_BYTES // 1024 // 1024,
    ), (400 if failed else 200)


@bp.route(f"{TRUST}/files/<int:file_id>/remove", methods=["POST"])
@trust_user_required
def remove_file(trust: Trust, assessment_id: int, file_id: int) -> Response:
    assessment = load_trust_assessment(trust, assessment_id)
    attachment = services.load_file(assessment, file_id)
    back = url_for(
        ".question_files",
        code=trust.code,
        assessment_id=assessment.id,
        question=attachment.question_code,
    )
    if RemoveForm().validate_on_submit():
        try:
            services.remove(assessment, attachment, current_user)
        except NotEditable as refused:
            flash(str(refused), "error")
        else:
            flash(f"{attachment.filename} is removed from {attachment.question_code}.", "success")
    return redirect(back)


@bp.route(f"{TRUST}/files/<int:file_id>")
@trust_user_required
def trust_download(trust: Trust, assessment_id: int, file_id: int) -> Response:
    assessment = load_trust_assessment(trust, assessment_id)
    return services.download(services.load_file(assessment, file_id))


@bp.route("/alliances/<slug>/assessments/<int:assessment_id>/evidence/files/<int:file_id>")
@alliance_role_required(Role.COORDINATOR)
def coordinator_download(alliance: Alliance, assessment_id: int, file_id: int) -> Response:
    assessment = load_alliance_assessment(alliance, assessment_id)
    return services.download(services.load_file(assessment, file_id))


@bp.route("/trusts/<code>/moderation/<int:assessment_id>/files/<int:file_id>")
@trust_user_required
def panel_download(trust: Trust, assessment_id: int, file_id: int) -> Response:
    """A peer reviewer's download of an evidence file of the assessment they moderate."""
    assessment = load_panel_assessment(trust, assessment_id)
    return services.download(services.load_file(assessment, file_id))
