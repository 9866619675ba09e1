"""Coordinator pages."""

from __future__ import annotations

import re

from flask import Blueprint, Response, render_template

from ..access import alliance_role_required, load_cycle
from ..exports import services as exports
from ..models import Alliance, Role
from . import services

bp = Blueprint("coordinator", __name__, url_prefix="/alliances/<slug>")


@bp.route("/")
@alliance_role_required(Role.COORDINATOR)
def home(alliance: Alliance) -> str:
    return render_template(
        "coordinator/home.html",
        alliance=alliance,
        members=services.alliance_members(alliance),
        cycles=services.cycle_summaries(alliance),
    )


def _csv_download(text: str, filename: str) -> Response:
    # Cycle names are free text: keep the header ASCII, one line and unquotable.
    filename = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "export.csv"
    return Response(
        text.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/cycles/<int:cycle_id>/answers.csv")
@alliance_role_required(Role.COORDINATOR)
def export_answers(alliance: Alliance, cycle_id: int) -> Response:
    cycle = load_cycle(alliance, cycle_id)
    return _csv_download(exports.answers_csv([(alliance, cycle)]),
                         f"{alliance.slug}-{cycle.name.replace('/', '-')}-answers.csv")


@bp.route("/cycles/<int:cycle_id>/scores.csv")
@alliance_role_required(Role.COORDINATOR)
def export_scores(alliance: Alliance, cycle_id: int) -> Response:
    cycle = load_cycle(alliance, cycle_id)
    return _csv_download(exports.scores_csv([(alliance, cycle)]),
                         f"{alliance.slug}-{cycle.name.replace('/', '-')}-scores.csv")
