"""Site administration forms."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from ..auth.forms import InviteForm
from ..models import Role


class InviteUserForm(InviteForm):
    role = SelectField(
        "Role",
        choices=[SelectChoice(r.value, r.label) for r in Role],
        validate_choice=True,
    )
    alliance = SelectField(
        "Alliance (every role but site administrator)", coerce=str, validate_choice=False
    )
    trust = SelectField(
        "Trust (trust users: a member of the alliance chosen)", coerce=str, validate_choice=False
    )

    def validate(self, extra_validators: dict[str, list[Any]] | None = None) -> bool:
        ok = super().validate(extra_validators)
        role = self.role.data
        alliance_ids = {c.value for c in self.alliance.choices if c.value}
        trust_ids = {c.value for c in self.trust.choices if c.value}
        needs_alliance = role in (Role.COORDINATOR, Role.BUDDYING_LEAD, Role.TRUST_USER)
        if needs_alliance and self.alliance.data not in alliance_ids:
            self.alliance.errors = ["Select the alliance this role is for"]
            ok = False
        if role == Role.TRUST_USER and self.trust.data not in trust_ids:
            self.trust.errors = ["Select the trust this user works for"]
            ok = False
        return ok


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change something."""
