"""How far several respondents' answers to one question lie apart.

With several respondents on, colleagues answer an assessment independently before a lead settles
each answer. A maturity question's answer is the level the respondent claims, so their spread is
the lowest and highest level chosen; two levels or more apart ("2" against "4") means they see
the trust differently, and the question is uncertain for the reviewer. Yes/no criteria and metric
figures are not level choices (a criterion is met or not; a figure is measured), so they have no
spread here: the lead's page lists their answers side by side instead.

Pure: the caller reads the answers (``assessments.respondents``, ``assessments.flags``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from selfassess.questionbank.kinds import QuestionKind
from selfassess.scoring.specs import MAX_LEVEL, MIN_LEVEL

#: Levels apart from which respondents disagree enough for a reviewer's second look.
DISAGREEMENT = 2


@dataclass(frozen=True)
class Spread:
    """The lowest and highest level respondents chose on one question, and how many chose."""

    lowest: int
    highest: int
    respondents: int

    @property
    def width(self) -> int:
        return self.highest - self.lowest

    @property
    def uncertain(self) -> bool:
        """Whether respondents disagree by ``DISAGREEMENT`` levels or more."""
        return self.width >= DISAGREEMENT

    def __str__(self) -> str:
        if self.lowest == self.highest:
            return f"level {self.lowest}"
        return f"levels {self.lowest} to {self.highest}"


def claimed_level(kind: str, value: str | None) -> int | None:
    """The level a respondent's answer claims: a maturity answer's level, else None (blank,
    another kind, or a value that is no level on the scale)."""
    if kind != QuestionKind.MATURITY or value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    level = int(text)
    return level if MIN_LEVEL <= level <= MAX_LEVEL else None


def level_spread(levels: Iterable[int]) -> Spread | None:
    """The spread of the levels chosen, or None when nobody chose one."""
    chosen = list(levels)
    if not chosen:
        return None
    return Spread(min(chosen), max(chosen), len(chosen))
