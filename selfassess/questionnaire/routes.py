"""Trust users' pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..access import trust_user_required
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
