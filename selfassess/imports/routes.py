"""Coordinators import member trusts and users from CSV: upload, preview, then confirm."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..access import alliance_role_required
from ..invitations.services import describe, standing_offers
from ..models import Alliance, Role
from . import members, users
from .forms import MAX_CSV_TEXT, ConfirmCsvForm, PreviewCsvForm
from .members_csv import COLUMNS, decode
from .users_csv import COLUMNS as USER_COLUMNS

bp = Blueprint("imports", __name__, url_prefix="/alliances/<slug>")


def _page(
    alliance: Alliance, form: PreviewCsvForm, status: int = 200, **context: object
) -> tuple[str, int]:
    return render_template(
        "imports/members.html",
        alliance=alliance,
        form=form,
        columns=COLUMNS,
        waiting=members.pending_requests(alliance),
        **context,
    ), status


def _users_page(
    alliance: Alliance, form: PreviewCsvForm, status: int = 200, **context: object
) -> tuple[str, int]:
    return render_template(
        "imports/users.html",
        alliance=alliance,
        form=form,
        columns=USER_COLUMNS,
        waiting=standing_offers(alliance),
        describe=describe,
        **context,
    ), status


def _read(form: PreviewCsvForm) -> str:
    """The uploaded file as text; ValueError with a message if it cannot be."""
    data = form.members.data.read(MAX_CSV_TEXT + 1)
    if len(data) > MAX_CSV_TEXT:
        raise ValueError("The file is too large; import at most 500 lines at once")
    return decode(data)


@bp.route("/members/import", methods=["GET", "POST"])
@alliance_role_required(Role.COORDINATOR)
def preview_members(alliance: Alliance) -> tuple[str, int]:
    form = PreviewCsvForm()
    if not form.validate_on_submit():
        return _page(alliance, form, 400 if form.errors else 200)
    try:
        text = _read(form)
    except ValueError as refused:
        return _page(alliance, form, 400, problems=[str(refused)])
    result = members.preview(alliance, text)
    confirm = ConfirmCsvForm(formdata=None, data={"csv_text": text})
    return _page(
        alliance,
        form,
        400 if result.problems else 200,
        preview=result,
        problems=result.problems,
        confirm=confirm,
    )


@bp.route("/members/import/confirm", methods=["POST"])
@alliance_role_required(Role.COORDINATOR)
def import_members(alliance: Alliance) -> Response | tuple[str, int]:
    confirm = ConfirmCsvForm()
    if not confirm.validate():
        return _page(
            alliance,
            PreviewCsvForm(formdata=None),
            400,
            problems=[e for errors in confirm.errors.values() for e in errors],
        )
    result = members.import_members(alliance, confirm.csv_text.data or "", current_user)
    if result.problems:
        return _page(
            alliance,
            PreviewCsvForm(formdata=None),
            400,
            preview=result,
            problems=result.problems,
            confirm=confirm,
        )
    flash(
        f"{result.changes} trusts were asked of a site administrator, who adds them to "
        f"{alliance.name}."
        if result.changes
        else "Every trust in the file was already a member or asked for; nothing changed.",
        "success",
    )
    return redirect(url_for("coordinator.home", slug=alliance.slug))


@bp.route("/users/import", methods=["GET", "POST"])
@alliance_role_required(Role.COORDINATOR)
def preview_users(alliance: Alliance) -> tuple[str, int]:
    form = PreviewCsvForm()
    if not form.validate_on_submit():
        return _users_page(alliance, form, 400 if form.errors else 200)
    try:
        text = _read(form)
    except ValueError as refused:
        return _users_page(alliance, form, 400, problems=[str(refused)])
    result = users.preview_users(alliance, text)
    confirm = ConfirmCsvForm(formdata=None, data={"csv_text": text})
    return _users_page(
        alliance,
        form,
        400 if result.problems else 200,
        preview=result,
        problems=result.problems,
        confirm=confirm,
    )


@bp.route("/users/import/confirm", methods=["POST"])
@alliance_role_required(Role.COORDINATOR)
def import_users(alliance: Alliance) -> Response | tuple[str, int]:
    confirm = ConfirmCsvForm()
    if not confirm.validate():
        return _users_page(
            alliance,
            PreviewCsvForm(formdata=None),
            400,
            problems=[e for errors in confirm.errors.values() for e in errors],
        )
    result = users.import_users(alliance, confirm.csv_text.data or "", current_user)
    if result.problems:
        return _users_page(
            alliance,
            PreviewCsvForm(formdata=None),
            400,
            preview=result,
            problems=result.problems,
            confirm=confirm,
        )
    flash(
        f"{result.changes} invitations were emailed; each role is given when its invitation "
        "is accepted."
        if result.changes
        else "Everyone in the file already had their role; nothing changed.",
        "success",
    )
    return redirect(url_for("coordinator.home", slug=alliance.slug))
