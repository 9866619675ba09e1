"""Pages about the framework versions in the question bank (public content, no tenant data)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, render_template

from ..access import signed_in
from .services import NoEarlierVersion, changes_since_previous

bp = Blueprint("frameworks", __name__)


@bp.route("/frameworks/<framework_id>/<version>/changes")
@signed_in
def show_changes(framework_id: str, version: str) -> str:
    """What changed in a version since the one it continues: any signed-in user may read it,
    since it shows the question bank's own files and nothing about any alliance or trust."""
    questions_dir = Path(current_app.config["QUESTIONS_DIR"])
    try:
        changes = changes_since_previous(questions_dir, framework_id, version)
    except NoEarlierVersion as none:
        return render_template(
            "frameworks/changes.html", changes=None, version=version, reason=str(none)
        )
    return render_template("frameworks/changes.html", changes=changes, version=version, reason=None)
