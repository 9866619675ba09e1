"""Moderation forms. The per-standard decisions are read from the posted form by ``decisions``
(their names depend on the framework), so the forms here carry only the CSRF token and the
fixed fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..assessments.moderation import MAX_REASON, Decision

#: The choices of a standard's decision: leave undecided, agree, or one level of the scale.
AGREE = "agree"
LEVELS = ("1", "2", "3", "4", "5")


class DecisionsForm(FlaskForm):
    """The panel's decisions on the standards (fields named ``level-<code>``, ``reason-<code>``)."""


class SettingsForm(FlaskForm):
    """Switch moderation on or off for the alliance."""

    moderation = RadioField(
        "Does a panel moderate each submitted self-assessment before it is validated?",
        choices=[
            SelectChoice("on", "Yes, moderate before validating"),
            SelectChoice("off", "No"),
        ],
        validators=[InputRequired("Choose whether to moderate self-assessments")],
    )


class NominateForm(FlaskForm):
    """Nominate a peer reviewer from another member trust."""

    user = SelectField(
        "Peer reviewer",
        validators=[InputRequired("Choose a peer reviewer from another member trust")],
    )


class PanelistForm(FlaskForm):
    """A button-only form (remove a peer reviewer)."""


def typed_decisions(form: Mapping[str, str], codes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """What was typed for each standard of this assessment, as (choice, reason); other names
    are ignored."""
    typed: dict[str, tuple[str, str]] = {}
    for code in codes:
        choice = form.get(f"level-{code}", "")
        reason = form.get(f"reason-{code}", "")
        if choice or reason.strip():
            typed[code] = (choice, reason)
    return typed


def decisions(typed: Mapping[str, tuple[str, str]]) -> tuple[dict[str, Decision], dict[str, str]]:
    """The decisions typed, and an error per standard where one cannot be read (a reason with
    no choice, an unknown choice, a reason too long)."""
    chosen: dict[str, Decision] = {}
    errors: dict[str, str] = {}
    for code, (choice, reason) in typed.items():
        if len(reason) > MAX_REASON:
            errors[code] = f"Keep the reason for {code} to {MAX_REASON} characters"
        elif not choice:
            errors[code] = f"Choose whether the panel agrees with {code} or the level it agreed"
        elif choice == AGREE:
            chosen[code] = Decision(None, reason)
        elif choice in LEVELS:
            chosen[code] = Decision(float(choice), reason)
        else:
            errors[code] = f"Choose whether the panel agrees with {code} or the level it agreed"
    return chosen, errors
