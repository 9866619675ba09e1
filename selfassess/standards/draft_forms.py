"""The form a coordinator writes one of the alliance's own standards with, its questions as
sub-forms, and the translation both ways between the form and the files' fields (with the
checker's messages placed beside the fields they are about)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    Field,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..questionbank.fieldmap import FieldProblem
from .forms import MAX_REASON

#: How many questions one standard's form offers; more can be added after saving.
QUESTION_SLOTS = 4
LEVELS = (1, 2, 3, 4, 5)


class QuestionDraftForm(Form):
    """One question of a draft standard (a sub-form: the page's form carries the CSRF token).

    Left wholly blank, a slot is not part of the standard.
    """

    type = SelectField(
        "Type of question",
        choices=[
            SelectChoice("", "No question"),
            SelectChoice("maturity", "Maturity level (choose one of the scale's levels)"),
            SelectChoice("yes_no", "Yes or no (in a gated framework: evidence for a level)"),
            SelectChoice("metric", "A measure (a number scored by thresholds)"),
            SelectChoice("text", "Free text (never scored)"),
        ],
        validators=[Optional()],
    )
    id = StringField("Question code", validators=[Optional(), Length(max=30)])
    text = TextAreaField("Question", validators=[Optional(), Length(max=MAX_REASON)])
    guidance = TextAreaField("Guidance", validators=[Optional(), Length(max=MAX_REASON)])
    required = RadioField(
        "Must members answer it?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No, it is optional")],
        default="yes",
        validators=[Optional()],
    )
    gates_level = SelectField(
        "Level it is evidence for (yes/no questions in a gated framework)",
        choices=[SelectChoice("", "None")]
        + [SelectChoice(str(n), f"Level {n}") for n in LEVELS[1:]],
        validators=[Optional()],
    )
    unit = StringField("Unit (measures)", validators=[Optional(), Length(max=30)])
    better = SelectField(
        "Which way is better (measures)",
        choices=[
            SelectChoice("", "Not a measure"),
            SelectChoice("higher", "Higher"),
            SelectChoice("lower", "Lower"),
        ],
        validators=[Optional()],
    )
    metric_target = DecimalField("Target figure (measures)", places=None, validators=[Optional()])
    threshold_2 = DecimalField("Figure for level 2", places=None, validators=[Optional()])
    threshold_3 = DecimalField("Figure for level 3", places=None, validators=[Optional()])
    threshold_4 = DecimalField("Figure for level 4", places=None, validators=[Optional()])
    threshold_5 = DecimalField("Figure for level 5", places=None, validators=[Optional()])
    measure = StringField("Measure, as published", validators=[Optional(), Length(max=300)])
    measure_source = StringField("Published by", validators=[Optional(), Length(max=300)])
    measure_period = StringField("Period", validators=[Optional(), Length(max=100)])
    thresholds_basis = TextAreaField(
        "Where the figures for each level come from",
        validators=[Optional(), Length(max=MAX_REASON)],
    )
    level_1 = TextAreaField("Level 1", validators=[Optional(), Length(max=MAX_REASON)])
    level_2 = TextAreaField("Level 2", validators=[Optional(), Length(max=MAX_REASON)])
    level_3 = TextAreaField("Level 3", validators=[Optional(), Length(max=MAX_REASON)])
    level_4 = TextAreaField("Level 4", validators=[Optional(), Length(max=MAX_REASON)])
    level_5 = TextAreaField("Level 5", validators=[Optional(), Length(max=MAX_REASON)])

    def is_blank(self) -> bool:
        return not any(
            str(f.data if f.data is not None else "").strip()
            for f in self
            if f.name.split("-")[-1] not in ("required",)
        )


class DraftStandardForm(FlaskForm):
    """A standard of the alliance's own, with its questions. Checked by the question bank's
    own rules when saved; their messages are shown beside these fields."""

    domain = SelectField("Domain", validators=[DataRequired("Choose the standard's domain")])
    id = StringField(
        "Standard code",
        validators=[
            DataRequired("Enter a code such as ORTH-1"),
            Length(max=20, message="Keep the code to 20 characters"),
        ],
    )
    statement = TextAreaField(
        "Statement",
        validators=[
            DataRequired("Enter what a member must do or have"),
            Length(max=MAX_REASON, message=f"Keep the statement to {MAX_REASON} characters"),
        ],
    )
    core = RadioField(
        "Is it a core standard?",
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        validators=[InputRequired("Say whether this is a core standard")],
    )
    target = RadioField(
        "Benchmark target",
        coerce=int,
        validators=[InputRequired("Choose the level members must reach")],
    )
    guidance = TextAreaField(
        "Guidance",
        validators=[
            DataRequired("Enter guidance for members"),
            Length(max=MAX_REASON, message=f"Keep the guidance to {MAX_REASON} characters"),
        ],
    )
    source = StringField(
        "Source",
        validators=[Optional(), Length(max=200, message="Keep the source to 200 characters")],
    )
    basis_target = RadioField(
        "Where does the target come from?",
        choices=[
            SelectChoice("alliance choice", "Your alliance's choice"),
            SelectChoice("source", "The cited source"),
        ],
        default="alliance choice",
        validators=[Optional()],
    )
    basis_core = RadioField(
        "Where does the core flag come from?",
        choices=[
            SelectChoice("alliance choice", "Your alliance's choice"),
            SelectChoice("source", "The cited source"),
        ],
        default="alliance choice",
        validators=[Optional()],
    )
    basis_note = TextAreaField(
        "Why (optional)",
        validators=[
            Optional(),
            Length(max=MAX_REASON, message=f"Keep it to {MAX_REASON} characters"),
        ],
    )
    questions = FieldList(FormField(QuestionDraftForm), min_entries=QUESTION_SLOTS)


def standard_from_form(form: DraftStandardForm) -> tuple[dict[str, Any], list[int]]:
    """The standard as the files' fields (plus ``domain``), and which form slot each of its
    questions came from (blank slots are left out, so positions differ)."""
    questions: list[dict[str, Any]] = []
    slots: list[int] = []
    for slot, entry in enumerate(form.questions.entries):
        sub = entry.form
        if sub.is_blank():
            continue
        kind = sub.type.data or None
        question: dict[str, Any] = {
            "id": _text(sub.id.data),
            "type": kind,
            "text": _text(sub.text.data),
            "guidance": _text(sub.guidance.data),
            "required": sub.required.data != "no",
        }
        if kind == "maturity":
            question["levels"] = {
                n: text for n in LEVELS if (text := _text(getattr(sub, f"level_{n}").data))
            }
        if kind == "yes_no" and sub.gates_level.data:
            question["gates_level"] = int(sub.gates_level.data)
        if kind == "metric":
            question.update(
                unit=_text(sub.unit.data),
                better=sub.better.data or None,
                target=_number(sub.metric_target.data),
                thresholds={
                    n: _number(figure)
                    for n in LEVELS[1:]
                    if (figure := getattr(sub, f"threshold_{n}").data) is not None
                },
                thresholds_basis=_text(sub.thresholds_basis.data),
            )
            parts = {
                "measure": _text(sub.measure.data),
                "source": _text(sub.measure_source.data),
                "period": _text(sub.measure_period.data),
            }
            if any(parts.values()):
                question["definition"] = parts
        questions.append(question)
        slots.append(slot)
    standard = {
        "domain": form.domain.data,
        "id": _text(form.id.data),
        "statement": _text(form.statement.data),
        "core": form.core.data == "yes",
        "target": form.target.data,
        "guidance": _text(form.guidance.data),
        "source": _text(form.source.data),
        "basis": {
            "target": form.basis_target.data or "alliance choice",
            "core": form.basis_core.data or "alliance choice",
            **({"note": note} if (note := _text(form.basis_note.data)) else {}),
        },
        "questions": questions,
    }
    return standard, slots


def fill_form(form: DraftStandardForm, standard: dict[str, Any]) -> None:
    """Show a saved draft standard in the form (GET of the change page)."""
    form.domain.data = standard.get("domain")
    form.id.data = standard.get("id")
    form.statement.data = standard.get("statement")
    form.core.data = "yes" if standard.get("core") else "no"
    form.target.data = standard.get("target")
    form.guidance.data = standard.get("guidance")
    form.source.data = standard.get("source")
    basis = standard.get("basis") or {}
    form.basis_target.data = basis.get("target", "alliance choice")
    form.basis_core.data = basis.get("core", "alliance choice")
    form.basis_note.data = basis.get("note")
    questions = standard.get("questions") or []
    while len(form.questions.entries) < len(questions):
        form.questions.append_entry()
    for entry, question in zip(form.questions.entries, questions, strict=False):
        sub = entry.form
        sub.type.data = question.get("type") or ""
        sub.id.data = question.get("id")
        sub.text.data = question.get("text")
        sub.guidance.data = question.get("guidance")
        sub.required.data = "yes" if question.get("required", True) else "no"
        sub.gates_level.data = str(question.get("gates_level") or "")
        levels = question.get("levels") or {}
        for n in LEVELS:
            getattr(sub, f"level_{n}").data = levels.get(n) or levels.get(str(n))
        sub.unit.data = question.get("unit")
        sub.better.data = question.get("better") or ""
        sub.metric_target.data = question.get("target")
        thresholds = question.get("thresholds") or {}
        for n in LEVELS[1:]:
            getattr(sub, f"threshold_{n}").data = thresholds.get(n, thresholds.get(str(n)))
        definition = question.get("definition") or {}
        sub.measure.data = definition.get("measure")
        sub.measure_source.data = definition.get("source")
        sub.measure_period.data = definition.get("period")
        sub.thresholds_basis.data = question.get("thresholds_basis")


def place_problems(
    form: DraftStandardForm, code: str, problems: list[FieldProblem], slots: list[int]
) -> list[str]:
    """Put each checker message on the form field it is about; return the ones that fit none
    (for the error summary)."""
    unplaced: list[str] = []
    prefix = f"standards[{code}]"
    for problem in problems:
        path = (problem.field or "").removeprefix(prefix).lstrip(".")
        target = _field_for(form, path, slots, problem.message)
        if target is None:
            unplaced.append(problem.message)
        else:
            target.errors = [*target.errors, _sentence(problem.message)]
    return unplaced


def _field_for(
    form: DraftStandardForm, path: str, slots: list[int], message: str = ""
) -> Field | None:
    head, _, rest = path.partition(".")
    if head in {"domain", "id", "statement", "core", "target", "guidance", "source"}:
        return form[head]
    if head == "basis":
        part = rest.split(".")[0]
        return form["basis_core"] if part == "core" else form["basis_target"]
    if head.startswith("questions[") and head.endswith("]"):
        index = int(head[len("questions[") : -1])
        if index >= len(slots):
            return None
        sub = form.questions.entries[slots[index]].form
        name = rest.split(".")[0]
        if name == "levels":
            # "level 3 has no descriptor" belongs beside level 3's box
            named = re.match(r"level (\d)\b", message)
            level = rest.split(".")[1] if "." in rest else (named.group(1) if named else "1")
            return sub[f"level_{level}"] if level.isdigit() and int(level) in LEVELS else None
        if name in {"id", "text", "guidance", "required", "gates_level", "unit", "better"}:
            return sub[name]
        if name == "target":
            return sub["metric_target"]
        if name == "thresholds":
            level = rest.split(".")[1] if "." in rest else "5"
            return (
                sub[f"threshold_{level}"] if level in {"2", "3", "4", "5"} else sub["threshold_5"]
            )
        if name == "thresholds_basis":
            return sub["thresholds_basis"]
        if name == "definition":
            part = rest.split(".")[1] if "." in rest else "measure"
            return sub[
                {"source": "measure_source", "period": "measure_period"}.get(part, "measure")
            ]
        return sub.type
    return None


def _number(value: Decimal | None) -> int | float | None:
    """A typed figure as the files write it (and JSON can store): 92, not Decimal("92")."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _text(value: object) -> str | None:
    text = str(value or "").strip()
    return text or None


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]
