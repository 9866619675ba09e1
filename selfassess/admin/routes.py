"""Site administration pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from ..access import site_admin_required
from ..extensions import db
from ..invitations import waiting
from ..invitations.rules import Scope
from ..invitations.services import InvitationRefused
from ..models import MembershipRequest, OutboxEmail, Role, RoleInvitation, User
from . import services
from .forms import ConfirmForm, InviteUserForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _invite_form(data: dict[str, object]) -> InviteUserForm:
    """The invite form with the instance's alliances and trusts as choices."""
    form = InviteUserForm()
    form.alliance.choices = [SelectChoice("", "Not applicable")] + [
        SelectChoice(str(a.id), a.name)
        for a, _ in data["alliances"]  # type: ignore[attr-defined]
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
    return render_template(
        "admin/home.html", **data, form=_invite_form(data), confirm=ConfirmForm()
    )


@bp.route("/users/invite", methods=["POST"])
@site_admin_required
def invite_user() -> str | Response:
    data = services.overview()
    form = _invite_form(data)
    if not form.validate_on_submit():
        return render_template("admin/home.html", **data, form=form, confirm=ConfirmForm()), 400  # type: ignore[return-value]
    role = Role(form.role.data)
    scope = Scope(
        role.value,
        alliance_id=int(form.alliance.data) if role != Role.SITE_ADMIN else None,
        trust_id=int(form.trust.data) if role == Role.TRUST_USER else None,
    )
    try:
        services.invite_user(current_user, form.email.data or "", form.name.data or "", scope)
    except InvitationRefused as problem:
        form.trust.errors = [str(problem)]
        return render_template("admin/home.html", **data, form=form, confirm=ConfirmForm()), 400  # type: ignore[return-value]
    flash(
        f"Invitation sent to {form.email.data}. The role is given when they accept it.", "success"
    )
    return redirect(url_for("admin.home"))


@bp.route("/membership-requests/<int:request_id>", methods=["POST"])
@site_admin_required
def answer_membership_request(request_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    found = db.session.get(MembershipRequest, request_id)
    if found is None:
        abort(404)
    if found.outcome is not None:
        flash(f"The request for {found.code} was already {found.outcome}.", "error")
        return redirect(url_for("admin.home"))
    approve = request.form.get("answer") == "approve"
    services.answer_membership_request(found, approve, current_user)
    flash(f"{found.code} {'joined the alliance' if approve else 'was not added'}.", "success")
    return redirect(url_for("admin.home"))


@bp.route("/users/<int:user_id>/active/check")
@site_admin_required
def confirm_deactivate(user_id: int) -> tuple[str, int] | Response:
    """The check page before deactivating an account: what it ends at once."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not user.active or user.id == current_user.id:
        return redirect(url_for("admin.home"))
    return render_template("admin/confirm_deactivate.html", user=user, confirm=ConfirmForm()), 200


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
    flash(
        f"{user.name}'s second factor is off; they can sign in with their password and set "
        "up a new app.",
        "success",
    )
    return redirect(url_for("admin.home"))


@bp.route("/emails/<int:outbox_id>/retry", methods=["POST"])
@site_admin_required
def retry_email(outbox_id: int) -> Response:
    """Try a failed email again, through the outbox's own delivery job."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    email = db.session.get(OutboxEmail, outbox_id)
    if email is None:
        abort(404)
    if services.retry_email(email, current_user):
        flash(f"The email to {email.recipient} will be tried again.", "success")
    else:
        flash(f"The email to {email.recipient} is no longer failed: nothing to retry.", "error")
    return redirect(url_for("admin.home", _anchor="failed-emails"))


@bp.route("/invitations/<int:invitation_id>/resend", methods=["POST"])
@site_admin_required
def resend_invitation(invitation_id: int) -> Response:
    """Send an unanswered invitation again with a fresh link (an expired one, say)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    offer = db.session.get(RoleInvitation, invitation_id)
    if offer is None:
        abort(404)
    try:
        waiting.resend(offer, current_user)
    except InvitationRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        flash(f"The invitation was sent again to {offer.email}.", "success")
    return redirect(url_for("admin.home", _anchor="offers"))
