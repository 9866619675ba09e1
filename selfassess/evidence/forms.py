"""The upload form, and the button-only form that removes a file."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from .filetypes import ALLOWED_NAMES


class UploadForm(FlaskForm):
    """One evidence file for one question."""

    evidence = FileField(
        "Upload a file",
        validators=[FileRequired(f"Select a {ALLOWED_NAMES} file")],
    )


class RemoveForm(FlaskForm):
    """A button-only form: its CSRF token is its only field."""
