"""The publish and withdraw buttons: button-only forms whose CSRF token is their only field."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """A button-only form: its CSRF token is its only field."""
