"""The form a coordinator changes one standard's setting with."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

#: Long enough for a paragraph citing a board decision; the audit keeps every version.
MAX_REASON = 2000


class StandardSettingForm(FlaskForm):
    """Whether a standard applies, its benchmark target and whether it is core, with a reason.

    The target's choices are the framework's scale levels, set by the route from the snapshot.
    """

    applies = RadioField(
        "Does this standard apply to your alliance's members?",
        choices=[
            SelectChoice("yes", "Yes, members answer it and are scored on it"),
            SelectChoice("no", "No, leave it out"),
        ],
        validators=[InputRequired("Say whether this standard applies")],
    )
    target = RadioField(
        "Benchmark target",
        coerce=int,
        validators=[InputRequired("Choose the level members must reach")],
    )
    core = RadioField(
        "Is it a core standard?",
        choices=[
            SelectChoice(
                "yes", "Yes, a member below its target does not meet the membership standards"
            ),
            SelectChoice("no", "No"),
        ],
        validators=[InputRequired("Say whether this is a core standard")],
    )
    reason = TextAreaField(
        "Reason for the change",
        validators=[
            DataRequired("Enter the reason, for example the board decision it follows"),
            Length(max=MAX_REASON, message=f"Keep the reason to {MAX_REASON} characters"),
        ],
    )
