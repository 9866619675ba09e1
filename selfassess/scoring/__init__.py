"""The scoring core: pure functions over frozen records, no Flask, no database, no clock.

Pages, exports, ``flask scores rebuild`` and the README all rely on these functions, so they show
the same numbers. The rules in words are in docs/scoring.md.
"""

from selfassess.scoring.buddies import BuddyCandidate, Suggestion, suggest_buddies
from selfassess.scoring.peers import (
    MIN_PEERS,
    PeerFilter,
    PeerMember,
    PeerPosition,
    PeerStats,
    Suppressed,
    filter_peers,
    peer_position,
    peer_stats,
    percentile_rank,
    position_among,
    quartile,
)
from selfassess.scoring.rounding import (
    format_index,
    format_score,
    round_index,
    round_score,
)
from selfassess.scoring.rules import is_answered, question_level
from selfassess.scoring.scores import (
    AssessmentScore,
    DomainScore,
    QuestionLevel,
    StandardScore,
    invalid_answers,
    missing_required,
    score_assessment,
    score_to_index,
    weighted_mean,
)
from selfassess.scoring.specs import (
    Answers,
    AnswerValue,
    DomainSpec,
    FrameworkSpec,
    QuestionSpec,
    StandardSpec,
)
from selfassess.scoring.status import MembershipStatus, StatusResult, membership_status

__all__ = [
    "MIN_PEERS",
    "AnswerValue",
    "Answers",
    "AssessmentScore",
    "BuddyCandidate",
    "DomainScore",
    "DomainSpec",
    "FrameworkSpec",
    "MembershipStatus",
    "PeerFilter",
    "PeerMember",
    "PeerPosition",
    "PeerStats",
    "QuestionLevel",
    "QuestionSpec",
    "StandardScore",
    "StandardSpec",
    "StatusResult",
    "Suggestion",
    "Suppressed",
    "filter_peers",
    "format_index",
    "format_score",
    "invalid_answers",
    "is_answered",
    "membership_status",
    "missing_required",
    "peer_position",
    "peer_stats",
    "percentile_rank",
    "position_among",
    "quartile",
    "question_level",
    "round_index",
    "round_score",
    "score_assessment",
    "score_to_index",
    "suggest_buddies",
    "weighted_mean",
]
