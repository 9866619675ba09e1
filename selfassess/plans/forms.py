"""The improvement action form: what to do, who owns it, by when, and where it stands."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..assessments.plans import DESCRIPTION_MAX, TITLE_MAX, ActionInput
from ..date_input import DateInputField
from ..models import ActionStatus


class ActionForm(FlaskForm):
    """One action; the owner's choices are filled in by the view."""

    title = StringField(
        "Action",
        validators=[
            DataRequired("Enter what will be done"),
            Length(max=TITLE_MAX, message=f"The action must be {TITLE_MAX} characters or fewer"),
        ],
    )
    description = TextAreaField(
        "Details",
        validators=[
            Length(
                max=DESCRIPTION_MAX,
                message=f"Details must be {DESCRIPTION_MAX} characters or fewer",
            )
        ],
    )
    owner = SelectField(
        "Owner", validators=[InputRequired("Choose an owner")], validate_choice=False
    )
    due_on = DateInputField("Due date")
    status = SelectField(
        "Status",
        choices=[SelectChoice(s.value, s.label) for s in ActionStatus],
        validators=[InputRequired("Choose a status")],
        validate_choice=False,
    )

    #: When the action was last saved, as the page was loaded (edits only).
    seen = HiddenField()

    def validate_owner(self, field: SelectField) -> None:
        if not field.data or field.data not in {c.value for c in field.choices or []}:
            raise ValidationError("Choose an owner from the list")

    def validate_status(self, field: SelectField) -> None:
        if field.data not in {s.value for s in ActionStatus}:
            raise ValidationError("Choose a status from the list")

    def values(self) -> ActionInput:
        """What was typed, once validated."""
        return ActionInput(
            title=(self.title.data or "").strip(),
            description=(self.description.data or "").strip(),
            owner_id=int(self.owner.data),
            due_on=self.due_on.data,
            status=ActionStatus(self.status.data),
        )
