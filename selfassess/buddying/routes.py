"""Buddying pages.

Buddying leads find members needing support, see suggested buddies, assign pairs and move them
on; coordinators of the alliance see the same pairs, notes and outcomes read-only. Trust users
see their own trust's pairs, without the lead's notes. Views only authorise, validate, call one
service and redirect, or render.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from ..access import (
    alliance_role_required,
    granted_alliance_ids,
    load_cycle,
    trust_user_required,
)
from ..assessments import plans as improvement_plans
from ..charts.outcomes import focus_change_chart, outcome_rows
from ..models import Alliance, Cycle, PairStatus, Role, Trust
from . import pairs, queries, services
from .forms import AssignPairForm, NoteForm, PairFilterForm, StatusForm

bp = Blueprint("buddying", __name__)

LEAD = (Role.BUDDYING_LEAD,)
#: The steps that close a pair: each has a check page and records an outcome.
CLOSING = (PairStatus.COMPLETED.value, PairStatus.ENDED.value)
READERS = (Role.BUDDYING_LEAD, Role.COORDINATOR)
BASE = "/alliances/<slug>/buddying"


@bp.route(f"{BASE}/")
@alliance_role_required(*LEAD)
def home(alliance: Alliance) -> str:
    cycles = queries.results_cycles(alliance)
    wanted = request.args.get("cycle", type=int)
    cycle = next((c for c in cycles if c.id == wanted), None) or queries.default_cycle(alliance)
    results = queries.cycle_results(cycle) if cycle else None
    rows = pairs.list_pairs(alliance)
    mentors: dict[int, list[str]] = {}
    for row in rows:
        if row.pair.status in queries.OPEN_STATUSES:
            mentors.setdefault(row.pair.mentee_membership_id, []).append(row.mentor.name)
    return render_template(
        "buddying/home.html",
        alliance=alliance,
        cycles=cycles,
        cycle=cycle,
        results=results,
        mentors=mentors,
        mutual=queries.mutual_suggestions(alliance, results) if results else [],
        pairs=rows,
        core_by_pair=pairs.core_standards(rows),
        today=date.today(),
    )


def _mentee(
    alliance: Alliance, cycle_id: int, membership_id: int
) -> tuple[Cycle, queries.CycleResults, queries.MemberResult]:
    cycle = load_cycle(alliance, cycle_id)
    membership = queries.load_membership(alliance, membership_id)
    results = queries.cycle_results(cycle)
    mentee = results.member(membership.id)
    if mentee is None:
        abort(404)
    return cycle, results, mentee


@bp.route(f"{BASE}/cycles/<int:cycle_id>/members/<int:membership_id>/")
@alliance_role_required(*LEAD)
def member_support(alliance: Alliance, cycle_id: int, membership_id: int) -> str:
    cycle, results, mentee = _mentee(alliance, cycle_id, membership_id)
    suggestions = queries.suggestions_for(alliance, results, mentee) if mentee.unmet else []
    return render_template(
        "buddying/member.html",
        alliance=alliance,
        cycle=cycle,
        results=results,
        mentee=mentee,
        suggestions=suggestions,
    )


@bp.route(
    f"{BASE}/cycles/<int:cycle_id>/members/<int:membership_id>/pairs/new", methods=["GET", "POST"]
)
@alliance_role_required(*LEAD)
def assign_pair(alliance: Alliance, cycle_id: int, membership_id: int) -> str | Response:
    cycle, results, mentee = _mentee(alliance, cycle_id, membership_id)
    suggestions = queries.suggestions_for(alliance, results, mentee) if mentee.unmet else []
    suggested = {s.member_id: s for s in suggestions}
    cautions = queries.mentor_cautions(alliance, results)
    form = AssignPairForm()
    form.mentor.choices = [SelectChoice("", "Choose a mentor")] + [
        SelectChoice(
            str(m.id),
            f"{t.name}: {load} of {alliance.max_active_pairs_per_mentor} "
            f"places used{' (suggested)' if str(m.id) in suggested else ''}"
            + "".join(f" ({caution})" for caution in cautions.get(m.id, ())),
        )
        for m, t, load in queries.mentor_choices(alliance, mentee.membership)
    ]
    form.focus.choices = [
        SelectChoice(code, _standard_label(results, code)) for code in mentee.unmet
    ]
    if request.method == "GET":
        chosen = suggested.get(request.args.get("mentor", ""))
        if chosen is not None:
            form.mentor.data = chosen.member_id
        form.focus.data = list(chosen.covers) if chosen else list(mentee.unmet)
    problem = None
    if mentee.unmet and form.validate_on_submit():
        new = services.NewPair(
            mentor_id=int(form.mentor.data or 0),
            mentee_id=mentee.membership.id,
            focus=tuple(form.focus.data or ()),
            start_date=form.start_date.data,
            note=form.note.data or "",
        )
        try:
            pair = services.assign_pair(alliance, cycle, new, current_user)
        except services.BuddyingRefused as refusal:
            problem = str(refusal)
        else:
            flash(
                f"Pair proposed: {pair.mentor.trust.name} will buddy {mentee.trust.name}. "
                "Start it when both trusts have agreed.",
                "success",
            )
            return redirect(url_for("buddying.pair_detail", slug=alliance.slug, pair_id=pair.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "buddying/assign.html",
        alliance=alliance,
        cycle=cycle,
        mentee=mentee,
        form=form,
        problem=problem,
        suggestions=suggestions,
    ), status  # type: ignore[return-value]


def _standard_label(results: queries.CycleResults, code: str) -> str:
    """A focus choice: the standard's code, marked when core, and its statement."""
    standard = results.standards.get(code)
    if standard is None:
        return code
    return f"{code}{' (core)' if standard.core else ''}: {standard.statement}"


@bp.route(f"{BASE}/pairs/")
@alliance_role_required(*READERS)
def list_pairs(alliance: Alliance) -> str:
    form = PairFilterForm(request.args)
    form.trust.choices = [SelectChoice("", "Any member")] + [
        SelectChoice(str(t.id), t.name) for t in queries.member_trusts(alliance)
    ]
    status = trust_id = None
    if request.args and form.validate():
        status = form.status.data or None
        trust_id = int(form.trust.data) if form.trust.data else None
    rows = pairs.list_pairs(alliance, status=status, trust_id=trust_id)
    return render_template(
        "buddying/pairs.html",
        alliance=alliance,
        form=form,
        pairs=rows,
        core_by_pair=pairs.core_standards(rows),
        filtered=bool(status or trust_id),
        can_change=current_user.has_role(Role.BUDDYING_LEAD, alliance_id=alliance.id),
    )


def _pair_page(
    alliance: Alliance,
    pair_id: int,
    *,
    note_form: NoteForm | None = None,
    problem: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    row = pairs.load_pair(alliance, pair_id)
    results = pairs.outcomes([row])
    outcome = results[row.pair.id]
    can_change = current_user.has_role(Role.BUDDYING_LEAD, alliance_id=alliance.id)
    return render_template(
        "buddying/pair.html",
        alliance=alliance,
        row=row,
        outcome=outcome,
        can_change=can_change,
        note_form=note_form or NoteForm(),
        problem=problem,
        next_steps=sorted(services.TRANSITIONS[PairStatus(row.pair.status)]),
        status_form=StatusForm(),
        today=date.today(),
        chart=_outcome_chart([row], results),
        plan=improvement_plans.plan_of(row.pair.mentee_membership_id),
    ), status


@bp.route(f"{BASE}/pairs/<int:pair_id>/")
@alliance_role_required(*READERS)
def pair_detail(alliance: Alliance, pair_id: int) -> tuple[str, int]:
    return _pair_page(alliance, pair_id)


@bp.route(f"{BASE}/pairs/<int:pair_id>/status/<to>")
@alliance_role_required(*LEAD)
def confirm_pair_status(alliance: Alliance, pair_id: int, to: str) -> tuple[str, int]:
    """The check page before a final step (complete, end early, withdraw): what will happen,
    and the outcome to record."""
    row = pairs.load_pair(alliance, pair_id)
    steps = services.TRANSITIONS[PairStatus(row.pair.status)]
    if to not in {step.value for step in steps} or PairStatus(to).is_open:
        abort(404)
    form = StatusForm(formdata=None, data={"to": to, "seen": row.pair.status})
    return _confirm_page(alliance, row, form)


def _confirm_page(
    alliance: Alliance,
    row: pairs.PairRow,
    form: StatusForm,
    problem: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "buddying/confirm_status.html",
        alliance=alliance,
        row=row,
        form=form,
        problem=problem,
        today=date.today(),
    ), status


@bp.route(f"{BASE}/pairs/<int:pair_id>/status", methods=["POST"])
@alliance_role_required(*LEAD)
def change_pair_status(alliance: Alliance, pair_id: int) -> Response | tuple[str, int]:
    row = pairs.load_pair(alliance, pair_id)
    form = StatusForm()
    if not form.validate_on_submit():
        if form.to.data in CLOSING and form.seen.data:
            return _confirm_page(alliance, row, form, status=400)
        abort(400)
    try:
        services.change_status(
            row.pair,
            form.to.data or "",
            form.seen.data or "",
            current_user,
            outcome=form.outcome.data or "",
            start_today=form.start_today.data == "yes",
        )
    except services.PairChanged as refusal:
        return _pair_page(alliance, pair_id, problem=str(refusal), status=409)
    except services.BuddyingRefused as refusal:
        if form.to.data in CLOSING:  # keep the outcome typed on its own page
            return _confirm_page(alliance, row, form, problem=str(refusal), status=400)
        return _pair_page(alliance, pair_id, problem=str(refusal), status=400)
    flash(f"The pair is now {row.pair.status}.", "success")
    return redirect(url_for("buddying.pair_detail", slug=alliance.slug, pair_id=pair_id))


@bp.route(f"{BASE}/pairs/<int:pair_id>/notes", methods=["POST"])
@alliance_role_required(*LEAD)
def add_pair_note(alliance: Alliance, pair_id: int) -> Response | tuple[str, int]:
    row = pairs.load_pair(alliance, pair_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _pair_page(alliance, pair_id, note_form=form, status=400)
    try:
        services.add_note(row.pair, form.body.data or "", current_user)
    except services.BuddyingRefused as refusal:
        return _pair_page(alliance, pair_id, note_form=form, problem=str(refusal), status=400)
    flash("Note added.", "success")
    return redirect(url_for("buddying.pair_detail", slug=alliance.slug, pair_id=pair_id))


@bp.route(f"{BASE}/outcomes/")
@alliance_role_required(*READERS)
def outcomes(alliance: Alliance) -> str:
    rows = pairs.list_pairs(alliance)
    results = pairs.outcomes(rows)
    return render_template(
        "buddying/outcomes.html",
        alliance=alliance,
        pairs=rows,
        outcomes=results,
        chart=_outcome_chart(rows, results),
    )


def _outcome_chart(
    rows: list[pairs.PairRow], results: dict[int, pairs.Outcome]
) -> dict[str, object] | None:
    """The outcome chart's spec, or None when no pair has a change to draw yet."""
    chart_rows = outcome_rows(pairs.chart_items(rows, results), pairs.focus_titles(results))
    return focus_change_chart(chart_rows) if chart_rows else None


@bp.route("/trusts/<code>/buddying/")
@trust_user_required
def trust_pairs(trust: Trust) -> str:
    rows = pairs.trust_pairs(trust, granted_alliance_ids(trust))
    # A mentor sees its mentee's improvement plan while the pair is open (issue #19).
    mentees_plans = {
        row.pair.id: improvement_plans.plan_of(row.pair.mentee_membership_id)
        for row in rows
        if row.mentor.id == trust.id and PairStatus(row.pair.status).is_open
    }
    return render_template(
        "buddying/trust_pairs.html",
        trust=trust,
        pairs=rows,
        outcomes=pairs.outcomes(rows),
        plans=mentees_plans,
    )
