"""Trust users' pages: their assessments, the task list, section pages, check and submit."""

from __future__ import annotations

from typing import NamedTuple

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import sessions
from ..access import (
    granted_alliance_ids,
    keeps_typed_input,
    load_trust_assessment,
    trust_user_required,
)
from ..assessments.answers import NotEditable, editable
from ..assessments.colleagues import colleagues
from ..assessments.drafts import QuestionCode, code_of, decode_seen
from ..assessments.evidence import files_by_question
from ..assessments.moderation import panel_assessments
from ..assessments.respondents import setting_of
from ..assessments.review_threads import threads
from ..assessments.transitions import SubmissionBlocked, TransitionRefused
from ..assessments.variants import adjustments_of
from ..database import locks_late, reads_only_from_now
from ..errors import render_error
from ..extensions import csrf
from ..models import Assessment, Trust
from . import owners, services
from .fields import show_value
from .forms import (
    ConfirmForm,
    SectionFormBase,
    SectionOwnerForm,
    restored_form,
)
from .section_cache import section_for_saving
from .sections import (
    SectionPage,
    initial_form,
    load_section,
    save_section,
    typed_entries,
)

bp = Blueprint("questionnaire", __name__, url_prefix="/trusts/<code>")
bp.add_app_template_global(show_value, "show_value")


@bp.route("/")
@trust_user_required
def trust_home(trust: Trust) -> str:
    granted = granted_alliance_ids(trust)
    assessments = services.trust_assessments(trust, granted)
    return render_template(
        "questionnaire/trust_home.html",
        trust=trust,
        alliances=services.trust_alliances(trust, granted),
        assessments=assessments,
        todo=services.needs_doing(assessments),
        to_moderate=panel_assessments(current_user, trust.id),
    )


@bp.route("/assessments/<int:assessment_id>/")
@trust_user_required
def assessment(trust: Trust, assessment_id: int) -> str:
    found = load_trust_assessment(trust, assessment_id)
    sections = services.task_list(found)
    can_edit = editable(found)
    offer = services.copy_offer(found, sections) if can_edit else None
    owned = owners.section_owners(found)
    return render_template(
        "questionnaire/assessment.html",
        trust=trust,
        assessment=found,
        sections=sections,
        completed=sum(1 for s in sections if s.status == "Completed"),
        editable=can_edit,
        copy_from=offer[0] if offer else None,
        copy_count=offer[1] if offer else 0,
        carried_over=services.carried_over_count(found),
        has_profile=any(s.facts for s in sections),
        adjustments=adjustments_of(found.cycle.snapshot_id),
        commented=len(threads(found.id)) if found.state == "returned" else 0,
        form=ConfirmForm(),
        owners=owned,
        by_owner=owners.progress_by_owner(sections, owned) if owned else [],
        respondents=setting_of(found),
    )


def _chosen_owner(value: str | None) -> int | None:
    """The form's choice as a user id: blank is nobody; anything else not a number can match
    no colleague (-1), which the service refuses with its message."""
    if not value:
        return None
    return int(value) if value.isdigit() and len(value) < 19 else -1


@bp.route("/assessments/<int:assessment_id>/sections/<section>/owner", methods=["GET", "POST"])
@trust_user_required
def section_owner(trust: Trust, assessment_id: int, section: str) -> tuple[str, int] | Response:
    """Choose which colleague owns a section (GET shows the choice)."""
    found = load_trust_assessment(trust, assessment_id)
    target = next((s for s in services.task_list(found) if s.code == section), None)
    if target is None:
        abort(404)
    people = colleagues(found)
    current = owners.section_owners(found).get(section)
    posted = request.method == "POST"
    form = SectionOwnerForm(
        formdata=request.form if posted else None, owner=str(current.id) if current else ""
    )
    form.owner.choices = [("", "Nobody: the whole trust")] + [
        (str(u.id), f"{u.name} ({u.email})") for u in people
    ]
    problem = None
    if posted and form.validate():
        try:
            changed = owners.assign(found, target, _chosen_owner(form.owner.data), current_user)
        except owners.OwnerRefused as refused:
            problem = str(refused)
            form.owner.errors = [problem]  # shown by the radios and the error summary
        else:
            now = owners.section_owners(found).get(section)
            if changed:
                who = now.name if now else "nobody"
                flash(f"{target.name} is now owned by {who}.", "success")
            return redirect(url_for(".assessment", code=trust.code, assessment_id=found.id))
    return render_template(
        "questionnaire/section_owner.html",
        trust=trust,
        assessment=found,
        section=target,
        form=form,
        problem=problem,
        editable=editable(found),
    ), (400 if posted else 200)


def _render_section(
    page: SectionPage, form: SectionFormBase | None, status: int = 200, **context: object
) -> tuple[str, int]:
    if request.method == "POST":
        reads_only_from_now()  # nothing more is written: do not hold a lock while rendering
    trust = page.assessment.membership.trust
    return render_template(
        "questionnaire/section.html",
        trust=trust,
        assessment=page.assessment,
        page=page,
        form=form,
        editable=form is not None,
        respondents=setting_of(page.assessment) if form is not None else None,
        **context,
    ), status


@bp.route("/assessments/<int:assessment_id>/sections/<section>", methods=["GET", "POST"])
@csrf.exempt  # the section form checks its own token, so an expired one keeps what was typed
@locks_late  # read and validate without the write lock; save_section takes it to write
@trust_user_required
@keeps_typed_input
def section(trust: Trust, assessment_id: int, section: str) -> tuple[str, int] | Response:
    found = load_trust_assessment(trust, assessment_id)
    if request.method == "POST":
        return _save(trust, found, section)
    page = load_section(found, section)
    if page is None:
        abort(404)
    if not editable(found):
        return _render_section(page, None)
    kept = sessions.pop_draft(request.path)
    if kept is None:
        return _render_section(page, initial_form(page))
    return _render_section(page, restored_form(page.questions, page.scale, kept), restored=True)


def _save(trust: Trust, found: Assessment, section: str) -> tuple[str, int] | Response:
    """A section save: read and check without a lock; ``save_section`` takes it, reads the
    stored answers under it and writes. The section's structure comes from this process's
    copy (``section_cache``); a page shown again (an error, a conflict) is read afresh."""
    saving = section_for_saving(found, section)
    if saving is None:
        abort(404)
    page, form_class = saving
    if not editable(found):
        return render_error(
            409, "This assessment has been submitted, so its answers can no longer be changed."
        )
    form = form_class()
    if not form.validate():
        expired = bool(form.csrf_token.errors)
        return _render_section(
            _drawn(found, section), form, 200 if expired else 400, expired=expired
        )
    mine = typed_entries(
        page,
        {code_of(q): form.answer(q).data for q in page.questions},
        {code_of(q): form.comment(q).data for q in page.questions},
    )
    after = _Redirect(
        trust.code,
        found.id,
        page.domain.name,
        page.next_code,
        frozenset(str(code_of(q)) for q in page.questions),
    )
    try:
        outcome = save_section(page, mine, decode_seen(form.seen.data), current_user)
    except NotEditable as refused:
        return render_error(409, str(refused))
    if outcome.merge.conflicts:
        shown = _drawn(found, section, with_answers=False)
        shown.stored = outcome.page.stored  # as the merge read them, under the lock
        shown.files = files_by_question(found.id, [q.code for q in shown.questions])
        _take_their_changes(form, shown, outcome.merge.theirs_kept)
        form.seen.data = shown.seen()
        return _render_section(
            shown,
            form,
            409,
            conflicts=outcome.merge.conflicts,
            theirs_kept=outcome.merge.theirs_kept,
            mine=mine,
        )
    return _after_save(after, outcome.merge.theirs_kept)


def _drawn(found: Assessment, section: str, with_answers: bool = True) -> SectionPage:
    """The section page read afresh, to show again after a save that wrote nothing (nothing
    more is written, so the write lock is given back first)."""
    reads_only_from_now()
    page = load_section(found, section, with_answers=with_answers)
    if page is None:  # it was there a moment ago: snapshots are never deleted
        abort(404)
    return page


def _take_their_changes(
    form: SectionFormBase, page: SectionPage, codes: list[QuestionCode]
) -> None:
    """Show another person's newer answers where this person changed nothing, so saving the
    reconciled page cannot put the older values back."""
    for question in page.questions:
        if code_of(question) in codes:
            entry = page.entry(question)
            for field, value in (
                (form.answer(question), entry.value),
                (form.comment(question), entry.comment),
            ):
                field.data = value
                field.raw_data = [value or ""]


class _Redirect(NamedTuple):
    """What the answer to a save needs: where to go next and the section's name."""

    code: str
    assessment_id: int
    domain_name: str
    next_code: str | None
    #: The section's question codes: the only ones "save and add evidence" may go on to.
    codes: frozenset[str] = frozenset()


def _after_save(after: _Redirect, theirs_kept: list[QuestionCode]) -> Response:
    if theirs_kept:
        flash(
            f"{after.domain_name}: your changes are saved. Someone else changed "
            f"{len(theirs_kept)} other answers in this section meanwhile; theirs are kept.",
            "success",
        )
    else:
        flash(f"Your answers to {after.domain_name} have been saved.", "success")
    action = request.form.get("action", "")
    question = action.removeprefix("evidence:")
    if action.startswith("evidence:") and question in after.codes:
        return redirect(
            url_for(
                "evidence.question_files",
                code=after.code,
                assessment_id=after.assessment_id,
                question=question,
            )
        )
    if action == "continue":
        if after.next_code:
            return redirect(
                url_for(
                    ".section",
                    code=after.code,
                    assessment_id=after.assessment_id,
                    section=after.next_code,
                )
            )
        return redirect(url_for(".check", code=after.code, assessment_id=after.assessment_id))
    return redirect(url_for(".assessment", code=after.code, assessment_id=after.assessment_id))


@bp.route("/assessments/<int:assessment_id>/check")
@trust_user_required
def check(trust: Trust, assessment_id: int) -> str:
    found = load_trust_assessment(trust, assessment_id)
    return render_template(
        "questionnaire/check.html",
        trust=trust,
        assessment=found,
        sections=services.check_answers(found),
        editable=editable(found),
        form=ConfirmForm(),
        files=files_by_question(found.id),
    )


@bp.route("/assessments/<int:assessment_id>/submit", methods=["POST"])
@trust_user_required
def submit(trust: Trust, assessment_id: int) -> tuple[str, int] | Response:
    found = load_trust_assessment(trust, assessment_id)
    try:
        services.submit(found, current_user)
    except SubmissionBlocked as blocked:
        return render_template(
            "questionnaire/check.html",
            trust=trust,
            assessment=found,
            sections=services.check_answers(found),
            editable=True,
            form=ConfirmForm(),
            files=files_by_question(found.id),
            blocked=blocked,
        ), 400
    except TransitionRefused as refused:
        return render_error(409, str(refused))
    flash(
        "Your self-assessment has been submitted. Your alliance coordinator will review it.",
        "success",
    )
    return redirect(url_for(".assessment", code=trust.code, assessment_id=found.id))


@bp.route("/assessments/<int:assessment_id>/copy-forward", methods=["POST"])
@trust_user_required
def copy_forward(trust: Trust, assessment_id: int) -> tuple[str, int] | Response:
    found = load_trust_assessment(trust, assessment_id)
    try:
        copied = services.copy_forward(found, current_user)
    except NotEditable as refused:
        return render_error(409, str(refused))
    if copied:
        flash(
            f"{copied} answers were copied from your previous self-assessment. Each is marked "
            "as carried over until you check it and save its section.",
            "success",
        )
    else:
        flash("There were no previous answers to copy into the questions still blank.", "info")
    return redirect(url_for(".assessment", code=trust.code, assessment_id=found.id))
