"""Score a metric against the cycle's distribution: its quartile band, with level 5 kept for an aim.

Used for metrics whose file says `scored_by: peer_quartiles`, where fixed thresholds would barely
separate trusts (the Friends and Family Test) or would reward the wrong thing. One distribution per
cycle: every submitted or validated value of the metric in the cycle, the member's own included, so
every member is measured against the same cut points and a coordinator can redo them from one
column of the answers export. Quartiles use the method of ``peers`` (linear interpolation).

| where the value lies (better = higher, or lower for `better: lower`) | level |
|---|---|
| worse than the lower quartile (the worst quarter) | 1 |
| at or better than the lower quartile, worse than the median | 2 |
| at or better than the median, worse than the upper quartile | 3 |
| at or better than the upper quartile | 4 |
| at or better than the upper quartile **and** at or better than the metric's target | 5 |

Level 5 needs the target too, so being best of a weak group is not "leading". With fewer than
``MIN_CYCLE_VALUES`` values the quartiles would describe one or two peers, so the metric falls back
to its thresholds (the caller's job: this function returns None).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from selfassess.questionbank.kinds import MetricScale
from selfassess.scoring.peers import MIN_PEERS, PeerStats, peer_stats
from selfassess.scoring.rules import metric_number, question_level
from selfassess.scoring.specs import AnswerValue, Better, QuestionSpec

#: The member and at least MIN_PEERS others: no quartile is drawn from fewer peers than are shown.
MIN_CYCLE_VALUES = MIN_PEERS + 1


def cycle_quartiles(values: Sequence[float]) -> PeerStats | None:
    """Return the cycle's five-number summary, or None when too few values to score by quartile."""
    if len(values) < MIN_CYCLE_VALUES:
        return None
    stats = peer_stats(values)
    return stats if isinstance(stats, PeerStats) else None


def quartile_level(value: float, stats: PeerStats, better: Better, target: float) -> int:
    """Return the level 1-5 of ``value`` against the cycle's quartiles (table in the docstring)."""

    def reaches(limit: float) -> bool:
        return value >= limit if better == "higher" else value <= limit

    worse_cut, best_cut = (stats.q1, stats.q3) if better == "higher" else (stats.q3, stats.q1)
    if reaches(best_cut):
        return 5 if reaches(target) else 4
    if reaches(stats.median):
        return 3
    if reaches(worse_cut):
        return 2
    return 1


#: Each peer-scored metric's values in the cycle, by question id.
CycleValues = Mapping[str, Sequence[float]]


def metric_level_in_cycle(
    spec: QuestionSpec, value: AnswerValue, cycle_values: CycleValues | None
) -> int | None:
    """Return a question's level, using the cycle's quartiles for metrics scored by them.

    Everything else, and a peer-scored metric whose cycle has too few values (or whose caller
    gives none), gets ``rules.question_level``: the thresholds in the file.
    """
    level = question_level(spec, value)
    if level is None or spec.scored_by is not MetricScale.PEER_QUARTILES or cycle_values is None:
        return level
    stats = cycle_quartiles(cycle_values.get(spec.id, ()))
    if stats is None or spec.better is None or spec.target is None:
        return level
    return quartile_level(metric_number(spec, value), stats, spec.better, spec.target)


def answer_level(
    spec: QuestionSpec, value: AnswerValue, cycle_values: CycleValues | None
) -> int | None:
    """The level shown beside one answer (exports): a criterion's "yes"/"no" is not a level.

    Under the gated rule a criterion caps its standard instead of scoring, so showing "5" or "1"
    beside it would suggest it is averaged in, as in 1.0. Everything else: its level in the cycle.
    """
    if spec.gates_level is not None:
        return None
    return metric_level_in_cycle(spec, value, cycle_values)
