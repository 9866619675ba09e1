"""The trust's side of a review: the reviewer's comments on single questions, and replies.

Registered on the questionnaire's blueprint (its own module to keep routes.py small).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import load_trust_assessment, trust_user_required
from ..assessments.answers import NotEditable
from ..assessments.review_threads import MAX_COMMENT, reply, threads
from ..models import AssessmentState, Trust
from .forms import ConfirmForm
from .routes import bp


@bp.route("/assessments/<int:assessment_id>/review-comments", methods=["GET", "POST"])
@trust_user_required
def review_comments(trust: Trust, assessment_id: int) -> str | Response | tuple[str, int]:
    found = load_trust_assessment(trust, assessment_id)
    problem, typed, failed_code = None, "", None
    all_threads = threads(found.id)
    if request.method == "POST":
        form = ConfirmForm()
        code = request.form.get("question", "")
        typed = request.form.get("reply", "")
        if not form.validate_on_submit():
            problem, failed_code = "The page expired. Your reply is below: send it again.", code
        elif code not in all_threads:
            problem = "Choose a question your reviewer commented on."
        elif not typed.strip():
            problem, failed_code = "Enter your reply", code
        elif len(typed) > MAX_COMMENT:
            problem, failed_code = f"Keep your reply to {MAX_COMMENT} characters", code
        else:
            try:
                reply(found, code, typed, current_user)
            except NotEditable as refused:
                problem, failed_code = str(refused), code
            else:
                flash(f"Your reply on {code} is saved. Your reviewer sees it with your answers.")
                return redirect(request.path)
    return render_template(
        "questionnaire/review_comments.html",
        trust=trust,
        assessment=found,
        threads=all_threads,
        can_reply=found.state == AssessmentState.RETURNED,
        form=ConfirmForm(formdata=None),
        problem=problem,
        typed=typed,
        failed_code=failed_code,
        back=url_for("questionnaire.assessment", code=trust.code, assessment_id=found.id),
    ), (400 if problem else 200)
