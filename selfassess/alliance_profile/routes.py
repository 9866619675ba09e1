"""The alliance profile pages: the coordinator answers the cycle's facts; buddying leads and the
members' users read them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import sessions
from ..access import (
    alliance_role_required,
    keeps_typed_input,
    load_cycle,
    load_trust_assessment,
    trust_user_required,
)
from ..assessments.drafts import code_of, decode_seen
from ..database import reads_only_from_now
from ..errors import render_error
from ..extensions import csrf
from ..models import Alliance, Role, Trust
from ..questionnaire.forms import (
    ConfirmForm,
    SectionFormBase,
    answer_name,
    comment_name,
    restored_form,
    section_form_class,
)
from . import services
from .facts import Profile, copy_offer, load_profile

bp = Blueprint("alliance_profile", __name__)

COORDINATOR = (Role.COORDINATOR,)
READERS = (Role.COORDINATOR, Role.BUDDYING_LEAD)
PROFILE = "/alliances/<slug>/cycles/<int:cycle_id>/profile"


def _initial_form(profile: Profile) -> SectionFormBase:
    data: dict[str, str | None] = {"seen": profile.seen()}
    for question in profile.questions:
        entry = profile.entry(question)
        data[answer_name(question)] = entry.value
        data[comment_name(question)] = entry.comment
    return section_form_class(profile.questions, profile.scale)(formdata=None, data=data)


def _render(
    alliance: Alliance,
    profile: Profile,
    form: SectionFormBase | None,
    status: int = 200,
    **context: object,
) -> tuple[str, int]:
    if request.method == "POST":
        reads_only_from_now()  # nothing more is written: hold no lock while rendering
    offer = copy_offer(profile.cycle) if form is not None else None
    return render_template(
        "alliance_profile/profile.html",
        alliance=alliance,
        cycle=profile.cycle,
        profile=profile,
        form=form,
        offer=offer,
        copy_form=ConfirmForm(),
        coordinator=current_user.has_role(Role.COORDINATOR, alliance_id=alliance.id),
        **context,
    ), status


def _may_edit(alliance: Alliance, profile: Profile) -> bool:
    """Coordinators edit an open cycle's profile; buddying leads and a closed cycle read it."""
    return profile.editable and current_user.has_role(Role.COORDINATOR, alliance_id=alliance.id)


@bp.route(PROFILE, methods=["GET"])
@alliance_role_required(*READERS)
def show_profile(alliance: Alliance, cycle_id: int) -> tuple[str, int]:
    profile = load_profile(load_cycle(alliance, cycle_id))
    if not _may_edit(alliance, profile):
        return _render(alliance, profile, None)
    kept = sessions.pop_draft(request.path)
    if kept is None:
        return _render(alliance, profile, _initial_form(profile))
    form = restored_form(profile.questions, profile.scale, kept)
    return _render(alliance, profile, form, restored=True)


@bp.route(PROFILE, methods=["POST"])
@csrf.exempt  # the profile form checks its own token, so an expired one keeps what was typed
@alliance_role_required(*COORDINATOR)
@keeps_typed_input
def save_profile(alliance: Alliance, cycle_id: int) -> tuple[str, int] | Response:
    profile = load_profile(load_cycle(alliance, cycle_id))
    if not profile.editable:
        return render_error(
            409,
            f"The {profile.cycle.name} cycle is {profile.cycle.state}, so "
            "its alliance profile can no longer be changed.",
        )
    form = section_form_class(profile.questions, profile.scale)()
    if not form.validate():
        expired = bool(form.csrf_token.errors)
        return _render(alliance, profile, form, 200 if expired else 400, expired=expired)
    mine = services.typed_facts(
        profile,
        {code_of(q): form.answer(q).data for q in profile.questions},
        {code_of(q): form.comment(q).data for q in profile.questions},
    )
    cycle_name, slug = profile.cycle.name, alliance.slug  # read before the commit expires them
    try:
        outcome = services.save_profile(profile, mine, decode_seen(form.seen.data), current_user)
    except services.ProfileClosed as refused:
        return render_error(409, str(refused))
    if outcome.merge.conflicts:
        form.seen.data = outcome.profile.seen()
        return _render(
            alliance, outcome.profile, form, 409, conflicts=outcome.merge.conflicts, mine=mine
        )
    flash(f"The alliance profile for {cycle_name} has been saved.", "success")
    return redirect(url_for(".show_profile", slug=slug, cycle_id=cycle_id))


@bp.route(PROFILE + "/copy-forward", methods=["POST"])
@alliance_role_required(*COORDINATOR)
def copy_forward(alliance: Alliance, cycle_id: int) -> tuple[str, int] | Response:
    cycle = load_cycle(alliance, cycle_id)
    try:
        copied = services.copy_forward(cycle, current_user)
    except services.ProfileClosed as refused:
        return render_error(409, str(refused))
    if copied:
        flash(
            f"{copied} answers were copied from the previous cycle's profile. Each is marked "
            "as carried over until you check it and save the profile.",
            "success",
        )
    else:
        flash("There were no previous answers to copy into the facts still blank.", "info")
    return redirect(url_for(".show_profile", slug=alliance.slug, cycle_id=cycle_id))


@bp.route("/trusts/<code>/assessments/<int:assessment_id>/alliance-profile")
@trust_user_required
def member_profile(trust: Trust, assessment_id: int) -> str:
    found = load_trust_assessment(trust, assessment_id)
    return render_template(
        "alliance_profile/member.html",
        trust=trust,
        assessment=found,
        cycle=found.cycle,
        profile=load_profile(found.cycle),
    )
