"""The API token settings forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..models import Alliance
from .tokens import LIFETIMES

EVERY_ALLIANCE = ""


class NewTokenForm(FlaskForm):
    """Name a token, choose how far it reaches and how long it lasts."""

    name = StringField(
        "Name", validators=[DataRequired("Enter a name for the token"), Length(max=80)]
    )
    alliance = SelectField("Reaches", validate_choice=True)
    days = RadioField(
        "Expires after",
        choices=[SelectChoice(str(d), f"{d} days") for d in LIFETIMES],
        default="90",
        validators=[DataRequired("Choose when the token expires")],
    )

    def offer(self, alliances: list[Alliance]) -> None:
        """Offer every alliance the user holds a role in, or all of them at once."""
        self.alliance.choices = [
            SelectChoice(EVERY_ALLIANCE, "Everything my roles allow"),
            *(SelectChoice(str(a.id), f"Only {a.name}") for a in alliances),
        ]

    def alliance_id(self) -> int | None:
        return int(self.alliance.data) if self.alliance.data else None


class RevokeForm(FlaskForm):
    """No fields: the CSRF token of a revoke button."""
