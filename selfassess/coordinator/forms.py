"""Coordinator forms: open a cycle, return an assessment with a comment, button-only actions."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..date_input import DateInputField
from ..questionnaire.fields import MAX_TEXT


class OpenCycleForm(FlaskForm):
    """Open a new assessment cycle; the framework version is fixed (snapshotted) when it opens."""

    name = StringField(
        "Cycle name",
        validators=[
            DataRequired("Enter a name for the cycle, like 2027/28"),
            Length(max=100, message="Keep the cycle name to 100 characters"),
        ],
    )
    framework = SelectField(
        "Framework version",
        validators=[
            DataRequired("Choose the framework version members will answer"),
        ],
    )
    closes_on = DateInputField("Closing date")

    def validate_closes_on(self, field: DateInputField) -> None:
        if field.data and field.data < date.today():
            raise ValidationError("The closing date must be today or in the future")


class ReturnForm(FlaskForm):
    """Return a submitted assessment to the trust, saying what to revise."""

    comment = TextAreaField(
        "What does the trust need to revise?",
        validators=[
            DataRequired("Enter a comment saying what the trust needs to revise"),
            Length(max=MAX_TEXT, message=f"Keep the comment to {MAX_TEXT} characters"),
        ],
    )


class ConfirmForm(FlaskForm):
    """A button-only form (validate, close a cycle): its CSRF token is its only field."""


class ExtendForm(FlaskForm):
    """Move an open cycle's closing date later, so members have longer to submit."""

    closes_on = DateInputField("New closing date")


class MemberDeadlineForm(FlaskForm):
    """Give one member longer than the cycle's closing date, with an optional reason."""

    extended_until = DateInputField("New deadline for this member")
    reason = TextAreaField(
        "Reason (optional)",
        validators=[Optional(), Length(max=500, message="Keep the reason to 500 characters")],
    )
