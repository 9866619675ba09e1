"""Forms for several respondents. A respondent's own section reuses the questionnaire's section
form (``questionnaire.forms.section_form_class``), so every question kind is asked the same way."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired


class RespondentsSettingForm(FlaskForm):
    """Switch several respondents on (naming the lead) or off. The lead's choices are the
    trust's colleagues, set per request; the core checks the choice again."""

    several = RadioField(
        "Should colleagues answer this self-assessment independently?",
        choices=[
            SelectChoice("on", "Yes, several respondents"),
            SelectChoice("off", "No, one shared set of answers"),
        ],
        validators=[InputRequired(message="Choose whether colleagues answer independently")],
    )
    lead = RadioField("Who settles the answers?", choices=[], validate_choice=False)


class SettleForm(FlaskForm):
    """Settle one question: a respondent's answer (their user id) or keep the current one."""

    question = HiddenField()
    choice = RadioField(
        "Which answer should the self-assessment give?",
        choices=[],
        validate_choice=False,
        validators=[InputRequired(message="Choose an answer, or keep the current one")],
    )
