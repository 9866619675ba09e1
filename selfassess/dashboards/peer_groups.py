"""Peer groups of one cycle: every scored member's value per score, with statistics.

The one place pages and exports turn stored scores into peer statistics, so a coordinator's CSV
and a member's dashboard always show the same quartiles. The arithmetic itself is the pure
``selfassess.scoring.peers``; this module only groups stored values and narrows the group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ..models import ScoreScope
from ..scoring import PeerPosition, PeerStats, Suppressed, peer_stats
from ..scoring.peers import MIN_PEERS, percentile_ranks, quartile, suppression_reason

#: (scope, code): ("standard", "GOV-1"), ("domain", "GOV"), ("overall", "overall").
PeerKey = tuple[str, str]


class StoredScore(Protocol):
    """What a stored score row offers (an ``AssessmentScore`` or a selected row)."""

    @property
    def assessment_id(self) -> int: ...
    @property
    def scope(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def score(self) -> float | None: ...
    @property
    def score_index(self) -> float | None: ...


@dataclass
class PeerGroup:
    """Per score, each member's value keyed by assessment id; statistics computed on demand."""

    values: dict[PeerKey, dict[int, float]]
    _stats: dict[PeerKey, PeerStats | Suppressed] = field(default_factory=dict, repr=False)
    _positions: dict[PeerKey, dict[float, PeerPosition] | Suppressed] = field(
        default_factory=dict, repr=False
    )

    def stats(self, key: PeerKey) -> PeerStats | Suppressed:
        """The five-number summary of one score over the group, or why it is hidden."""
        if key not in self._stats:
            self._stats[key] = peer_stats(list(self.values.get(key, {}).values()))
        return self._stats[key]

    def value(self, key: PeerKey, assessment_id: int) -> float | None:
        """One member's value, or None when it has none."""
        return self.values.get(key, {}).get(assessment_id)

    def position(self, key: PeerKey, assessment_id: int) -> PeerPosition | Suppressed | None:
        """The member's percentile and quartile in the group; None when it has no value.

        Every member's position on a score is worked out once (sorting once), since exports
        and dashboards ask for each member in turn.
        """
        value = self.value(key, assessment_id)
        if value is None:
            return None
        if key not in self._positions:
            values = list(self.values[key].values())
            self._positions[key] = (
                Suppressed(n=len(values), reason=suppression_reason(len(values)))
                if len(values) < MIN_PEERS
                else {
                    v: PeerPosition(percentile=p, quartile=quartile(p))
                    for v, p in percentile_ranks(values).items()
                }
            )
        found = self._positions[key]
        return found if isinstance(found, Suppressed) else found[value]

    def narrowed(self, assessment_ids: Collection[int]) -> PeerGroup:
        """The same scores over a subset of members (a peer filter's result)."""
        keep = set(assessment_ids)
        return PeerGroup(
            {
                key: {a: v for a, v in by_member.items() if a in keep}
                for key, by_member in self.values.items()
            }
        )

    def size(self) -> int:
        """How many members have any value in the group."""
        return len({a for by_member in self.values.values() for a in by_member})


def peer_group(rows: Iterable[StoredScore], index_scopes: Collection[str]) -> PeerGroup:
    """Group stored scores by (scope, code): the index for ``index_scopes``, else the score.

    Exports compare overall indices and standard/domain scores; dashboards compare domain
    indices (0-100) too. Percentiles and quartiles are the same either way: the index is a
    straight-line function of the score.
    """
    values: dict[PeerKey, dict[int, float]] = defaultdict(dict)
    for row in rows:
        value = row.score_index if row.scope in index_scopes else row.score
        if value is not None:
            values[(row.scope, row.code)][row.assessment_id] = value
    return PeerGroup(dict(values))


EXPORT_INDEX_SCOPES = frozenset({ScoreScope.OVERALL.value})
DASHBOARD_INDEX_SCOPES = frozenset({ScoreScope.OVERALL.value, ScoreScope.DOMAIN.value})
