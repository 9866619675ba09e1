"""The settings page where a user makes and revokes their personal API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import signed_in
from ..models._types import utcnow
from . import tokens
from .forms import NewTokenForm, RevokeForm

bp = Blueprint("api_tokens", __name__, url_prefix="/settings/api-tokens")


@bp.route("/", methods=["GET", "POST"])
@signed_in
def list_tokens() -> str | Response:
    """List the user's tokens and make a new one; a new token's secret is shown this once."""
    form = NewTokenForm()
    form.offer(tokens.scope_choices(current_user))
    new_secret = None
    if form.validate_on_submit():
        try:
            made = tokens.create_token(
                current_user, form.name.data or "", form.alliance_id(), int(form.days.data)
            )
        except tokens.TokenRefused as refused:
            form.alliance.errors = [str(refused)]
        else:
            new_secret = made.secret
            form = NewTokenForm(formdata=None)
            form.offer(tokens.scope_choices(current_user))
    response = render_template(
        "api/tokens.html",
        form=form,
        revoke=RevokeForm(),
        tokens=tokens.tokens_of(current_user),
        alliances={a.id: a for a in tokens.scope_choices(current_user)},
        new_secret=new_secret,
        now=utcnow(),
    )
    return response


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@signed_in
def revoke_token(token_id: int) -> Response:
    """Revoke one of the user's tokens: it stops working at once."""
    if RevokeForm().validate_on_submit():
        token = tokens.revoke_token(current_user, token_id)
        flash(f"The token “{token.name}” is revoked.", "success")
    return redirect(url_for("api_tokens.list_tokens"))
