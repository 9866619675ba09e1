"""Forms for answering an invitation."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..auth.forms import NewPasswordForm


class NewAccountForm(NewPasswordForm):
    """A new account's name and password, chosen when accepting an invitation."""

    name = StringField("Full name", validators=[DataRequired("Enter your name"), Length(max=200)])


class AnswerForm(FlaskForm):
    """Accept or decline buttons (the button pressed is the answer)."""
