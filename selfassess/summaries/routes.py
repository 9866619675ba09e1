"""The published alliance summary: the coordinator publishes or withdraws it; anyone reads it."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import alliance_role_required, load_cycle, load_published_cycle, public
from ..models import Alliance, Role
from . import services
from .forms import ConfirmForm

bp = Blueprint("summaries", __name__)


@bp.route("/alliances/<slug>/cycles/<int:cycle_id>/summary")
@alliance_role_required(Role.COORDINATOR)
def summary_page(alliance: Alliance, cycle_id: int) -> str:
    """Whether the cycle's summary is public, what it shows, and the button to change that."""
    cycle = load_cycle(alliance, cycle_id)
    return render_template(
        "summaries/manage.html",
        alliance=alliance,
        cycle=cycle,
        published=services.published(cycle),
        refusal=services.refusal(cycle),
        lines=services.member_lines(cycle),
        form=ConfirmForm(),
    )


@bp.route("/alliances/<slug>/cycles/<int:cycle_id>/summary/publish", methods=["POST"])
@alliance_role_required(Role.COORDINATOR)
def publish_summary(alliance: Alliance, cycle_id: int) -> Response:
    cycle = load_cycle(alliance, cycle_id)
    return _act(alliance, cycle.id, lambda: services.publish(cycle, current_user), "published")


@bp.route("/alliances/<slug>/cycles/<int:cycle_id>/summary/withdraw", methods=["POST"])
@alliance_role_required(Role.COORDINATOR)
def withdraw_summary(alliance: Alliance, cycle_id: int) -> Response:
    cycle = load_cycle(alliance, cycle_id)
    return _act(alliance, cycle.id, lambda: services.withdraw(cycle, current_user), "withdrawn")


def _act(alliance: Alliance, cycle_id: int, action: Callable[[], None], done: str) -> Response:
    """Run one service; a refusal is flashed. Either way, back to the summary page."""
    try:
        action()
    except services.SummaryRefused as refused:
        flash(str(refused), "error")
    else:
        flash(f"The summary is {done}.", "success")
    return redirect(url_for(".summary_page", slug=alliance.slug, cycle_id=cycle_id))


@bp.route("/published/<slug>/<int:cycle_id>")
@public
def published_summary(slug: str, cycle_id: int) -> str:
    """The public page: alliance, cycle, each member's name and status; 404 unless published."""
    alliance, cycle = load_published_cycle(slug, cycle_id)
    return render_template(
        "summaries/public.html",
        alliance=alliance,
        cycle=cycle,
        lines=services.member_lines(cycle),
    )
