"""Trust users' pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..access import load_trust_assessment, trust_user_required
from ..models import Trust
from . import services

bp = Blueprint("questionnaire", __name__, url_prefix="/trusts/<code>")


@bp.route("/")
@trust_user_required
def trust_home(trust: Trust) -> str:
    return render_template(
        "questionnaire/trust_home.html",
        trust=trust,
        alliances=services.trust_alliances(trust),
        assessments=services.trust_assessments(trust),
    )


@bp.route("/assessments/<int:assessment_id>/")
@trust_user_required
def assessment(trust: Trust, assessment_id: int) -> str:
    found = load_trust_assessment(trust, assessment_id)
    sections = services.task_list(found)
    return render_template(
        "questionnaire/assessment.html",
        trust=trust,
        assessment=found,
        sections=sections,
        completed=sum(1 for s in sections if s.status == "Completed"),
    )
