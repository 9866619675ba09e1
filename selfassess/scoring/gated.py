"""The gated rule (framework 2.0): a maturity claim, capped by the evidence criteria of its levels.

As in NHS England's Digital Maturity Assessment, every element of a level must be in place to score
that level. A standard's maturity question is the member's claim; each yes/no criterion names the
level it is evidence for (``gates_level``). A criterion not met ("no", or not answered) means the
standard cannot reach that level, so it is capped one below it:

    score = min(claim, min(gates_level - 1 for every criterion not met))

The claim is the weighted mean of the standard's maturity answers (one maturity question: the level
chosen). Criteria for levels above the claim cost nothing, so a member at its target with the
target's criteria met meets the standard; one unmet criterion lowers the score only to one below
its level; and with every criterion met each level 1-5 is reachable. A "yes" never raises a claim:
criteria are evidence for a level, not points towards it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from selfassess.scoring.rounding import format_level, format_score
from selfassess.scoring.specs import MAX_LEVEL


@dataclass(frozen=True)
class Criterion:
    """One evidence criterion as answered: met only on "yes"."""

    id: str
    gates_level: int
    met: bool


@dataclass(frozen=True)
class GatedScore:
    """A gated standard's claim, the cap its unmet criteria set, the score, and why."""

    claim: float
    cap: int
    score: float
    capped_by: tuple[Criterion, ...]
    reason: str


def gated_score(claim: float, criteria: Iterable[Criterion]) -> GatedScore:
    """Cap ``claim`` (the maturity claimed) by the unmet criteria and say which ones bit."""
    unmet = [c for c in criteria if not c.met]
    cap = min((c.gates_level - 1 for c in unmet), default=MAX_LEVEL)
    score = min(claim, float(cap))
    capped_by = tuple(c for c in unmet if c.gates_level - 1 < claim)
    if capped_by:
        named = ", ".join(f"{c.id} (level {c.gates_level})" for c in capped_by)
        reason = (
            f"maturity claimed {format_score(claim)}; criteria not met: {named}, "
            f"so at most level {format_level(cap)}"
        )
    else:
        reason = f"maturity claimed {format_score(claim)}; every criterion up to it met"
    return GatedScore(claim=claim, cap=cap, score=score, capped_by=capped_by, reason=reason)
