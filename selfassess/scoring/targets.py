"""A trust's own targets: percent to target and progress since the last cycle.

Issue #19 point 2, after OWASP SAMM's "percent to target": how far a member has come from the
bottom of the scale towards the level it set itself. SAMM's scale starts at 0; ours at level 1
(nothing in place), so a standard's percent to target is

    100 x (min(score, target) - 1) / (target - 1)

Capped at the target: going beyond it is 100%, never more, so over-achieving one standard cannot
hide a gap on another when they are added up. A target of 1 is reached by any score.

Across standards, as SAMM adds activities up, the percent to target is the sum of the capped
distances climbed over the sum of the distances to climb:

    100 x sum(min(score, target) - 1) / sum(target - 1)

where a standard with no score has climbed nothing. Progress since the last cycle is the change
in percent to target, in percentage points, between the previous cycle's score and this one's
(against the same target).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from selfassess.scoring.specs import MAX_LEVEL, MIN_LEVEL


def check_target(level: float) -> None:
    """Refuse a target off the 1-5 scale (a trust's target is a level it could reach)."""
    if isinstance(level, bool) or not (MIN_LEVEL <= level <= MAX_LEVEL):
        raise ValueError(f"A target must be a level from {MIN_LEVEL} to {MAX_LEVEL}")


def _climbed(score: float | None, target: float) -> Fraction:
    if score is None:
        return Fraction(0)
    return Fraction(min(score, target)) - MIN_LEVEL


def percent_to_target(score: float | None, target: float) -> float | None:
    """How far ``score`` has come towards ``target``, 0-100 (None when there is no score)."""
    check_target(target)
    if score is None:
        return None
    if target == MIN_LEVEL:
        return 100.0
    return float(_climbed(score, target) / (Fraction(target) - MIN_LEVEL) * 100)


@dataclass(frozen=True)
class TargetProgress:
    """One standard: the trust's target, its score now and in the previous cycle."""

    standard_id: str
    target: float
    score: float | None
    previous: float | None

    @property
    def percent(self) -> float | None:
        """Percent to target now."""
        return percent_to_target(self.score, self.target)

    @property
    def percent_before(self) -> float | None:
        """Percent to target in the previous cycle (against today's target)."""
        return percent_to_target(self.previous, self.target)

    @property
    def progress(self) -> float | None:
        """Change in percent to target since the previous cycle, in percentage points."""
        if self.percent is None or self.percent_before is None:
            return None
        return self.percent - self.percent_before

    @property
    def change(self) -> float | None:
        """Change in score since the previous cycle."""
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def reached(self) -> bool | None:
        """Whether the score is at or above the target (None without a score)."""
        return None if self.score is None else self.score >= self.target


def target_progress(
    targets: Mapping[str, float],
    scores: Mapping[str, float | None],
    previous: Mapping[str, float | None] | None,
    order: Iterable[str] = (),
) -> tuple[TargetProgress, ...]:
    """Each targeted standard's progress, in ``order`` first, then any others by id."""
    ids = [s for s in dict.fromkeys(order) if s in targets]
    ids += sorted(s for s in targets if s not in ids)
    return tuple(TargetProgress(s, targets[s], scores.get(s), (previous or {}).get(s)) for s in ids)


def overall_percent_to_target(
    items: Iterable[TargetProgress], *, previous: bool = False
) -> float | None:
    """Percent to target across standards: capped distances climbed over distances to climb.

    ``previous`` uses the previous cycle's scores. None when no standard has a score in that
    cycle, or nothing has a target above level 1 (there is no distance to climb).
    """
    items = list(items)
    if all((i.previous if previous else i.score) is None for i in items):
        return None
    to_climb = sum((Fraction(i.target) - MIN_LEVEL for i in items), Fraction(0))
    if to_climb == 0:
        return None
    climbed = sum(
        (_climbed(i.previous if previous else i.score, i.target) for i in items), Fraction(0)
    )
    return float(climbed / to_climb * 100)
