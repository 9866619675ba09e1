"""Map one answer to a level 1-5: the only place that knows what each question kind's answers mean.

Each scored question kind has one rule in ``_LEVEL_RULES``; a test checks that the registry covers
exactly ``SCORED_KINDS``, so a new kind cannot be added without saying how it scores.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real

from selfassess.questionbank.kinds import SCORED_KINDS, QuestionKind
from selfassess.scoring.specs import (
    MAX_LEVEL,
    MIN_LEVEL,
    THRESHOLD_LEVELS,
    AnswerValue,
    QuestionSpec,
)

_YES = frozenset({"yes"})
_NO = frozenset({"no"})


def is_answered(value: AnswerValue) -> bool:
    """Say whether a stored answer counts as given.

    Forms post empty strings for untouched fields, so blank text is treated like no answer at all.
    """
    if value is None:
        return False
    return not (isinstance(value, str) and not value.strip())


def question_level(spec: QuestionSpec, value: AnswerValue) -> int | None:
    """Return the level 1-5 an answer reaches, or None for free text and unanswered questions.

    Raises ValueError naming the question when the value cannot be an answer to it, so a bad import
    or a tampered form fails loudly instead of scoring as level 1.
    """
    if spec.kind not in SCORED_KINDS or not is_answered(value):
        return None
    return _LEVEL_RULES[spec.kind](spec, value)


def _maturity_level(spec: QuestionSpec, value: AnswerValue) -> int:
    # bool is an int in Python; True is not "level 1".
    if isinstance(value, bool):
        raise ValueError(f"question {spec.id}: a maturity answer is a level, got {value!r}")
    level: int | None = None
    if isinstance(value, int):
        level = value
    elif isinstance(value, float) and value.is_integer():
        level = int(value)
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        level = int(value.strip())
    if level is None:
        raise ValueError(f"question {spec.id}: a maturity answer is a whole level, got {value!r}")
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValueError(
            f"question {spec.id}: level {level} is off the scale {MIN_LEVEL}-{MAX_LEVEL}"
        )
    return level


def is_yes(spec: QuestionSpec, value: AnswerValue) -> bool:
    """Read a yes/no answer, or raise ValueError naming the question."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
    raise ValueError(f"question {spec.id}: a yes/no answer is 'yes' or 'no', got {value!r}")


def _yes_no_level(spec: QuestionSpec, value: AnswerValue) -> int:
    return spec.yes_level if is_yes(spec, value) else MIN_LEVEL


def metric_number(spec: QuestionSpec, value: AnswerValue) -> float:
    """Read a metric answer as a finite number, or raise ValueError naming the question."""
    number: float | None = None
    if isinstance(value, Real) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        raise ValueError(f"question {spec.id}: a metric answer is a number, got {value!r}")
    return number


def _metric_level(spec: QuestionSpec, value: AnswerValue) -> int:
    number = metric_number(spec, value)
    thresholds = spec.thresholds
    if thresholds is None:  # QuestionSpec guarantees thresholds for metric questions
        raise ValueError(f"question {spec.id}: a metric question needs thresholds")
    # Thresholds are checked to move monotonically, so the highest level reached is the answer.
    for level in reversed(THRESHOLD_LEVELS):
        limit = thresholds[level]
        reached = number >= limit if spec.better == "higher" else number <= limit
        if reached:
            return level
    return MIN_LEVEL


_LEVEL_RULES: dict[QuestionKind, Callable[[QuestionSpec, AnswerValue], int]] = {
    QuestionKind.MATURITY: _maturity_level,
    QuestionKind.YES_NO: _yes_no_level,
    QuestionKind.METRIC: _metric_level,
}
