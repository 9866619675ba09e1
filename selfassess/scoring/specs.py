"""What scoring needs to know about a framework, independent of the database and the loader.

The question-bank loader and the database snapshot both turn into these records, so the scoring
rules are written (and tested) once. Each record checks its own invariants on construction: a
framework that reaches the scoring code with a weight of zero or a threshold out of order is a bug
upstream, and it is cheaper to say so here than to produce a plausible wrong score.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from selfassess.questionbank.kinds import MetricScale, QuestionKind, ScoringRule

#: The maturity scale every framework uses: levels 1 (lowest) to 5 (highest).
MIN_LEVEL = 1
MAX_LEVEL = 5
#: Metric thresholds name the value needed to reach each of these levels; below level 2 is level 1.
THRESHOLD_LEVELS: tuple[int, ...] = (2, 3, 4, 5)

Better = Literal["higher", "lower"]
AnswerValue = str | int | float | bool | None
#: Answers keyed by question id, as entered (see ``rules.question_level`` for accepted values).
Answers = Mapping[str, AnswerValue]


def _check_weight(owner: str, weight: float) -> None:
    if isinstance(weight, bool) or not math.isfinite(weight) or weight <= 0:
        raise ValueError(f"{owner}: weight must be a positive number, got {weight!r}")


def _check_target(owner: str, target: float) -> None:
    if isinstance(target, bool) or not (MIN_LEVEL <= target <= MAX_LEVEL):
        raise ValueError(
            f"{owner}: target must be a level on the scale {MIN_LEVEL}-{MAX_LEVEL}, got {target!r}"
        )


@dataclass(frozen=True)
class QuestionSpec:
    """Describe one question as far as scoring cares.

    ``thresholds`` maps each level 2..5 to the value needed to reach it (metric questions only).
    It is copied into a read-only mapping so a frozen spec really cannot change after scoring.
    """

    id: str
    kind: QuestionKind
    weight: float = 1.0
    required: bool = True
    yes_level: int = MAX_LEVEL
    better: Better | None = None
    thresholds: Mapping[int, float] | None = field(default=None, hash=False)
    #: Gated frameworks: the level a yes/no criterion is evidence for (2-5).
    gates_level: int | None = None
    #: Metrics: fixed thresholds, or the cycle's quartiles (thresholds when too few values).
    scored_by: MetricScale = MetricScale.THRESHOLDS
    #: Metrics scored by quartile: the value a top-quartile member must also reach for level 5.
    target: float | None = None

    def __post_init__(self) -> None:
        owner = f"question {self.id}"
        if not isinstance(self.kind, QuestionKind):
            object.__setattr__(self, "kind", QuestionKind(self.kind))
        object.__setattr__(self, "scored_by", MetricScale(self.scored_by))
        _check_weight(owner, self.weight)
        if self.gates_level is not None and (
            self.kind is not QuestionKind.YES_NO
            or isinstance(self.gates_level, bool)
            or self.gates_level not in range(MIN_LEVEL + 1, MAX_LEVEL + 1)
        ):
            raise ValueError(
                f"{owner}: gates_level is a level 2-5 on a yes/no question, "
                f"got {self.gates_level!r}"
            )
        if self.scored_by is MetricScale.PEER_QUARTILES and (
            self.kind is not QuestionKind.METRIC or self.target is None
        ):
            raise ValueError(f"{owner}: peer quartile scoring needs a metric with a target")
        if isinstance(self.yes_level, bool) or self.yes_level not in range(
            MIN_LEVEL, MAX_LEVEL + 1
        ):
            raise ValueError(
                f"{owner}: yes_level must be a level {MIN_LEVEL}-{MAX_LEVEL}, "
                f"got {self.yes_level!r}"
            )
        if self.kind is QuestionKind.METRIC:
            self._check_metric(owner)
        elif self.better is not None or self.thresholds is not None:
            raise ValueError(f"{owner}: only metric questions have 'better' and 'thresholds'")

    def _check_metric(self, owner: str) -> None:
        if self.better not in ("higher", "lower"):
            raise ValueError(f"{owner}: better must be 'higher' or 'lower', got {self.better!r}")
        if self.thresholds is None or set(self.thresholds) != set(THRESHOLD_LEVELS):
            got = None if self.thresholds is None else sorted(self.thresholds)
            raise ValueError(f"{owner}: thresholds must name exactly the levels 2-5, got {got}")
        values = [float(self.thresholds[level]) for level in THRESHOLD_LEVELS]
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"{owner}: thresholds must be finite numbers")
        pairs = list(itertools.pairwise(values))
        in_order = (
            all(a <= b for a, b in pairs)
            if self.better == "higher"
            else all(a >= b for a, b in pairs)
        )
        if not in_order:
            direction = "rise" if self.better == "higher" else "fall"
            raise ValueError(
                f"{owner}: with better={self.better} thresholds must {direction} with the level"
            )
        frozen = MappingProxyType(dict(zip(THRESHOLD_LEVELS, values, strict=True)))
        object.__setattr__(self, "thresholds", frozen)


@dataclass(frozen=True)
class StandardSpec:
    """Describe one standard: its target level, weight in its domain, and questions."""

    id: str
    domain_id: str
    core: bool
    target: float
    weight: float
    questions: tuple[QuestionSpec, ...]

    def __post_init__(self) -> None:
        owner = f"standard {self.id}"
        _check_target(owner, self.target)
        _check_weight(owner, self.weight)
        object.__setattr__(self, "questions", tuple(self.questions))


@dataclass(frozen=True)
class DomainSpec:
    """Describe one domain and its standards, in display order.

    The domain ``weight`` is carried for exports; the overall index is a plain mean of the domain
    indices (PRODUCT.md), so the weight does not enter any score.
    """

    id: str
    weight: float
    standards: tuple[StandardSpec, ...]

    def __post_init__(self) -> None:
        _check_weight(f"domain {self.id}", self.weight)
        object.__setattr__(self, "standards", tuple(self.standards))
        for standard in self.standards:
            if standard.domain_id != self.id:
                raise ValueError(
                    f"standard {standard.id} says domain {standard.domain_id!r} "
                    f"but is listed under domain {self.id!r}"
                )


@dataclass(frozen=True)
class FrameworkSpec:
    """Describe a whole framework version: its domains in display order and its scoring rule."""

    domains: tuple[DomainSpec, ...]
    scoring: ScoringRule = ScoringRule.AVERAGED

    def __post_init__(self) -> None:
        object.__setattr__(self, "domains", tuple(self.domains))
        object.__setattr__(self, "scoring", ScoringRule(self.scoring))
        seen: set[str] = set()
        for item_id in self._all_ids():
            if item_id in seen:
                raise ValueError(f"id {item_id!r} is used more than once in the framework")
            seen.add(item_id)

    def _all_ids(self) -> list[str]:
        ids: list[str] = []
        for domain in self.domains:
            ids.append(domain.id)
            for standard in domain.standards:
                ids.append(standard.id)
                ids.extend(question.id for question in standard.questions)
        return ids

    @property
    def standards(self) -> tuple[StandardSpec, ...]:
        """Every standard, in display order."""
        return tuple(s for d in self.domains for s in d.standards)

    @property
    def questions(self) -> tuple[QuestionSpec, ...]:
        """Every question, in display order."""
        return tuple(q for s in self.standards for q in s.questions)
