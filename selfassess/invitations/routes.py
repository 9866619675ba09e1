"""The page an invitation link opens: accept or decline the role offered."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import public
from ..auth.services import PasswordRejected
from . import services
from .forms import AnswerForm, NewAccountForm

bp = Blueprint("invitations", __name__, url_prefix="/invitations")


@bp.route("/<token>", methods=["GET", "POST"])
@public
def respond(token: str) -> str | Response | tuple[str, int]:
    offer = services.offer_for_token(token)
    if offer is None:
        return render_template("auth/link_invalid.html", purpose="invite"), 400
    context = {"offer": offer, "role": services.describe(offer)}
    account = services.invitee(offer)
    if account is None or not account.password_hash:
        form = NewAccountForm(data={"name": offer.name} if request.method == "GET" else None)
        if form.validate_on_submit():
            try:
                services.accept_with_new_password(
                    offer, form.name.data or "", form.password.data or ""
                )
            except PasswordRejected as problem:
                form.password.errors = [str(problem)]
            except services.InvitationRefused as problem:
                flash(str(problem), "error")
                return redirect(url_for("main.home"))
            else:
                flash("Your account is ready and you are signed in.", "success")
                return redirect(url_for("main.home"))
        return render_template("invitations/new_account.html", form=form, **context)
    if not current_user.is_authenticated:
        return render_template(
            "invitations/sign_in_first.html",
            **context,
            sign_in=url_for("auth.sign_in", next=request.path),
        )
    form = AnswerForm()
    error = None
    if current_user.email != offer.email:
        error = "This invitation is for another account. Sign out, then open the link again."
    elif form.validate_on_submit():
        try:
            if request.form.get("answer") == "accept":
                services.accept(offer, current_user)
                flash(f"You are now {context['role']}.", "success")
            else:
                services.decline(offer, current_user)
                flash("You declined the invitation. Nothing was changed.", "success")
        except services.InvitationRefused as problem:
            error = str(problem)
        else:
            return redirect(url_for("main.home"))
    status = 200 if error is None else 403
    return render_template("invitations/answer.html", form=form, error=error, **context), status
