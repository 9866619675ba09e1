"""What if: a member chooses levels for some standards and sees where that would leave it.

Issue #19 point 1. The member starts from its standard scores as stored for a cycle (or none),
replaces the standards it chooses with a level, and reads the resulting standard results, domain
scores and indices, overall index and membership status. Everything after the standard scores is
the same code that scores a real assessment (``scores.score_domain``, ``scores.overall_index``,
``status.membership_status``), so a what-if can never drift from the real rules. Nothing is
stored, and nothing here knows about any other member: a what-if shows no peer figures at all.

A chosen level stands for the standard's score itself (in a gated framework, a claim with its
criteria in place), which is what a member planning improvements thinks in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from selfassess.questionbank.kinds import SCORED_KINDS
from selfassess.scoring.rounding import format_level, format_score
from selfassess.scoring.scores import (
    NO_ANSWERS,
    NO_SCORED_QUESTIONS,
    AssessmentScore,
    StandardScore,
    overall_index,
    score_domain,
)
from selfassess.scoring.specs import MAX_LEVEL, MIN_LEVEL, FrameworkSpec, StandardSpec
from selfassess.scoring.status import StatusResult, membership_status


@dataclass(frozen=True)
class WhatIf:
    """A member's results as they are and as they would be with the chosen levels."""

    before: AssessmentScore
    after: AssessmentScore
    status_before: StatusResult
    status_after: StatusResult
    chosen: Mapping[str, int]

    @property
    def newly_met(self) -> tuple[str, ...]:
        """Standards not met now that the chosen levels would meet."""
        return tuple(
            s.id for s in self.after.standards if s.met and not self.before.standard(s.id).met
        )

    @property
    def newly_unmet(self) -> tuple[str, ...]:
        """Standards met now that the chosen levels would leave below target."""
        return tuple(
            s.id for s in self.after.standards if self.before.standard(s.id).met and not s.met
        )


def choosable(standard: StandardSpec) -> bool:
    """Whether a member can choose a level for a standard: it has a scored question to answer."""
    return any(q.kind in SCORED_KINDS for q in standard.questions)


def _standard(standard: StandardSpec, score: float | None, chosen: bool) -> StandardScore:
    scored = sum(1 for q in standard.questions if q.kind in SCORED_KINDS)
    met = None if score is None else score >= standard.target
    if scored == 0:
        reason = NO_SCORED_QUESTIONS
    elif score is None:
        reason = NO_ANSWERS
    else:
        basis = f"level {format_level(score)} chosen" if chosen else f"score {format_score(score)}"
        verdict = "at or above" if met else "below"
        reason = f"{basis}; {verdict} target {format_level(standard.target)}: " + (
            "met" if met else "not met"
        )
    return StandardScore(
        id=standard.id,
        domain_id=standard.domain_id,
        score=score,
        target=standard.target,
        met=met,
        core=standard.core,
        answered=0 if score is None else scored,
        scored_questions=scored,
        reason=reason,
        weight=standard.weight,
    )


def rescore(
    framework: FrameworkSpec,
    standard_scores: Mapping[str, float | None],
    chosen: frozenset[str] = frozenset(),
) -> AssessmentScore:
    """Score a whole assessment from its standard scores (as stored, or chosen).

    Met, domain scores and indices and the overall index follow exactly as ``score_assessment``
    derives them from the same standard scores. Scores for ids the framework does not have are
    ignored; a standard missing from ``standard_scores`` has no score.
    """
    standards = tuple(
        _standard(s, standard_scores.get(s.id), s.id in chosen) for s in framework.standards
    )
    domains = tuple(score_domain(d, standards) for d in framework.domains)
    index, reason = overall_index(domains)
    return AssessmentScore(standards=standards, domains=domains, index=index, reason=reason)


def check_levels(framework: FrameworkSpec, chosen: Mapping[str, int]) -> dict[str, str]:
    """Map each chosen standard that cannot take a level to why (empty when all are fine)."""
    known = {s.id: s for s in framework.standards}
    errors: dict[str, str] = {}
    for standard_id, level in chosen.items():
        standard = known.get(standard_id)
        if standard is None or not choosable(standard):
            errors[standard_id] = f"{standard_id} is not a standard you can choose a level for"
        elif isinstance(level, bool) or level not in range(MIN_LEVEL, MAX_LEVEL + 1):
            errors[standard_id] = f"Choose a level from {MIN_LEVEL} to {MAX_LEVEL}"
    return errors


def what_if(
    framework: FrameworkSpec,
    current: Mapping[str, float | None] | None,
    chosen: Mapping[str, int],
    previous_validated: AssessmentScore | None,
    cycle_closed: bool,
) -> WhatIf:
    """Apply the chosen levels to the member's current standard scores and score the result.

    ``current`` is the member's stored standard scores in the cycle (None: nothing submitted);
    ``previous_validated`` its validated result in the most recent earlier cycle that has one,
    which decides "At risk" as in ``membership_status``. The result with chosen levels is
    scored as a submitted assessment. Raises ValueError when a level cannot be chosen.
    """
    errors = check_levels(framework, chosen)
    if errors:
        raise ValueError("; ".join(errors.values()))
    before = rescore(framework, current or {})
    after = rescore(framework, {**(current or {}), **chosen}, frozenset(chosen))
    return WhatIf(
        before=before,
        after=after,
        status_before=membership_status(
            before if current is not None else None, previous_validated, cycle_closed
        ),
        status_after=membership_status(after, previous_validated, cycle_closed),
        chosen=dict(chosen),
    )
