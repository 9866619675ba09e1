"""Moderation pages: the alliance's setting, each assessment's panel, and the panel's decisions
(for the coordinator, and for peer reviewers nominated from other member trusts)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from ..access import (
    alliance_role_required,
    load_alliance_assessment,
    load_panel_assessment,
    trust_user_required,
)
from ..assessments.moderation import (
    ModerationRefused,
    candidates,
    moderates,
    standard_codes,
)
from ..errors import render_error
from ..models import Alliance, Assessment, AssessmentState, Role, Trust
from . import services
from .forms import (
    DecisionsForm,
    NominateForm,
    PanelistForm,
    SettingsForm,
    decisions,
    typed_decisions,
)

bp = Blueprint("moderation", __name__)


@bp.route("/alliances/<slug>/moderation", methods=["GET", "POST"])
@alliance_role_required(Role.COORDINATOR)
def settings(alliance: Alliance) -> Response | tuple[str, int]:
    """Whether the alliance moderates each submitted self-assessment before validating it."""
    form = SettingsForm(data={"moderation": "on" if alliance.moderation else "off"})
    if request.method == "POST":
        form = SettingsForm()
        if form.validate():
            on = form.moderation.data == "on"
            if services.switch(alliance, on):
                flash(
                    "Self-assessments are now moderated before they are validated."
                    if on
                    else "Self-assessments are no longer moderated.",
                    "success",
                )
            return redirect(url_for(".settings", slug=alliance.slug))
    status = 400 if form.errors else 200
    return render_template("moderation/settings.html", alliance=alliance, form=form), status


def _render(
    assessment: Assessment,
    post_url: str,
    *,
    alliance: Alliance | None = None,
    panel_trust: Trust | None = None,
    typed: dict[str, tuple[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    nominate_form = None
    if alliance is not None:
        nominate_form = NominateForm(formdata=None)
        nominate_form.user.choices = [SelectChoice("", "Choose a person")] + [
            SelectChoice(str(c.user.id), f"{c.user.name} ({c.trust.name})")
            for c in candidates(assessment)
        ]
    return render_template(
        "moderation/assessment.html",
        assessment=assessment,
        trust=assessment.membership.trust,
        alliance=alliance,
        panel_trust=panel_trust,
        page=services.page(assessment),
        form=DecisionsForm(),
        nominate_form=nominate_form,
        panelist_form=PanelistForm(),
        post_url=post_url,
        can_decide=assessment.state == AssessmentState.SUBMITTED and moderates(assessment),
        typed=typed or {},
        errors=errors or {},
    ), status


def _decide(assessment: Assessment, post_url: str, **where: object) -> Response | tuple[str, int]:
    """Read and record the panel's decisions; on any problem, the page again with what was typed
    and each message beside its standard."""
    form = DecisionsForm()
    if not form.validate():
        return render_error(400, "The form has expired: go back, reload the page and try again.")
    # Only the standard codes: the whole page (answers, files, scores) is built when shown.
    codes = standard_codes(assessment)
    typed = typed_decisions(request.form, codes)
    chosen, errors = decisions(typed)
    if not errors and not chosen:
        errors["_form"] = "Choose a decision for at least one standard"
    if errors and chosen:
        errors = {**services.problems(assessment, chosen), **errors}
    elif chosen:
        try:
            changed = services.decide(assessment, current_user, chosen)
        except ModerationRefused as refused:
            errors.update(refused.errors or {"_form": str(refused)})
        else:
            flash(
                f"The panel's decision on {changed} standard{'s' if changed != 1 else ''} "
                "is recorded."
                if changed
                else "Nothing changed.",
                "success",
            )
            return redirect(post_url)
    return _render(assessment, post_url, typed=typed, errors=errors, status=400, **where)  # type: ignore[arg-type]


@bp.route("/alliances/<slug>/assessments/<int:assessment_id>/moderation", methods=["GET", "POST"])
@alliance_role_required(Role.COORDINATOR)
def coordinator_page(alliance: Alliance, assessment_id: int) -> Response | tuple[str, int]:
    """The coordinator's moderation page: the panel, and its decisions on each standard."""
    found = load_alliance_assessment(alliance, assessment_id)
    here = url_for(".coordinator_page", slug=alliance.slug, assessment_id=found.id)
    if request.method == "POST":
        return _decide(found, here, alliance=alliance)
    return _render(found, here, alliance=alliance)


@bp.route("/alliances/<slug>/assessments/<int:assessment_id>/moderation/panel", methods=["POST"])
@alliance_role_required(Role.COORDINATOR)
def nominate(alliance: Alliance, assessment_id: int) -> Response | tuple[str, int]:
    """Nominate a peer reviewer from another member trust."""
    found = load_alliance_assessment(alliance, assessment_id)
    here = url_for(".coordinator_page", slug=alliance.slug, assessment_id=found.id)
    form = NominateForm()
    form.user.choices = [SelectChoice(str(c.user.id), c.user.name) for c in candidates(found)]
    if not form.validate():
        message = next(iter(form.user.errors), "Choose a peer reviewer from another member trust")
        return _render(found, here, alliance=alliance, errors={"_panel": message}, status=400)
    try:
        panelist = services.nominate(found, int(form.user.data), current_user)
    except ModerationRefused as refused:
        return _render(found, here, alliance=alliance, errors={"_panel": str(refused)}, status=400)
    flash(f"{panelist.user.name} of {panelist.trust.name} is on the panel.", "success")
    return redirect(here)


@bp.route(
    "/alliances/<slug>/assessments/<int:assessment_id>/moderation/panel/<int:panelist_id>/remove",
    methods=["POST"],
)
@alliance_role_required(Role.COORDINATOR)
def remove_panelist(alliance: Alliance, assessment_id: int, panelist_id: int) -> Response:
    """Take a peer reviewer off the panel."""
    found = load_alliance_assessment(alliance, assessment_id)
    if not PanelistForm().validate():
        return render_error(400, "The form has expired: go back, reload the page and try again.")
    try:
        services.remove(found, panelist_id)
    except ModerationRefused as refused:
        return render_error(404, str(refused))
    flash("The peer reviewer is off the panel.", "success")
    return redirect(url_for(".coordinator_page", slug=alliance.slug, assessment_id=found.id))


@bp.route("/trusts/<code>/moderation/")
@trust_user_required
def panel_list(trust: Trust) -> str:
    """The self-assessments of other members this user is nominated to moderate."""
    return render_template(
        "moderation/panel_list.html",
        trust=trust,
        assessments=services.to_moderate(current_user, trust),
    )


@bp.route("/trusts/<code>/moderation/<int:assessment_id>", methods=["GET", "POST"])
@trust_user_required
def panel_page(trust: Trust, assessment_id: int) -> Response | tuple[str, int]:
    """A peer reviewer's moderation page for one nominated self-assessment."""
    found = load_panel_assessment(trust, assessment_id)
    here = url_for(".panel_page", code=trust.code, assessment_id=found.id)
    if request.method == "POST":
        return _decide(found, here, panel_trust=trust)
    return _render(found, here, panel_trust=trust)
