"""Several respondents' pages: switching it on, a respondent's own sections, the lead's page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from .. import sessions
from ..access import keeps_typed_input, load_respondents, load_trust_assessment, trust_user_required
from ..assessments.answers import NotEditable, editable
from ..assessments.colleagues import colleagues
from ..assessments.drafts import code_of
from ..assessments.respondents import RespondentsRefused, setting_of, settle, switch_off, switch_on
from ..database import reads_only_from_now
from ..errors import render_error
from ..extensions import csrf
from ..models import Trust
from ..questionnaire.forms import SectionFormBase, restored_form, section_form_class
from ..questionnaire.sections import initial_form, typed_entries
from . import services
from .forms import RespondentsSettingForm, SettleForm

bp = Blueprint(
    "respondents", __name__, url_prefix="/trusts/<code>/assessments/<int:assessment_id>/respondents"
)


def _chosen_id(value: str | None) -> int:
    """A user id from the form; anything not a number matches nobody (-1), which the core
    refuses with its message."""
    return int(value) if value and value.isdigit() and len(value) < 19 else -1


@bp.route("/settings", methods=["GET", "POST"])
@trust_user_required
def settings(trust: Trust, assessment_id: int) -> tuple[str, int] | Response:
    """Switch several respondents on (naming the lead) or off; GET shows the choice."""
    found = load_trust_assessment(trust, assessment_id)
    current = setting_of(found)
    posted = request.method == "POST"
    form = RespondentsSettingForm(
        formdata=request.form if posted else None,
        several="on" if current else "off",
        lead=str(current.lead_id if current else current_user.id),
    )
    form.lead.choices = [
        SelectChoice(str(u.id), f"{u.name} ({u.email})") for u in colleagues(found)
    ]
    problem = None
    if posted and form.validate():
        try:
            if form.several.data == "on":
                changed = switch_on(found, _chosen_id(form.lead.data), current_user)
                message = "Several respondents is on: each colleague answers on their own."
            else:
                changed = switch_off(found, current_user)
                message = "Several respondents is off. Respondents' own answers are kept."
        except NotEditable as refused:
            return render_error(409, str(refused))
        except RespondentsRefused as refused:
            problem = str(refused)
        else:
            if changed:
                flash(message, "success")
            return redirect(
                url_for("questionnaire.assessment", code=trust.code, assessment_id=found.id)
            )
    return render_template(
        "respondents/settings.html",
        trust=trust,
        assessment=found,
        form=form,
        problem=problem,
        current=current,
        editable=editable(found),
    ), (400 if posted else 200)


def _render_section(
    section: services.RespondentSection,
    form: SectionFormBase | None,
    status: int = 200,
    **context: object,
) -> tuple[str, int]:
    if request.method == "POST":
        reads_only_from_now()  # nothing more is written: do not hold a lock while rendering
    assessment = section.page.assessment
    return render_template(
        "respondents/section.html",
        trust=assessment.membership.trust,
        assessment=assessment,
        section=section,
        page=section.page,
        form=form,
        **context,
    ), status


@bp.route("/sections/<section>", methods=["GET", "POST"])
@csrf.exempt  # the section form checks its own token, so an expired one keeps what was typed
@trust_user_required
@keeps_typed_input
def section(trust: Trust, assessment_id: int, section: str) -> tuple[str, int] | Response:
    """A respondent's own copy of a section: their answers, nobody else's until given."""
    found = load_trust_assessment(trust, assessment_id)
    load_respondents(found)
    mine = services.respondent_section(found, section, current_user)
    if mine is None:
        abort(404)
    page = mine.page
    if request.method == "GET":
        if not editable(found):
            return _render_section(mine, None)
        kept = sessions.pop_draft(request.path)
        if kept is None:
            return _render_section(mine, initial_form(page))
        form = restored_form(page.questions, page.scale, kept)
        return _render_section(mine, form, restored=True)
    if not editable(found):
        return render_error(409, "This self-assessment can no longer be changed.")
    form = section_form_class(page.questions, page.scale)()
    if not form.validate():
        expired = bool(form.csrf_token.errors)
        return _render_section(mine, form, 200 if expired else 400, expired=expired)
    typed = typed_entries(
        page,
        {code_of(q): form.answer(q).data for q in page.questions},
        {code_of(q): form.comment(q).data for q in page.questions},
    )
    name, next_code = page.domain.name, page.next_code
    try:
        services.save_respondent_section(mine, typed, current_user)
    except NotEditable as refused:
        return render_error(409, str(refused))
    except RespondentsRefused as refused:
        return render_error(409, str(refused))
    flash(f"Your own answers to {name} have been saved.", "success")
    if request.form.get("action") == "continue" and next_code:
        return redirect(
            url_for(".section", code=trust.code, assessment_id=found.id, section=next_code)
        )
    return redirect(url_for("questionnaire.assessment", code=trust.code, assessment_id=found.id))


@bp.route("/", methods=["GET", "POST"])
@trust_user_required
def answers(trust: Trust, assessment_id: int) -> tuple[str, int] | Response:
    """The lead's page: every respondent's answer per question, the spread, and settling."""
    found = load_trust_assessment(trust, assessment_id)
    setting = load_respondents(found, lead_only=True)
    problem, failed = None, None
    if request.method == "POST":
        form = SettleForm()
        question = services.find_question(found, form.question.data or "")
        if not form.validate():
            problem = "Choose an answer, or keep the current one."
        elif question is None:
            problem = "Choose a question of this self-assessment."
        elif form.choice.data == "keep":
            flash(f"{question.code} keeps its current answer.", "success")
            return redirect(request.path + f"#q-{question.id}")
        else:
            try:
                changed = settle(found, question, _chosen_id(form.choice.data), current_user)
            except NotEditable as refused:
                return render_error(409, str(refused))
            except RespondentsRefused as refused:
                problem = str(refused)
            else:
                if changed:
                    flash(f"{question.code} is settled.", "success")
                else:
                    flash(f"{question.code} already gave that answer.", "success")
                return redirect(request.path + f"#q-{question.id}")
        failed = question.code if question else None
        reads_only_from_now()
    domains = services.comparison(found)
    return render_template(
        "respondents/answers.html",
        trust=trust,
        assessment=found,
        setting=setting,
        domains=domains,
        uncertain=sum(1 for d in domains for r in d.rows if r.spread and r.spread.uncertain),
        editable=editable(found),
        form=SettleForm(formdata=None),
        problem=problem,
        failed=failed,
    ), (400 if problem else 200)
