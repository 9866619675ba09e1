"""Forms of both CSV imports (members and users): the file to preview, and the confirmation
carrying it. The two imports differ in their columns and rules, not in how a file arrives."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length

#: The preview's hidden copy of the file; 500 members fit in far less.
MAX_CSV_TEXT = 200_000


class PreviewCsvForm(FlaskForm):
    """Upload a CSV file (members or users) to preview."""

    # Named "members" since the first import; the users import posts the same field.
    members = FileField("CSV file", validators=[FileRequired("Choose the CSV file to preview")])


class ConfirmCsvForm(FlaskForm):
    """Confirm the previewed file; it is checked again before anything is saved."""

    csv_text = HiddenField(
        validators=[
            DataRequired("Preview the file first"),
            Length(
                max=MAX_CSV_TEXT, message="The file is too large; import at most 500 lines at once"
            ),
        ]
    )
