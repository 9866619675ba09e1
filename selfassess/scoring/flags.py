"""Confidence flags: where a self-assessment deserves a reviewer's second look.

Self-assessments "mark their own homework"; these rules point a reviewer at the answers most
likely to be generous, and never change a score. Each takes what the member claimed for one
standard and what stands behind it:

- **above target without evidence**: a standard scored above its target, with no evidence file
  and no evidence comment on any of its questions;
- **jump from last cycle**: a standard two levels or more away from what the member scored on
  the same standard (or the standards it continues) in its previous scored self-assessment;
- **at odds with the alliance profile**: a standard claimed at level 3 or more while a fact the
  coordinator answered about the alliance, on that same standard, says "no" (the alliance has
  no signed agreement, say, while the member claims established governance of it);
- **respondents disagree**: with several respondents on, colleagues who answered a question of
  the standard independently chose levels two or more apart (``spread.Spread.uncertain``), so
  the settled answer is uncertain whatever the score says. One flag per such question.

Pure: the caller gathers the inputs (``assessments.flags``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from selfassess.scoring.spread import level_spread

#: How far from last cycle counts as a jump worth a look (in levels of the 1-5 scale).
JUMP = 2.0
#: The level from which a claim is at odds with an alliance fact answered "no".
CLAIM_AT_ODDS = 3.0


class FlagKind(StrEnum):
    """The four flags, as the review page names them."""

    UNEVIDENCED = "above target without evidence"
    JUMP = "jump from last cycle"
    AT_ODDS = "at odds with the alliance profile"
    DISAGREE = "respondents disagree"


@dataclass(frozen=True)
class StandardClaim:
    """One standard as claimed and what stands behind it."""

    code: str
    score: float | None
    target: float
    evidenced: bool
    previous: float | None = None
    facts_answered_no: tuple[str, ...] = ()
    #: With several respondents on: per question code, the levels the respondents chose.
    respondent_levels: tuple[tuple[str, tuple[int, ...]], ...] = ()


@dataclass(frozen=True)
class Flag:
    """One flag on one standard, with the words a reviewer reads."""

    standard: str
    kind: FlagKind
    detail: str


def confidence_flags(claims: Iterable[StandardClaim]) -> list[Flag]:
    """Every flag the claims raise, in the claims' order (a standard may raise several)."""
    flags: list[Flag] = []
    for claim in claims:
        if claim.score is None:
            continue
        if claim.score > claim.target and not claim.evidenced:
            flags.append(
                Flag(
                    claim.code,
                    FlagKind.UNEVIDENCED,
                    f"scored {_level(claim.score)} against a target of {_level(claim.target)} "
                    "with no evidence file or comment",
                )
            )
        if claim.previous is not None and abs(claim.score - claim.previous) >= JUMP:
            direction = "up" if claim.score > claim.previous else "down"
            flags.append(
                Flag(
                    claim.code,
                    FlagKind.JUMP,
                    f"{direction} from {_level(claim.previous)} to {_level(claim.score)} "
                    "since the previous self-assessment",
                )
            )
        if claim.score >= CLAIM_AT_ODDS and claim.facts_answered_no:
            flags.append(
                Flag(
                    claim.code,
                    FlagKind.AT_ODDS,
                    f"scored {_level(claim.score)} while the alliance profile answers no to "
                    + ", ".join(claim.facts_answered_no),
                )
            )
        flags.extend(_disagreements(claim))
    return flags


def _disagreements(claim: StandardClaim) -> list[Flag]:
    found = []
    for code, levels in claim.respondent_levels:
        spread = level_spread(levels)
        if spread is not None and spread.uncertain:
            found.append(
                Flag(
                    claim.code,
                    FlagKind.DISAGREE,
                    f"{code} is uncertain: {spread.respondents} respondents chose {spread}",
                )
            )
    return found


def _level(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
