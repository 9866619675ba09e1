"""The question-kind registry: which form field each kind of question gets, and how its input is
stored and shown.

One entry per :class:`~selfassess.questionbank.kinds.QuestionKind` (like Indico's survey fields),
so adding a kind means adding one ``KindField`` here, and the section form, the check-your-answers
page and the exports all follow. Values are stored as text exactly as the scoring rules read them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wtforms import Field, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from ..models import SnapshotQuestion
from ..questionbank.kinds import QuestionKind
from ..scoring.formatting import fmt_quantity

#: Longest free text or evidence comment kept, in characters (about two pages).
MAX_TEXT = 5000

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def parse_number(raw: str, unit: str | None = None) -> float:
    """Read what someone typed as a number: spaces, thousands commas and the unit are allowed.

    Raises ValueError for anything else, so "about 90" is refused rather than guessed at; so is a
    comma that cannot be a thousands separator ("92,5" is not taken as 925 or as 92.5).
    """
    text = raw.strip().replace(" ", "")
    suffix = (unit or "").replace(" ", "")
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    text = text.rstrip("%")
    if "," in text:
        if not _GROUPED.match(text):
            raise ValueError(raw)
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise ValueError(raw)
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(raw)
    return number


def format_number(number: float) -> str:
    """Store a number without a trailing ``.0`` or an exponent: 92.5 -> "92.5", 12.0 -> "12",
    1e-07 -> "0.0000001" (``parse_number`` must read back whatever is stored)."""
    if number.is_integer():
        return str(int(number))
    return format(Decimal(repr(number)), "f")


class MetricValue:
    """A number within the question's range, with a message that says what to type."""

    def __init__(self, question: SnapshotQuestion) -> None:
        self.options = question.options
        self.text = question.text

    def __call__(self, form: Any, field: Field) -> None:
        unit = self.options.get("unit")
        try:
            number = parse_number(field.data or "", unit)
        except ValueError:
            raise ValidationError(
                f"Enter a number{f' in {unit}' if unit else ''}, like 92.5"
            ) from None
        low, high = self.options.get("min"), self.options.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                raise ValidationError(f"Enter a number between {low:g} and {high:g}")
            if low is not None:
                raise ValidationError(f"Enter a number of {low:g} or more")
            raise ValidationError(f"Enter a number of {high:g} or less")


@dataclass(frozen=True)
class KindField:
    """How one kind of question is asked, stored and shown."""

    build: Callable[[SnapshotQuestion, list[tuple[str, str]]], Field]
    store: Callable[[SnapshotQuestion, str], str]
    show: Callable[[SnapshotQuestion, str], str]


def _level_choices(question: SnapshotQuestion) -> list[SelectChoice]:
    levels: dict[str, str] = question.options.get("levels", {})
    # The label is the question's own descriptor; the template adds the scale's level name.
    return [SelectChoice(level, descriptor) for level, descriptor in sorted(levels.items())]


def _maturity(question: SnapshotQuestion, scale: list[tuple[str, str]]) -> Field:
    return RadioField(question.text, choices=_level_choices(question), validators=[Optional()])


def _yes_no(question: SnapshotQuestion, scale: list[tuple[str, str]]) -> Field:
    return RadioField(
        question.text,
        choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
        validators=[Optional()],
    )


def _metric(question: SnapshotQuestion, scale: list[tuple[str, str]]) -> Field:
    return StringField(question.text, validators=[Optional(), MetricValue(question)])


def _text(question: SnapshotQuestion, scale: list[tuple[str, str]]) -> Field:
    return TextAreaField(
        question.text,
        validators=[
            Optional(),
            Length(max=MAX_TEXT, message=f"Keep this answer to {MAX_TEXT} characters"),
        ],
    )


def _store_plain(question: SnapshotQuestion, value: str) -> str:
    return value.strip()


def _store_metric(question: SnapshotQuestion, value: str) -> str:
    return format_number(parse_number(value, question.options.get("unit")))


def _show_level(question: SnapshotQuestion, value: str) -> str:
    descriptor = question.options.get("levels", {}).get(value)
    return f"Level {value}: {descriptor}" if descriptor else value


def _show_yes_no(question: SnapshotQuestion, value: str) -> str:
    return value.capitalize()


def _show_metric(question: SnapshotQuestion, value: str) -> str:
    unit = question.options.get("unit") or ""
    try:
        return fmt_quantity(parse_number(value, unit), unit)
    except ValueError:
        return f"{value}{unit}" if unit == "%" else f"{value} {unit}".strip()


def _show_text(question: SnapshotQuestion, value: str) -> str:
    return value


REGISTRY: dict[QuestionKind, KindField] = {
    QuestionKind.MATURITY: KindField(_maturity, _store_plain, _show_level),
    QuestionKind.YES_NO: KindField(_yes_no, _store_plain, _show_yes_no),
    QuestionKind.METRIC: KindField(_metric, _store_metric, _show_metric),
    QuestionKind.TEXT: KindField(_text, _store_plain, _show_text),
}


def kind_field(question: SnapshotQuestion) -> KindField:
    """The registry entry for ``question``'s kind."""
    return REGISTRY[QuestionKind(question.kind)]


def canonical(question: SnapshotQuestion, value: str | None) -> str | None:
    """A stored value in the one form its kind stores, so answers compare by what they mean: a
    metric by value ("100.0" and "1093.0", as the demo once stored them, read as "100" and
    "1093"). A value the kind cannot read is left as it is, never lost."""
    if value is None or not value.strip():
        return value
    try:
        return kind_field(question).store(question, value)
    except ValueError:
        return value


def show_value(question: SnapshotQuestion, value: str | None) -> str:
    """An answer as people read it ("Level 3: ...", "Yes", "92.5%"), or "Not answered"."""
    if value is None or not value.strip():
        return "Not answered"
    return kind_field(question).show(question, canonical(question, value) or value)
