"""Moderation: a panel's agreed level for a standard replaces the member's own score.

Self-assessments "mark their own homework"; an alliance may have a panel (its coordinator and
peer reviewers from other member trusts) agree or adjust each standard's level before it
validates. The panel's level is what counts, so domain scores, the overall index and the
membership status are recomputed from it; the member's own score is kept beside it
(``StandardScore.self_assessed``) so both can be shown. A panel that agrees records the member's
own score as its level, which changes no figure but marks the standard as moderated.

Pure: the caller gathers the panel's levels (``assessments.moderation``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from selfassess.scoring.rounding import format_level, format_score
from selfassess.scoring.scores import (
    AssessmentScore,
    StandardScore,
    overall_index,
    score_domain,
)
from selfassess.scoring.specs import MAX_LEVEL, MIN_LEVEL, FrameworkSpec


def check_level(level: float) -> float:
    """A moderated level must lie on the framework's 1-5 scale (ValueError otherwise)."""
    if isinstance(level, bool) or not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValueError(f"A moderated level must be between {MIN_LEVEL} and {MAX_LEVEL}")
    return float(level)


def moderate_standard(standard: StandardScore, level: float) -> StandardScore:
    """One standard with the panel's level in place of the member's own score."""
    level = check_level(level)
    own = standard.score
    own_words = "no score" if own is None else format_score(own)
    outcome = "met" if level >= standard.target else "not met"
    verdict = "at or above" if level >= standard.target else "below"
    return dataclasses.replace(
        standard,
        score=level,
        met=level >= standard.target,
        moderated=True,
        self_assessed=own,
        reason=(
            f"moderated to {format_score(level)} (self-assessed {own_words}); "
            f"{verdict} target {format_level(standard.target)}: {outcome}"
        ),
    )


def moderate(
    framework: FrameworkSpec, result: AssessmentScore, levels: Mapping[str, float]
) -> AssessmentScore:
    """The assessment's scores with each moderated standard at the panel's level.

    Standards the panel has not decided keep the member's own score; levels for standards the
    framework does not have are ignored (they cannot change any score).
    """
    if not levels:
        return result
    standards = tuple(
        moderate_standard(s, levels[s.id]) if s.id in levels else s for s in result.standards
    )
    domains = tuple(score_domain(d, standards) for d in framework.domains)
    index, reason = overall_index(domains)
    return AssessmentScore(standards=standards, domains=domains, index=index, reason=reason)
