"""Buddying lead pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..access import alliance_role_required
from ..models import Alliance, Role
from . import services

bp = Blueprint("buddying", __name__, url_prefix="/alliances/<slug>/buddying")


@bp.route("/")
@alliance_role_required(Role.BUDDYING_LEAD)
def home(alliance: Alliance) -> str:
    cycle = services.latest_results_cycle(alliance)
    return render_template(
        "buddying/home.html",
        alliance=alliance,
        cycle=cycle,
        members=services.member_statuses(alliance, cycle),
        pairs=services.alliance_pairs(alliance),
    )
