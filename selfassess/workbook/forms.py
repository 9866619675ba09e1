"""The workbook upload form: one file, and the CSRF token the form checks itself."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class UploadWorkbookForm(FlaskForm):
    """Upload a filled-in questionnaire workbook (.xlsx)."""

    workbook = FileField(
        "Your filled-in workbook (.xlsx)",
        validators=[FileRequired("Choose the workbook to upload")],
    )
