"""Site administration pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from ..access import site_admin_required
from ..extensions import db
from ..models import Role, User
from . import services
from .forms import ConfirmForm, InviteUserForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _invite_form(data: dict[str, object]) -> InviteUserForm:
    """The invite form with the instance's alliances and trusts as choices."""
    form = InviteUserForm()
    form.alliance.choices = [SelectChoice("", "Not applicable")] + [
        SelectChoice(str(a.id), a.name) for a, _ in data["alliances"]  # type: ignore[attr-defined]
    ]
    form.trust.choices = [SelectChoice("", "Not applicable")] + [
        SelectChoice(str(t.id), f"{t.name} ({t.code})")
        for t in data["trusts"]  # type: ignore[attr-defined]
    ]
    return form


@bp.route("/")
@site_admin_required
def home() -> str:
    data = services.overview()
    return render_template("admin/home.html", **data, form=_invite_form(data),
                           confirm=ConfirmForm())


@bp.route("/users/invite", methods=["POST"])
@site_admin_required
def invite_user() -> str | Response:
    data = services.overview()
    form = _invite_form(data)
    if not form.validate_on_submit():
        return render_template("admin/home.html", **data, form=form,
                               confirm=ConfirmForm()), 400  # type: ignore[return-value]
    role = Role(form.role.data)
    services.invite_user(
        form.email.data or "", form.name.data or "", role,
        alliance_id=int(form.alliance.data) if role in (Role.COORDINATOR, Role.BUDDYING_LEAD)
        else None,
        trust_id=int(form.trust.data) if role == Role.TRUST_USER else None,
    )
    flash(f"Invitation sent to {form.email.data}.", "success")
    return redirect(url_for("admin.home"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@site_admin_required
def toggle_user(user_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if user.id == current_user.id:
        flash("You cannot deactivate your own account. Ask another administrator.", "error")
        return redirect(url_for("admin.home"))
    services.set_user_active(user, not user.active)
    flash(f"{user.name} is now {'active' if user.active else 'deactivated'}.", "success")
    return redirect(url_for("admin.home"))


@bp.route("/users/<int:user_id>/second-factor", methods=["POST"])
@site_admin_required
def remove_second_factor(user_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    services.remove_second_factor(user)
    flash(f"{user.name}'s second factor is off; they can sign in with their password and set "
          "up a new app.", "success")
    return redirect(url_for("admin.home"))
