"""The question kinds: one enum shared by the file schema, form registry and scoring rules."""

from enum import StrEnum


class QuestionKind(StrEnum):
    """What kind of answer a question takes."""

    MATURITY = "maturity"
    YES_NO = "yes_no"
    METRIC = "metric"
    TEXT = "text"


#: Kinds whose answers map to a level 1-5 and count in scores; free text is evidence only.
SCORED_KINDS: frozenset[QuestionKind] = frozenset(
    {QuestionKind.MATURITY, QuestionKind.YES_NO, QuestionKind.METRIC}
)


class ScoringRule(StrEnum):
    """How a framework turns question levels into a standard score (framework.yaml `scoring`).

    A snapshot keeps its rule, so cycles on framework 1.0 are scored as they always were.
    """

    #: Framework 1.0: the weighted mean of every answered scored question (yes/no included).
    AVERAGED = "averaged"
    #: Framework 2.0: a maturity claim capped by its level's evidence criteria (yes/no questions).
    GATED = "gated"


class AnsweredBy(StrEnum):
    """Who answers a question: each member, or the alliance once per cycle (never scored)."""

    MEMBER = "member"
    ALLIANCE = "alliance"


class MetricScale(StrEnum):
    """How a metric's value becomes a level (a metric question's `scored_by`)."""

    #: Fixed thresholds in the file, whose basis the file states.
    THRESHOLDS = "thresholds"
    #: The value's place among the cycle's submitted values (quartiles), see scoring/quartiles.py.
    PEER_QUARTILES = "peer_quartiles"
