"""Coordinator pages for the alliance's standards: versions, one version's settings, one change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from ..access import RecordMissing, alliance_role_required
from ..assessments.versions import VersionRefused, available_versions, files_of
from ..downloads import ZIP, attachment
from ..models import Alliance, FrameworkDraft, Role
from ..questionbank.packing import PackError, pack, unpack
from . import drafts, services
from .draft_forms import DraftStandardForm, fill_form, place_problems, standard_from_form
from .forms import (
    ConfirmForm,
    DraftDomainForm,
    StandardSettingForm,
    StartDraftForm,
    UploadVersionForm,
)

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
        draft=drafts.current_draft(alliance),
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


# -- The alliance's own versions: a draft written in the app, files in and out ---------------


def _draft_or_404(alliance: Alliance) -> FrameworkDraft:
    draft = drafts.current_draft(alliance)
    if draft is None:
        raise RecordMissing("no draft")
    return draft


@bp.route("/draft/new", methods=["GET", "POST"])
@alliance_role_required(Role.COORDINATOR)
def start_draft(alliance: Alliance) -> str | Response | tuple[str, int]:
    if drafts.current_draft(alliance) is not None:
        return redirect(url_for(".draft", slug=alliance.slug))
    form = StartDraftForm()
    form.base.choices = [SelectChoice("", "Choose a version")] + [
        SelectChoice(c.key, f"{c.label}, {c.origin}")
        for c in available_versions(alliance.id, _questions_dir())
    ]
    problem = None
    if form.validate_on_submit():
        try:
            drafts.start_draft(
                alliance,
                _questions_dir(),
                form.base.data or "",
                form.version.data or "",
                form.title.data or "",
                current_user,
            )
        except (drafts.DraftRefused, RecordMissing) as refused:
            problem = (
                str(refused)
                if isinstance(refused, drafts.DraftRefused)
                else ("Choose a version from the list.")
            )
        else:
            return redirect(url_for(".draft", slug=alliance.slug))
    status = 400 if (form.errors or problem) else 200
    return render_template(
        "standards/start_draft.html", alliance=alliance, form=form, problem=problem
    ), status


@bp.route("/draft/")
@alliance_role_required(Role.COORDINATOR)
def draft(alliance: Alliance) -> str:
    found = _draft_or_404(alliance)
    return render_template(
        "standards/draft.html",
        alliance=alliance,
        checked=drafts.check(alliance, found, _questions_dir()),
        confirm=ConfirmForm(),
    )


def _standard_form(
    alliance: Alliance, found: FrameworkDraft, standard: str | None
) -> str | Response | tuple[str, int]:
    checked = drafts.check(alliance, found, _questions_dir())
    existing = next((s for s in found.standards if s.get("id") == standard), None)
    if standard is not None and existing is None:
        raise RecordMissing("no such standard in the draft")
    form = DraftStandardForm()
    form.domain.choices = (
        [SelectChoice("", "Choose a domain")]
        + [SelectChoice(d.id, d.name) for d in checked.base_document.domains]
        + [SelectChoice(str(d["id"]), f"{d['name']} (new)") for d in found.domains]
    )
    form.target.choices = [
        SelectChoice(level.level, f"Level {level.level}: {level.label}")
        for level in checked.base_document.scale
    ]
    if not form.is_submitted() and existing is not None:
        fill_form(form, existing)
    for number, entry in enumerate(form.questions.entries, start=1):
        for sub in entry.form:  # each label says which question it belongs to
            sub.label.text = f"Question {number}: {sub.label.text[:1].lower()}{sub.label.text[1:]}"
    unplaced: list[str] = []
    if form.validate_on_submit():
        candidate, slots = standard_from_form(form)
        problems = drafts.save_standard(
            alliance, found, _questions_dir(), candidate, current_user, replacing=standard
        )
        if not problems:
            flash(f"{candidate['id']} is saved in your draft.", "success")
            return redirect(url_for(".draft", slug=alliance.slug))
        unplaced = place_problems(form, str(candidate["id"]), problems, slots)
    failed = bool(form.errors or unplaced or any(f.errors for f in _all_fields(form)))
    return render_template(
        "standards/draft_standard.html",
        alliance=alliance,
        checked=checked,
        form=form,
        unplaced=unplaced,
        standard=standard,
        failed=failed,
    ), (400 if failed else 200)


def _all_fields(form: DraftStandardForm) -> list[Any]:
    fields: list[Any] = []
    for f in form:
        if f.type == "FieldList":
            for entry in f.entries:
                fields.extend(entry.form)
        else:
            fields.append(f)
    return fields


@bp.route("/draft/domains/new", methods=["GET", "POST"])
@alliance_role_required(Role.COORDINATOR)
def add_domain(alliance: Alliance) -> str | Response | tuple[str, int]:
    found = _draft_or_404(alliance)
    form = DraftDomainForm()
    unplaced: list[str] = []
    if form.validate_on_submit():
        code = (form.id.data or "").strip()
        domain = {
            "id": code,
            "name": (form.name.data or "").strip(),
            "description": (form.description.data or "").strip(),
        }
        problems = drafts.add_domain(alliance, found, _questions_dir(), domain, current_user)
        if not problems:
            flash(f"The {domain['name']} domain is added to your draft.", "success")
            return redirect(url_for(".draft", slug=alliance.slug))
        for problem in problems:
            name = (problem.field or "").removeprefix(f"new_domains[{code}]").lstrip(".")
            field = form[name] if name in {"id", "name", "description"} else None
            if field is None:
                unplaced.append(problem.message)
            else:
                field.errors = [*field.errors, problem.message[:1].upper() + problem.message[1:]]
    failed = bool(form.errors or unplaced or any(f.errors for f in form))
    return render_template(
        "standards/draft_domain.html",
        alliance=alliance,
        draft=found,
        form=form,
        unplaced=unplaced,
        failed=failed,
    ), (400 if failed else 200)


@bp.route("/draft/standards/new", methods=["GET", "POST"])
@alliance_role_required(Role.COORDINATOR)
def add_standard(alliance: Alliance) -> str | Response | tuple[str, int]:
    return _standard_form(alliance, _draft_or_404(alliance), None)


@bp.route("/draft/standards/<standard>", methods=["GET", "POST"])
@alliance_role_required(Role.COORDINATOR)
def edit_standard(alliance: Alliance, standard: str) -> str | Response | tuple[str, int]:
    return _standard_form(alliance, _draft_or_404(alliance), standard)


@bp.route("/draft/standards/<standard>/remove", methods=["POST"])
@alliance_role_required(Role.COORDINATOR)
def remove_standard(alliance: Alliance, standard: str) -> Response:
    found = _draft_or_404(alliance)
    if ConfirmForm().validate_on_submit():
        drafts.remove_standard(alliance, found, standard, current_user)
        flash(f"{standard} is removed from your draft.", "success")
    return redirect(url_for(".draft", slug=alliance.slug))


@bp.route("/draft/preview")
@alliance_role_required(Role.COORDINATOR)
def preview_draft(alliance: Alliance) -> str:
    found = _draft_or_404(alliance)
    checked = drafts.check(alliance, found, _questions_dir())
    return render_template("standards/preview.html", alliance=alliance, checked=checked)


@bp.route("/draft/publish", methods=["POST"])
@alliance_role_required(Role.COORDINATOR)
def publish_draft(alliance: Alliance) -> Response:
    found = _draft_or_404(alliance)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".draft", slug=alliance.slug))
    try:
        snapshot = drafts.publish(alliance, found, _questions_dir(), current_user)
    except drafts.DraftRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for(".draft", slug=alliance.slug))
    flash(
        f"Version {snapshot.version} is published. Choose it when you open your next cycle.",
        "success",
    )
    return redirect(
        url_for(
            ".version", slug=alliance.slug, folder=f"{snapshot.framework_key}@{snapshot.version}"
        )
    )


@bp.route("/draft/discard", methods=["POST"])
@alliance_role_required(Role.COORDINATOR)
def discard_draft(alliance: Alliance) -> Response:
    found = _draft_or_404(alliance)
    if ConfirmForm().validate_on_submit():
        drafts.discard(alliance, found, current_user)
        flash("The draft is discarded.", "success")
    return redirect(url_for(".index", slug=alliance.slug))


@bp.route("/<folder>/files.zip")
@alliance_role_required(Role.COORDINATOR)
def export_version(alliance: Alliance, folder: str) -> Response:
    choice = services.version_choice(alliance, _questions_dir(), folder)
    return attachment(
        pack(files_of(choice, _questions_dir())),
        ZIP,
        f"{choice.framework_id}-{choice.version}",
        ".zip",
    )


@bp.route("/import", methods=["GET", "POST"])
@alliance_role_required(Role.COORDINATOR)
def import_version(alliance: Alliance) -> str | Response | tuple[str, int]:
    form = UploadVersionForm()
    problem, lines = None, []
    if form.validate_on_submit():
        try:
            files = unpack(request.files["archive"].read())
            snapshot = drafts.import_version(alliance, files, _questions_dir(), current_user)
        except PackError as bad:
            problem = str(bad)
        except VersionRefused as refused:
            problem, lines = str(refused), [str(p) for p in refused.problems]
        else:
            flash(f"Version {snapshot.version} is imported as your alliance's own.", "success")
            return redirect(
                url_for(
                    ".version",
                    slug=alliance.slug,
                    folder=f"{snapshot.framework_key}@{snapshot.version}",
                )
            )
    status = 400 if (form.errors or problem) else 200
    return render_template(
        "standards/import.html",
        alliance=alliance,
        form=form,
        problem=problem,
        lines=lines,
        prefix=drafts.id_prefix(alliance),
    ), status
