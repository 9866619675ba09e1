"""Sign-in, sign-out, password reset and invitation acceptance pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import kept_input
from ..access import SignInRequired, public, signed_in
from . import services, tokens, two_factor
from .forms import (
    ForgotPasswordForm,
    NewPasswordForm,
    SecondFactorForm,
    SetUpSecondFactorForm,
    SignInForm,
)

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a path on this site (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.home")


@bp.app_errorhandler(SignInRequired)
def sign_in_required(error: SignInRequired) -> Response | tuple[str, int]:
    """Send someone not signed in to the sign-in page, coming back to where they were.

    A form marked ``keeps_typed_input`` gets the sign-in page itself (401) carrying what was
    typed, but only when the form is proven to come from a page of the ended session (issue
    #13): a cross-site form arrives without the cookie too, and must not plant a draft.
    """
    if not error.keep_input:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    draft = kept_input.draft_from_ended_session()
    form = SignInForm(formdata=None)
    form.draft.data = draft
    page = render_template(
        "auth/sign_in.html",
        form=form,
        kept_draft=draft is not None,
        action=url_for("auth.sign_in", next=request.path),
    )
    return page, 401


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
        draft = kept_input.open_draft(form.draft.data)
        try:
            user = services.sign_in(
                form.email.data or "",
                form.password.data or "",
                draft=draft if draft and draft["path"] == target else None,
            )
        except services.SecondFactorNeeded:
            code_form = SecondFactorForm(formdata=None, draft=form.draft.data)
            return render_template(
                "auth/second_factor.html", form=code_form, next=request.args.get("next")
            )
        if user is not None:
            return redirect(target)
        # One message whatever was wrong, linked to the first field (no account enumeration).
        form.email.errors = ["Enter a correct email address and password"]
    return render_template("auth/sign_in.html", form=form)


@bp.route("/second-factor", methods=["POST"])
@public
def second_factor() -> str | Response | tuple[str, int]:
    """The second step of signing in, for accounts with an authenticator app."""
    form = SecondFactorForm()
    if services.pending_second_factor() is None:
        flash("Your sign-in took too long. Enter your email address and password again.", "error")
        return redirect(url_for("auth.sign_in", next=request.args.get("next")))
    if form.validate_on_submit():
        target = _safe_next(request.args.get("next"))
        draft = kept_input.open_draft(form.draft.data)
        try:
            user = services.complete_second_factor(
                form.code.data or "", draft if draft and draft["path"] == target else None
            )
        except services.TooManyAttempts:
            return render_template(
                "auth/second_factor.html", form=form, throttled=True, next=request.args.get("next")
            ), 429
        if user is not None:
            return redirect(target)
        form.code.errors = [
            "The code is not right, or it has been used already. Enter the code your app shows now"
        ]
    return render_template("auth/second_factor.html", form=form, next=request.args.get("next")), 400


@bp.route("/account/second-factor", methods=["GET", "POST"])
@signed_in
def set_up_second_factor() -> str | Response | tuple[str, int]:
    """Turn the authenticator-app second factor on or off for one's own account."""
    form = SetUpSecondFactorForm()
    user = current_user
    if user.totp_secret is None:
        secret = session.get("new_totp_secret") or two_factor.new_secret()
        session["new_totp_secret"] = secret
        if form.validate_on_submit():
            if services.enable_second_factor(user, secret, form.code.data or ""):
                session.pop("new_totp_secret", None)
                flash(
                    "Your authenticator app is set up. You will need a code from it each "
                    "time you sign in.",
                    "success",
                )
                return redirect(url_for(".set_up_second_factor"))
            form.code.errors = ["The code is not right. Enter the code your app shows now"]
        uri = two_factor.provisioning_uri(secret, user.email)
        return render_template(
            "auth/set_up_second_factor.html",
            form=form,
            secret=secret,
            qr=two_factor.qr_data_uri(uri),
        ), 400 if form.errors else 200
    if form.validate_on_submit():
        if services.disable_second_factor(user, form.code.data or ""):
            flash("The second factor is off. You will sign in with your password only.", "success")
            return redirect(url_for(".set_up_second_factor"))
        form.code.errors = ["The code is not right. Enter the code your app shows now"]
    return render_template(
        "auth/set_up_second_factor.html", form=form, enabled=True
    ), 400 if form.errors else 200


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
