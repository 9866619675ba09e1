"""Sign-in, sign-out, password reset and invitation acceptance pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import sessions
from ..access import public, signed_in
from . import services, tokens
from .forms import ForgotPasswordForm, NewPasswordForm, SignInForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a path on this site (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.home")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> str | Response:
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        if not services.sign_in_allowed(form.email.data or ""):
            return render_template("auth/sign_in.html", form=form, throttled=True), 429  # type: ignore[return-value]
        target = _safe_next(request.args.get("next"))
        draft = sessions.parse_draft(form.draft.data)
        user = services.sign_in(form.email.data or "", form.password.data or "",
                                draft=draft if draft and draft["path"] == target else None)
        if user is not None:
            return redirect(target)
        # One message whatever was wrong, linked to the first field (no account enumeration).
        form.email.errors = ["Enter a correct email address and password"]
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out() -> Response:
    services.sign_out()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data or "")
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> str | Response:
    return _choose_password(token, tokens.RESET, "auth.password_reset")


@bp.route("/accept-invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str) -> str | Response:
    return _choose_password(token, tokens.INVITE, "auth.invitation_accepted")


def _choose_password(token: str, purpose: str, action: str) -> str | Response:
    user = services.user_for_token(token, purpose)
    if user is None:
        return render_template("auth/link_invalid.html", purpose=purpose), 400  # type: ignore[return-value]
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data or "", action=action)
        except services.PasswordRejected as problem:
            form.password.errors = [str(problem)]
        else:
            flash("Your password has been set. You are signed in.", "success")
            return redirect(url_for("main.home"))
    return render_template("auth/new_password.html", form=form, purpose=purpose, user=user)
