"""A buddying pair's outcome: the mentee's change on its focus standards between two cycles.

Split from ``buddies`` (which chooses buddies) because it answers a different question, later:
did the pairing help? Pure arithmetic over stored scores, like the rest of ``scoring``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class FocusChange:
    """How a mentee moved on one focus standard between two cycles (None: no score there)."""

    standard_id: str
    target: float | None
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        """After minus before; None unless both cycles have a score."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def met_before(self) -> bool | None:
        return _met(self.before, self.target)

    @property
    def met_after(self) -> bool | None:
        return _met(self.after, self.target)

    def describe(self) -> str:
        """Say the change in words, e.g. "up 1.25, now meets target 3"."""
        change = self.change
        if change is None:
            return "no score to compare"
        if change > 0:
            words = f"up {change:.2f}"
        elif change < 0:
            words = f"down {-change:.2f}"
        else:
            words = "no change"
        if self.target is not None:
            verdict = "meets" if self.met_after else "still below"
            if self.met_after and not self.met_before:
                verdict = "now meets"
            elif not self.met_after and self.met_before:
                verdict = "now below"
            words += f", {verdict} target {self.target:g}"
        return words


def _met(score: float | None, target: float | None) -> bool | None:
    if score is None or target is None:
        return None
    return score >= target


def focus_changes(
    focus: Iterable[str],
    before: Mapping[str, float | None],
    after: Mapping[str, float | None],
    targets: Mapping[str, float],
) -> tuple[FocusChange, ...]:
    """Compare the mentee's scores on each focus standard, in the order the pair lists them."""
    return tuple(
        FocusChange(s, targets.get(s), before.get(s), after.get(s)) for s in dict.fromkeys(focus)
    )


def scores_through_lineage(
    focus: Iterable[str],
    after: Mapping[str, float | None],
    continued_by: Mapping[str, tuple[str, ...]],
) -> dict[str, float | None]:
    """A later cycle's scores on the focus standards when that cycle is on a newer framework
    version: a focus standard's score then is the mean of the scores of the standards that
    continue it (``continued_by``: old id -> new ids), or None when nothing continues it or none
    of them was scored. The focus keeps its own id, so the pair's outcome still reads in the
    terms the pair was set up with."""
    result: dict[str, float | None] = {}
    for standard in dict.fromkeys(focus):
        values = [
            value
            for successor in continued_by.get(standard, ())
            if (value := after.get(successor)) is not None
        ]
        result[standard] = sum(values) / len(values) if values else None
    return result
