"""Coordinator pages for the alliance's standards: versions, one version's settings, one change."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from ..access import RecordMissing, alliance_role_required
from ..models import Alliance, Role
from . import services
from .forms import StandardSettingForm

bp = Blueprint("standards", __name__, url_prefix="/alliances/<slug>/standards")


def _questions_dir() -> Path:
    return Path(current_app.config["QUESTIONS_DIR"])


@bp.route("/")
@alliance_role_required(Role.COORDINATOR)
def index(alliance: Alliance) -> str:
    return render_template(
        "standards/index.html",
        alliance=alliance,
        versions=services.versions(alliance, _questions_dir()),
    )


@bp.route("/<folder>/")
@alliance_role_required(Role.COORDINATOR)
def version(alliance: Alliance, folder: str) -> str:
    return render_template(
        "standards/version.html",
        alliance=alliance,
        settings=services.version_settings(alliance, _questions_dir(), folder),
    )


@bp.route("/<folder>/<standard>", methods=["GET", "POST"])
@alliance_role_required(Role.COORDINATOR)
def change(alliance: Alliance, folder: str, standard: str) -> str | Response | tuple[str, int]:
    settings = services.version_settings(alliance, _questions_dir(), folder)
    row = settings.row(standard)  # RecordMissing (404) for a code the version does not have
    form = StandardSettingForm()
    form.target.choices = [
        SelectChoice(int(level["level"]), f"Level {level['level']}: {level['label']}")
        for level in settings.snapshot.scale
    ]
    if not form.is_submitted():
        form.applies.data = "yes" if row.applies else "no"
        form.target.data = int(row.target)
        form.core.data = "yes" if row.core else "no"
        form.reason.data = row.setting.reason if row.setting else ""
    problem = None
    if form.validate_on_submit():
        try:
            services.change_setting(
                alliance,
                settings,
                standard,
                applies=form.applies.data == "yes",
                target=float(form.target.data),
                core=form.core.data == "yes",
                reason=(form.reason.data or "").strip(),
                user=current_user,
            )
        except services.SettingsRefused as refused:
            problem = str(refused)
        else:
            flash(f"{standard} is saved. It applies from the next cycle you open.", "success")
            return redirect(url_for(".version", slug=alliance.slug, folder=folder))
    status = 400 if (form.errors or problem) else 200
    return render_template(
        "standards/change.html",
        alliance=alliance,
        settings=settings,
        row=row,
        form=form,
        problem=problem,
    ), status


__all__ = ["RecordMissing", "bp"]
