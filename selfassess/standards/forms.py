"""The coordinator's forms for the alliance's standards: a setting, a draft version and its
standards, and a version uploaded as files."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
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


class StartDraftForm(FlaskForm):
    """Start writing the alliance's next version from a version it may use."""

    base = SelectField("Start from", validators=[DataRequired("Choose the version to start from")])
    version = StringField(
        "Version number",
        validators=[
            DataRequired("Enter a version number, for example 2.1"),
            Length(max=20, message="Keep the version number to 20 characters"),
        ],
    )
    title = StringField(
        "Title",
        validators=[
            DataRequired("Enter a title members will see"),
            Length(max=200, message="Keep the title to 200 characters"),
        ],
    )


class UploadVersionForm(FlaskForm):
    """A framework version as the question bank's YAML files, in a zip."""

    archive = FileField(
        "Zip file of the framework's YAML files",
        validators=[FileRequired("Choose the zip file to import")],
    )


class ConfirmForm(FlaskForm):
    """A button-only form (publish, discard, remove): its CSRF token is its only field."""


class DraftDomainForm(FlaskForm):
    """A new domain for the alliance's own standards, such as a specialty module."""

    id = StringField(
        "Domain code",
        validators=[
            DataRequired("Enter a code in capital letters, such as ORTH"),
            Length(max=20, message="Keep the code to 20 characters"),
        ],
    )
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter the domain's name"),
            Length(max=200, message="Keep the name to 200 characters"),
        ],
    )
    description = TextAreaField(
        "Description",
        validators=[
            DataRequired("Enter what the domain covers"),
            Length(max=MAX_REASON, message=f"Keep the description to {MAX_REASON} characters"),
        ],
    )
