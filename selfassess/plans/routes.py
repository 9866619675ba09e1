"""Improvement plan pages.

Trust users of a member start actions from the standards it does not meet and keep them up to
date; the alliance's coordinators and buddying leads read the plan. Views only authorise,
validate, call one service and redirect, or render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from ..access import (
    alliance_role_required,
    load_alliance_member,
    load_cycle,
    load_member_action,
    load_trust_membership,
    trust_user_required,
)
from ..assessments import plans
from ..models import ActionStatus, Alliance, ImprovementAction, Membership, Role, Trust
from .forms import ActionForm

bp = Blueprint("plans", __name__)
T = TypeVar("T")

BASE = "/trusts/<code>/alliances/<slug>/plan"
READERS = (Role.COORDINATOR, Role.BUDDYING_LEAD)


@bp.route(f"{BASE}/")
@trust_user_required
def trust_plan(trust: Trust, slug: str) -> str:
    membership = load_trust_membership(trust, slug)
    return render_template(
        "plans/plan.html",
        alliance=membership.alliance,
        trust=trust,
        lines=plans.plan_of(membership.id),
        own=True,
    )


def _form(membership: Membership, **data: object) -> ActionForm:
    posted = request.method == "POST"
    form = ActionForm(formdata=request.form if posted else None, data=data)
    form.owner.choices = [SelectChoice("", "Choose a colleague")] + [
        SelectChoice(str(u.id), f"{u.name} ({u.email})") for u in plans.owner_choices(membership)
    ]
    return form


def _save(form: ActionForm, save: Callable[[plans.ActionInput], T]) -> T | None:
    """Run ``save`` with the form's values; the owner's refusal goes beside the owner field."""
    try:
        return save(form.values())
    except plans.OwnerRefused as refused:
        form.owner.errors = [str(refused)]
        return None


@bp.route(f"{BASE}/cycles/<int:cycle_id>/standards/<standard>/new", methods=["GET", "POST"])
@trust_user_required
def start_action(
    trust: Trust, slug: str, cycle_id: int, standard: str
) -> Response | tuple[str, int]:
    """A new action on one standard, its text started from the standard's guidance."""
    membership = load_trust_membership(trust, slug)
    cycle = load_cycle(membership.alliance, cycle_id)
    found = plans.cycle_standard(cycle, standard)
    if found is None:
        abort(404)
    title, description = plans.prefill(found)
    form = _form(
        membership,
        title=title,
        description=description,
        owner=str(current_user.id),
        status=ActionStatus.NOT_STARTED.value,
    )
    if form.validate_on_submit() and _save(
        form, lambda data: plans.start_action(membership, cycle, found.code, data, current_user)
    ):
        flash(f"Action on {found.code} added to your improvement plan.", "success")
        return redirect(url_for(".trust_plan", code=trust.code, slug=slug))
    return _form_page(trust, membership, form, standard=found.code, cycle_name=cycle.name)


@bp.route(f"{BASE}/actions/<int:action_id>", methods=["GET", "POST"])
@trust_user_required
def edit_action(trust: Trust, slug: str, action_id: int) -> Response | tuple[str, int]:
    """Change an action: its text, owner, due date or status."""
    membership = load_trust_membership(trust, slug)
    action = load_member_action(membership, action_id)
    form = _form(
        membership,
        title=action.title,
        description=action.description,
        owner=str(action.owner_id or ""),
        due_on=action.due_on,
        status=action.status,
        seen=plans.seen_stamp(action),
    )
    problem = None
    if form.validate_on_submit():
        try:
            changed = _save(
                form,
                lambda data: plans.change_action(
                    membership, action, data, current_user, form.seen.data or ""
                ),
            )
        except plans.ActionChanged as refused:
            # Keep what the user typed; the page now carries the colleague's save as seen, so
            # saving again is a deliberate overwrite.
            problem = str(refused)
            form.seen.data = plans.seen_stamp(load_member_action(membership, action_id))
        else:
            if changed is not None:
                flash("Action saved." if changed else "Nothing changed.", "success")
                return redirect(url_for(".trust_plan", code=trust.code, slug=slug))
    return _form_page(
        trust,
        membership,
        form,
        standard=action.standard_code,
        action=action,
        problem=problem,
    )


def _form_page(
    trust: Trust,
    membership: Membership,
    form: ActionForm,
    *,
    standard: str,
    cycle_name: str | None = None,
    action: ImprovementAction | None = None,
    problem: str | None = None,
) -> tuple[str, int]:
    status = 409 if problem else 400 if request.method == "POST" else 200
    return render_template(
        "plans/action.html",
        alliance=membership.alliance,
        trust=trust,
        form=form,
        standard=standard,
        cycle_name=cycle_name,
        action=action,
        problem=problem,
    ), status


@bp.route("/alliances/<slug>/members/<code>/plan")
@alliance_role_required(*READERS)
def member_plan(alliance: Alliance, code: str) -> str:
    """A member's plan, read-only, for the alliance's coordinators and buddying leads."""
    membership = load_alliance_member(alliance, code)
    return render_template(
        "plans/plan.html",
        alliance=alliance,
        trust=membership.trust,
        lines=plans.plan_of(membership.id),
        own=False,
    )
