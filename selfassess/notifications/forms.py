"""Notification forms: the email choices, and a bare CSRF form for the buttons."""

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, widgets

from ..models import Category


class ConfirmForm(FlaskForm):
    """No fields: the CSRF token for "open" and "mark all as read" buttons."""


class EmailChoicesForm(FlaskForm):
    categories = SelectMultipleField(
        "Email me about",
        choices=[SelectChoice(c.value, c.label) for c in Category],
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
        validate_choice=True,
    )
