"""The home page: straight to the one role's home, or a choice when there are several."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import public, signed_in
from ..deadlines import time_left
from ..models import Cycle, CycleState
from .services import role_homes

bp = Blueprint("main", __name__)


@bp.app_template_filter("time_left")
def _time_left(cycle: Cycle) -> str:
    """``{{ cycle|time_left }}``: "12 days left", "closes today", "3 days overdue", or "" once
    the cycle is closed."""
    return time_left(cycle.closes_on, date.today(), open_=cycle.state == CycleState.OPEN)


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
