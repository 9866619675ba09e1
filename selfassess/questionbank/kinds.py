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
