"""Spreadsheet downloads and the workbook upload.

Trust users download and upload their own assessment's workbook; coordinators download any
member's from the review page, and XLSX copies of the cycle tables next to the CSV links.
"""

from __future__ import annotations

import io
from typing import Any

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import (
    alliance_role_required,
    load_alliance_assessment,
    load_trust_assessment,
    trust_user_required,
)
from ..assessments.answers import editable
from ..downloads import XLSX, attachment
from ..errors import render_error
from ..extensions import csrf
from ..models import Alliance, Role, Trust
from . import services
from .forms import UploadWorkbookForm

bp = Blueprint("workbook", __name__)

#: Largest upload accepted: a filled-in workbook is a few hundred kilobytes.
MAX_UPLOAD = 2 * 1024 * 1024


def _xlsx(data: bytes, stem: str) -> Response:
    return attachment(data, XLSX, stem, ".xlsx")


@bp.url_value_preprocessor
def _keep_uploads_in_memory(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Runs before every ``before_request`` hook (one of them reads the form): limit the
    upload's size and keep it in memory, so an uploaded workbook never touches the disk."""
    if endpoint == "workbook.upload_workbook" and request.method == "POST":
        raw = request._get_current_object()  # type: ignore[attr-defined]
        raw.max_content_length = MAX_UPLOAD + 64 * 1024
        raw._get_file_stream = lambda *args, **kwargs: io.BytesIO()


@bp.route("/trusts/<code>/assessments/<int:assessment_id>/workbook.xlsx")
@trust_user_required
def download_workbook(trust: Trust, assessment_id: int) -> Response:
    data, filename = services.workbook_download(load_trust_assessment(trust, assessment_id))
    return _xlsx(data, filename)


def _upload_page(
    trust: Trust, assessment: Any, form: UploadWorkbookForm, status: int = 200, **context: Any
) -> tuple[str, int]:
    return render_template(
        "workbook/upload.html",
        trust=trust,
        assessment=assessment,
        form=form,
        editable=editable(assessment),
        **context,
    ), status


@bp.route("/trusts/<code>/assessments/<int:assessment_id>/workbook", methods=["GET", "POST"])
@csrf.exempt  # the upload form checks its own token, after the size limit above is set
@trust_user_required
def upload_workbook(trust: Trust, assessment_id: int) -> Response | tuple[str, int]:
    found = load_trust_assessment(trust, assessment_id)
    form = UploadWorkbookForm()
    if request.method == "GET":
        return _upload_page(trust, found, form)
    if not editable(found):
        return render_error(
            409,
            "This self-assessment can no longer be changed, so a workbook "
            "cannot be uploaded. Nothing has been saved.",
        )
    if not form.validate():
        return _upload_page(trust, found, form, 400)
    data = form.workbook.data.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return _upload_page(
            trust,
            found,
            form,
            413,
            refused="The file is larger than 2 MB. "
            "Upload the workbook you downloaded, with only your answers added.",
        )
    try:
        outcome = services.upload(found, data, current_user)
    except services.WorkbookRefused as refused:
        return _upload_page(trust, found, form, 400, refused=str(refused))
    except services.NotEditable as refused:
        return render_error(409, str(refused))
    if outcome.refused:
        return _upload_page(
            trust,
            found,
            form,
            409 if outcome.conflicts else 400,
            problems=outcome.problems,
            conflicts=outcome.conflicts,
        )
    if outcome.saved:
        message = f"Your workbook is uploaded: {outcome.saved} answers were saved."
    else:
        message = "Your workbook matched your saved answers, so nothing needed saving."
    if outcome.theirs_kept:
        message += (
            f" Someone else changed {len(outcome.theirs_kept)} answers online meanwhile "
            f"that your workbook left alone; theirs are kept "
            f"({', '.join(outcome.theirs_kept)})."
        )
    flash(message, "success")
    return redirect(url_for("questionnaire.assessment", code=trust.code, assessment_id=found.id))


@bp.route("/alliances/<slug>/assessments/<int:assessment_id>/workbook.xlsx")
@alliance_role_required(Role.COORDINATOR)
def download_review_workbook(alliance: Alliance, assessment_id: int) -> Response:
    data, filename = services.workbook_download(load_alliance_assessment(alliance, assessment_id))
    return _xlsx(data, filename)
