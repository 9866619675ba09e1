"""Questions about the alliance as a whole (`answered_by: alliance`), apart from members' questions.

The coordinator answers these once per cycle on the alliance profile (later work); they are never
in a member's questionnaire and never scored per member, so members of one alliance cannot
contradict each other about, say, whether its MoU is signed.
"""

from dataclasses import dataclass

from selfassess.questionbank.documents import FrameworkDocument, QuestionDocument, StandardDocument
from selfassess.questionbank.kinds import AnsweredBy


@dataclass(frozen=True)
class AllianceFact:
    """One question the coordinator answers for the alliance, with the standard it informs."""

    standard: StandardDocument
    question: QuestionDocument


def alliance_facts(framework: FrameworkDocument) -> list[AllianceFact]:
    """Return the framework's alliance-level questions, in display order."""
    return [
        AllianceFact(standard, question)
        for _, standard in framework.standards()
        for question in standard.questions
        if question.answered_by == AnsweredBy.ALLIANCE
    ]


def member_questions(standard: StandardDocument) -> list[QuestionDocument]:
    """Return the questions of a standard that each member answers."""
    return [q for q in standard.questions if q.answered_by == AnsweredBy.MEMBER]
