"""Buddying forms: assign a pair, move it on, add a note, filter the list of pairs."""

from __future__ import annotations

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..date_input import DateInputField
from ..models import PairStatus
from .services import NOTE_MAX

#: A start date more than this far ahead is almost certainly a typing mistake.
LATEST_START = timedelta(days=366)


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (the NHS "checkboxes" pattern)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AssignPairForm(FlaskForm):
    """Assign a mentor to a mentee; choices are filled in by the view."""

    mentor = SelectField(
        "Mentor", validators=[InputRequired("Select a mentor")], validate_choice=False
    )
    focus = CheckboxesField("Focus standards", validate_choice=False)
    start_date = DateInputField("Start date")
    note = TextAreaField(
        "Notes (optional)",
        validators=[Length(max=NOTE_MAX, message=f"Notes must be {NOTE_MAX} characters or fewer")],
    )

    def validate_mentor(self, field: SelectField) -> None:
        allowed = {c.value for c in field.choices}
        if field.data not in allowed:
            raise ValidationError("Select a mentor from the list")

    def validate_focus(self, field: CheckboxesField) -> None:
        if not field.data:
            raise ValidationError("Select at least one focus standard")
        allowed = {c.value for c in field.choices}
        if any(code not in allowed for code in field.data):
            raise ValidationError("Select focus standards from the list")

    def validate_start_date(self, field: DateInputField) -> None:
        if field.data and field.data > date.today() + LATEST_START:
            raise ValidationError("The start date must be within a year from today")
        if field.data and field.data.year < 2000:
            raise ValidationError("The start date must be in 2000 or later")


class StatusForm(FlaskForm):
    """Move a pair on; ``seen`` is the status the page showed, to catch a change meanwhile.
    Closing a pair records its outcome; ``start_today`` starts a pair planned for later today,
    moving its start date."""

    to = HiddenField(validators=[InputRequired()])
    seen = HiddenField(validators=[InputRequired()])
    start_today = HiddenField()
    outcome = TextAreaField(
        "Outcome",
        validators=[
            Length(max=NOTE_MAX, message=f"The outcome must be {NOTE_MAX} characters or fewer")
        ],
    )


class NoteForm(FlaskForm):
    """Add a note to a pair's history."""

    body = TextAreaField(
        "Add a note",
        validators=[
            DataRequired("Enter a note"),
            Length(max=NOTE_MAX, message=f"Notes must be {NOTE_MAX} characters or fewer"),
        ],
    )


class PairFilterForm(FlaskForm):
    """Filter the list of pairs (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        default="",
        validate_choice=True,
        choices=[
            SelectChoice("", "Any status"),
            *(SelectChoice(s.value, s.label) for s in PairStatus),
        ],
    )
    trust = SelectField("Member", default="", validate_choice=False)

    def validate_trust(self, field: SelectField) -> None:
        allowed = {c.value for c in field.choices}
        if field.data not in allowed:
            raise ValidationError("Select a member from the list")
