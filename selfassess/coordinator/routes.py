"""Coordinator pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..access import alliance_role_required
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
