"""The home page: straight to the one role's home, or a choice when there are several."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import public, signed_in
from ..deadlines import deadline_for, time_left
from ..models import Assessment, Cycle, CycleState
from .services import role_homes

bp = Blueprint("main", __name__)


@bp.app_template_filter("time_left")
def _time_left(about: Cycle | Assessment) -> str:
    """``{{ cycle|time_left }}``: "12 days left", "closes today", "3 days overdue", or "" once
    the cycle is closed. ``{{ assessment|time_left }}`` counts to that member's own deadline
    (an extension), which is what a member's pages must show."""
    if isinstance(about, Assessment):
        cycle, closes_on = about.cycle, deadline_for(about)
    else:
        cycle, closes_on = about, about.closes_on
    return time_left(closes_on, date.today(), open_=cycle.state == CycleState.OPEN)


@bp.app_template_filter("deadline")
def _deadline(assessment: Assessment) -> date:
    """``{{ assessment|deadline }}``: the date this member must submit by."""
    return deadline_for(assessment)


@bp.route("/favicon.ico")
@public
def favicon() -> Response:
    """The icon, for clients that ask for ``/favicon.ico`` without reading the page's link
    (pages link ``static/favicon.svg`` themselves); it was a 404 in every browser console."""
    return redirect(url_for("static", filename="favicon.svg"))


@bp.route("/")
@public
def index() -> Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return redirect(url_for("auth.sign_in"))


@bp.route("/home")
@signed_in
def home() -> str | Response:
    homes = role_homes(current_user)
    if len(homes) == 1:
        return redirect(homes[0].url)
    return render_template("main/home.html", homes=homes)
