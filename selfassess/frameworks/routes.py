"""Pages about the framework versions in the question bank (public content, no tenant data)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response

from ..access import signed_in, site_admin_required
from ..assessments.versions import VersionRefused
from ..models import Role
from ..questionbank.packing import PackError, unpack
from .services import NoEarlierVersion, changes_in_version
from .shared import publish_shared, shared_versions

bp = Blueprint("frameworks", __name__)


@bp.route("/frameworks/<framework_id>/<version>/changes")
@signed_in
def show_changes(framework_id: str, version: str) -> str:
    """What changed in a version since the one it continues. The question bank's and shared
    versions are public content for any signed-in user; an alliance's own version only for
    users holding a role in that alliance (anyone else is told it does not exist)."""
    questions_dir = Path(current_app.config["QUESTIONS_DIR"])
    try:
        changes = changes_in_version(
            questions_dir, framework_id, version, current_user.alliance_ids(*Role)
        )
    except NoEarlierVersion as none:
        return render_template(
            "frameworks/changes.html", changes=None, version=version, reason=str(none)
        )
    return render_template("frameworks/changes.html", changes=changes, version=version, reason=None)


class SharedVersionForm(FlaskForm):
    """A framework version as the question bank's YAML files, in a zip."""

    archive = FileField(
        "Zip file of the framework's YAML files",
        validators=[FileRequired("Choose the zip file to publish")],
    )


@bp.route("/frameworks/shared", methods=["GET", "POST"])
@site_admin_required
def shared(  # the site administrator's library of versions every alliance may use
) -> str | Response | tuple[str, int]:
    questions_dir = Path(current_app.config["QUESTIONS_DIR"])
    form = SharedVersionForm()
    problem, lines = None, []
    if form.validate_on_submit():
        try:
            files = unpack(request.files["archive"].read())
            snapshot = publish_shared(files, questions_dir, current_user)
        except PackError as bad:
            problem = str(bad)
        except VersionRefused as refused:
            problem, lines = str(refused), [str(p) for p in refused.problems]
        else:
            flash(
                f"{snapshot.title} version {snapshot.version} is shared with every alliance.",
                "success",
            )
            return redirect(url_for(".shared"))
    status = 400 if (form.errors or problem) else 200
    return render_template(
        "frameworks/shared.html",
        versions=shared_versions(questions_dir),
        form=form,
        problem=problem,
        lines=lines,
    ), status
