"""Coordinator pages: cycles (open, close, follow), reviewing assessments, their history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from ..access import alliance_role_required, load_alliance_assessment, load_cycle
from ..alliance_profile.facts import fact_count
from ..assessments.evidence import alliance_usage, files_by_question
from ..assessments.flags import flags_for, review_figures
from ..assessments.moderation import moderates, outstanding
from ..assessments.plans import overdue_in
from ..assessments.review_threads import MAX_COMMENT, member_question_codes, threads
from ..assessments.revisions import since_return
from ..assessments.transitions import TransitionRefused
from ..assessments.versions import BANK, available_versions
from ..downloads import CSV, XLSX, attachment
from ..errors import render_error
from ..exports import services as exports
from ..exports import xlsx
from ..models import Alliance, Assessment, AssessmentState, Cycle, Role
from ..questionnaire.services import check_answers
from . import deadlines, services
from .forms import ConfirmForm, ExtendForm, MemberDeadlineForm, OpenCycleForm, ReturnForm

bp = Blueprint("coordinator", __name__, url_prefix="/alliances/<slug>")


@bp.route("/")
@alliance_role_required(Role.COORDINATOR)
def home(alliance: Alliance) -> str:
    return render_template(
        "coordinator/home.html",
        alliance=alliance,
        evidence=alliance_usage(alliance.id),
        points_to_check=sum(
            len(f) for f in flags_for(services.waiting_for_review(alliance)).values()
        ),
        members=services.alliance_members(alliance),
        cycles=services.cycle_summaries(alliance),
        overdue=overdue_in(alliance.id),
    )


@bp.route("/cycles/<int:cycle_id>/answers.csv")
@alliance_role_required(Role.COORDINATOR)
def export_answers(alliance: Alliance, cycle_id: int) -> Response:
    cycle = load_cycle(alliance, cycle_id)
    return attachment(
        exports.answers_csv([(alliance, cycle)]).encode("utf-8"),
        CSV,
        f"{alliance.slug}-{cycle.name}-answers",
        ".csv",
    )


@bp.route("/cycles/<int:cycle_id>/scores.csv")
@alliance_role_required(Role.COORDINATOR)
def export_scores(alliance: Alliance, cycle_id: int) -> Response:
    cycle = load_cycle(alliance, cycle_id)
    return attachment(
        exports.scores_csv([(alliance, cycle)]).encode("utf-8"),
        CSV,
        f"{alliance.slug}-{cycle.name}-scores",
        ".csv",
    )


@bp.route("/cycles/<int:cycle_id>/members.xlsx")
@alliance_role_required(Role.COORDINATOR)
def export_cycle_members_xlsx(alliance: Alliance, cycle_id: int) -> Response:
    cycle = load_cycle(alliance, cycle_id)
    return attachment(
        xlsx.cycle_members_xlsx(cycle), XLSX, f"{alliance.slug}-{cycle.name}-members", ".xlsx"
    )


@bp.route("/cycles/<int:cycle_id>/scores.xlsx")
@alliance_role_required(Role.COORDINATOR)
def export_scores_xlsx(alliance: Alliance, cycle_id: int) -> Response:
    cycle = load_cycle(alliance, cycle_id)
    return attachment(
        xlsx.scores_xlsx(alliance, cycle), XLSX, f"{alliance.slug}-{cycle.name}-scores", ".xlsx"
    )


@bp.route("/cycles/new", methods=["GET", "POST"])
@alliance_role_required(Role.COORDINATOR)
def open_cycle(alliance: Alliance) -> str | Response | tuple[str, int]:
    questions_dir = Path(current_app.config["QUESTIONS_DIR"])
    choices = available_versions(alliance.id, questions_dir)
    form = OpenCycleForm()
    form.framework.choices = [SelectChoice("", "Choose a version")] + [
        SelectChoice(c.key, c.label if c.origin == BANK else f"{c.label}, {c.origin}")
        for c in choices
    ]
    problem = None
    if form.validate_on_submit():
        try:
            cycle = services.open_cycle(
                alliance,
                form.name.data or "",
                questions_dir,
                form.framework.data or "",
                form.closes_on.data,
                current_user,
            )
        except services.CycleRefused as refused:
            problem = str(refused)
        else:
            flash(
                f"The {cycle.name} cycle is open. Every active member now has a self-assessment "
                "to complete.",
                "success",
            )
            return redirect(url_for(".cycle", slug=alliance.slug, cycle_id=cycle.id))
    status = 400 if (form.errors or problem) else 200
    return render_template(
        "coordinator/open_cycle.html",
        alliance=alliance,
        form=form,
        problem=problem,
        open_now=services.open_cycle_blocker(alliance),
    ), status


@bp.route("/cycles/<int:cycle_id>/")
@alliance_role_required(Role.COORDINATOR)
def cycle(alliance: Alliance, cycle_id: int) -> str:
    found = load_cycle(alliance, cycle_id)
    return _cycle_page(alliance, found, ExtendForm(formdata=None))


@bp.route("/cycles/<int:cycle_id>/deadline", methods=["POST"])
@alliance_role_required(Role.COORDINATOR)
def extend_cycle(alliance: Alliance, cycle_id: int) -> Response | tuple[str, int]:
    found = load_cycle(alliance, cycle_id)
    form = ExtendForm()
    problem = None
    if form.validate_on_submit() and form.closes_on.data is not None:
        try:
            services.extend_cycle(found, form.closes_on.data, current_user)
        except services.CycleRefused as refused:
            problem = str(refused)
        else:
            flash(f"{found.name} now closes on {found.closes_on:%-d %B %Y}.", "success")
            return redirect(url_for(".cycle", slug=alliance.slug, cycle_id=found.id))
    return _cycle_page(alliance, found, form, problem), 400


def _cycle_page(
    alliance: Alliance, found: Cycle, extend_form: ExtendForm, problem: str | None = None
) -> str:
    """The cycle page: members, their points to check, and the deadline form as given."""
    rows = services.cycle_assessments(found)
    return render_template(
        "coordinator/cycle.html",
        alliance=alliance,
        cycle=found,
        rows=rows,
        flags=flags_for([a for a, _ in rows if a.state == AssessmentState.SUBMITTED]),
        form=ConfirmForm(),
        extend_form=extend_form,
        problem=problem,
        today=date.today(),
        facts=fact_count(found),
        close_refusal=services.close_refusal(found),
    )


@bp.route("/assessments/<int:assessment_id>/deadline", methods=["GET", "POST"])
@alliance_role_required(Role.COORDINATOR)
def member_deadline(alliance: Alliance, assessment_id: int) -> Response | tuple[str, int]:
    """Give one member longer than the cycle's closing date (GET shows the form)."""
    found = load_alliance_assessment(alliance, assessment_id)
    form = MemberDeadlineForm(
        formdata=None if request.method == "GET" else request.form,
        extended_until=found.extended_until,
    )
    problem = None
    if request.method == "POST" and form.validate() and form.extended_until.data is not None:
        try:
            deadlines.extend_member(
                found, form.extended_until.data, form.reason.data, current_user, date.today()
            )
        except deadlines.ExtensionRefused as refused:
            problem = str(refused)
        else:
            trust = found.membership.trust
            flash(f"{trust.name} now has until {found.extended_until:%-d %B %Y}.", "success")
            return redirect(url_for(".cycle", slug=alliance.slug, cycle_id=found.cycle_id))
    invalid = request.method == "POST"
    return render_template(
        "coordinator/member_deadline.html",
        alliance=alliance,
        assessment=found,
        trust=found.membership.trust,
        form=form,
        problem=problem,
        refusal=deadlines.extension_refusal(found),
    ), (400 if invalid else 200)


@bp.route("/cycles/<int:cycle_id>/close/check")
@alliance_role_required(Role.COORDINATOR)
def confirm_close_cycle(alliance: Alliance, cycle_id: int) -> tuple[str, int]:
    """The check page before closing: who has not submitted, and what closing does."""
    found = load_cycle(alliance, cycle_id)
    rows = services.cycle_assessments(found)
    return render_template(
        "coordinator/confirm_close.html",
        alliance=alliance,
        cycle=found,
        rows=rows,
        refusal=services.close_refusal(found),
        form=ConfirmForm(),
    ), 200


@bp.route("/cycles/<int:cycle_id>/close", methods=["POST"])
@alliance_role_required(Role.COORDINATOR)
def close_cycle(alliance: Alliance, cycle_id: int) -> Response:
    found = load_cycle(alliance, cycle_id)
    try:
        services.close_cycle(found, current_user)
    except services.CycleRefused as refused:
        flash(str(refused), "error")
    else:
        flash(f"The {found.name} cycle is closed.", "success")
    return redirect(url_for(".cycle", slug=alliance.slug, cycle_id=found.id))


def _review_page(
    alliance: Alliance,
    assessment_id: int,
    return_form: ReturnForm | None = None,
    status: int = 200,
    typed: dict[str, str] | None = None,
) -> tuple[str, int]:
    found = load_alliance_assessment(alliance, assessment_id)
    flags, compared = review_figures(found)
    return render_template(
        "coordinator/review.html",
        alliance=alliance,
        assessment=found,
        trust=found.membership.trust,
        sections=check_answers(found),
        can_review=found.state == AssessmentState.SUBMITTED,
        return_form=return_form or ReturnForm(formdata=None),
        form=ConfirmForm(),
        files=files_by_question(found.id),
        flags=flags,
        threads=threads(found.id),
        typed=typed or {},
        revised=since_return(found),
        compared=compared,
        moderation=_moderation_waiting(found),
    ), status


def _moderation_waiting(assessment: Assessment) -> list[str] | None:
    """The scored standards the moderation panel has still to agree, where the alliance
    moderates and the assessment is submitted; None where moderation does not apply."""
    if not (moderates(assessment) and assessment.state == AssessmentState.SUBMITTED):
        return None
    return outstanding(assessment)


@bp.route("/assessments/<int:assessment_id>/")
@alliance_role_required(Role.COORDINATOR)
def review(alliance: Alliance, assessment_id: int) -> tuple[str, int]:
    return _review_page(alliance, assessment_id)


def _question_comments(assessment: Assessment) -> dict[str, str]:
    """The per-question comments the review page's return form sent, for this assessment's
    member questions only (any other name is ignored)."""
    codes = set(member_question_codes(assessment))
    return {
        key.removeprefix("qc-"): value
        for key, value in request.form.items()
        if key.startswith("qc-") and key.removeprefix("qc-") in codes and value.strip()
    }


@bp.route("/assessments/<int:assessment_id>/return", methods=["POST"])
@alliance_role_required(Role.COORDINATOR)
def return_assessment(alliance: Alliance, assessment_id: int) -> Response | tuple[str, int]:
    found = load_alliance_assessment(alliance, assessment_id)
    form = ReturnForm()
    typed = _question_comments(found)
    too_long = [code for code, body in typed.items() if len(body) > MAX_COMMENT]
    if too_long:
        form.comment.errors = [
            *form.comment.errors,
            f"Keep each question's comment to {MAX_COMMENT} characters ({', '.join(too_long)})",
        ]
    if not form.validate() or too_long:
        return _review_page(alliance, assessment_id, form, 400, typed)
    try:
        services.return_for_revision(found, form.comment.data or "", typed, current_user)
    except (TransitionRefused, ValueError) as refused:
        return render_error(409, str(refused))
    flash(
        f"The self-assessment was returned to {found.membership.trust.name} with your comment.",
        "success",
    )
    return redirect(url_for(".review", slug=alliance.slug, assessment_id=found.id))


@bp.route("/assessments/<int:assessment_id>/validate/check")
@alliance_role_required(Role.COORDINATOR)
def confirm_validate(alliance: Alliance, assessment_id: int) -> Response | tuple[str, int]:
    """The check page before validating: what becomes final and who is told."""
    found = load_alliance_assessment(alliance, assessment_id)
    if found.state != AssessmentState.SUBMITTED:
        # A page, not an error: the review page says what state the assessment is in.
        flash(
            f"This self-assessment is {AssessmentState(found.state).label.lower()}, so it cannot "
            "be validated.",
            "error",
        )
        return redirect(url_for(".review", slug=alliance.slug, assessment_id=found.id))
    return render_template(
        "coordinator/confirm_validate.html",
        alliance=alliance,
        assessment=found,
        trust=found.membership.trust,
        form=ConfirmForm(),
        moderation=_moderation_waiting(found),
    ), 200


@bp.route("/assessments/<int:assessment_id>/validate", methods=["POST"])
@alliance_role_required(Role.COORDINATOR)
def validate_assessment(alliance: Alliance, assessment_id: int) -> Response | tuple[str, int]:
    found = load_alliance_assessment(alliance, assessment_id)
    try:
        services.validate(found)
    except TransitionRefused as refused:
        return render_error(409, str(refused))
    flash(f"The self-assessment of {found.membership.trust.name} is validated.", "success")
    return redirect(url_for(".review", slug=alliance.slug, assessment_id=found.id))


@bp.route("/assessments/<int:assessment_id>/history")
@alliance_role_required(Role.COORDINATOR)
def history(alliance: Alliance, assessment_id: int) -> str:
    found = load_alliance_assessment(alliance, assessment_id)
    return render_template(
        "coordinator/history.html",
        alliance=alliance,
        assessment=found,
        trust=found.membership.trust,
        entries=services.assessment_history(found),
    )
