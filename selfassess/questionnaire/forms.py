"""Forms of the questionnaire: one section form built from the snapshot's questions, and the
small fixed forms around it (submit, copy forward).

The section form is built per request because its questions come from the cycle's framework
snapshot. Field names use the snapshot question's database id (``a_<id>`` for the answer,
``c_<id>`` for the evidence comment), which is unique and safe in HTML ids and anchors.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, HiddenField, RadioField, TextAreaField
from wtforms.validators import Length, Optional

from ..models import SnapshotQuestion
from .fields import MAX_TEXT, kind_field


def answer_name(question: SnapshotQuestion) -> str:
    return f"a_{question.id}"


def comment_name(question: SnapshotQuestion) -> str:
    return f"c_{question.id}"


class SectionFormBase(FlaskForm):
    """Fields common to every section: what the user saw when the page was loaded."""

    #: Fingerprints of each answer as loaded, for the conflict check (see ``drafts``).
    seen = HiddenField()

    def answer(self, question: SnapshotQuestion) -> Field:
        return self[answer_name(question)]

    def comment(self, question: SnapshotQuestion) -> Field:
        return self[comment_name(question)]


def section_form_class(
    questions: list[SnapshotQuestion], scale: list[tuple[str, str]]
) -> type[SectionFormBase]:
    """A form class with an answer field (by kind) and an evidence comment for each question."""
    attrs: dict[str, Any] = {}
    for question in questions:
        attrs[answer_name(question)] = kind_field(question).build(question, scale)
        attrs[comment_name(question)] = TextAreaField(
            "Evidence and comments (optional)",
            validators=[
                Optional(),
                Length(max=MAX_TEXT, message=f"Keep the evidence comment to {MAX_TEXT} characters"),
            ],
        )
    return type("SectionForm", (SectionFormBase,), attrs)


def restored_form(
    questions: list[SnapshotQuestion], scale: list[tuple[str, str]], kept: dict[str, list[str]]
) -> SectionFormBase:
    """The section form holding what was typed before a session ended (``sessions.pop_draft``),
    shown again once its author has signed back in."""
    fields = MultiDict([(name, value) for name, values in kept.items() for value in values])
    return section_form_class(questions, scale)(formdata=fields)


class ConfirmForm(FlaskForm):
    """A button-only form (submit, copy forward): its CSRF token is its only field."""


class SectionOwnerForm(FlaskForm):
    """Give a section to a colleague. The choices are the trust's colleagues, set per request;
    the service checks the choice again, so a forged value can never pick anyone else."""

    owner = RadioField("Who owns this section?", choices=[], validate_choice=False)
