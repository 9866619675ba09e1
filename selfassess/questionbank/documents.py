"""Hold the question bank as typed, frozen data: the shape of the YAML files once validated.

Single-field rules (types, id patterns, positive weights, non-empty text) live here, so the JSON
Schema shows them to editors; rules that compare fields or files live in `cross_checks.py`.
"""

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from selfassess.questionbank.definitions import MetricDefinition, StandardBasis
from selfassess.questionbank.kinds import (
    SCORED_KINDS,
    AnsweredBy,
    MetricScale,
    QuestionKind,
    ScoringRule,
)

Text = Annotated[str, Field(min_length=1)]
Weight = Annotated[float, Field(gt=0, description="> 0; relative weight")]
# On the scale 1..5. Checked in cross_checks.py rather than by bounds here, for a message that
# names the scale; the bounds still go into the JSON Schema so editors flag them.
Level = Annotated[int, Field(json_schema_extra={"minimum": 1, "maximum": 5})]
FrameworkId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
# No "/" or "..": a stem names a file in the framework's own folder.
DomainStem = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
DomainId = Annotated[str, Field(pattern=r"^[A-Z]+$")]
StandardId = Annotated[str, Field(pattern=r"^[A-Z]+-[0-9]+$")]
QuestionId = Annotated[str, Field(pattern=r"^[A-Z]+-[0-9]+\.[0-9]+$")]


class _Model(BaseModel):
    # strict: YAML already gives native types, so "3" for a number or 1 for true is a mistake
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class ScaleLevel(_Model):
    """One level of the maturity scale."""

    level: int
    label: Text
    descriptor: Text


class Source(_Model):
    """A document the wording is grounded in."""

    key: Text
    title: Text
    #: The source document's file name in the sources folder (checked to exist when given).
    document: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")] | None = None


class _QuestionBase(_Model):
    id: QuestionId
    type: QuestionKind
    text: Text
    guidance: Text
    required: bool = True
    weight: Weight = 1.0
    answered_by: Literal[AnsweredBy.MEMBER, AnsweredBy.ALLIANCE] = AnsweredBy.MEMBER

    @property
    def scored(self) -> bool:
        """Whether answers to this question map to a level and count in a member's scores."""
        return self.type in SCORED_KINDS and self.answered_by == AnsweredBy.MEMBER


class MaturityQuestionDocument(_QuestionBase):
    """Answered by choosing a level; every level 1..5 has a descriptor."""

    type: Literal[QuestionKind.MATURITY]
    levels: dict[int, Text]


class YesNoQuestionDocument(_QuestionBase):
    """Answered yes or no; yes scores `yes_level`, no scores 1."""

    type: Literal[QuestionKind.YES_NO]
    yes_level: int = Field(default=5, ge=2, le=5)
    #: Gated frameworks: the level this criterion is evidence for; "no" caps the standard below it.
    gates_level: int | None = Field(default=None, ge=2, le=5)


class MetricQuestionDocument(_QuestionBase):
    """Answered with a number; thresholds turn it into a level."""

    type: Literal[QuestionKind.METRIC]
    unit: Text
    better: Literal["higher", "lower"]
    target: float
    thresholds: dict[int, float]
    min: float | None = None
    max: float | None = None
    scored_by: Literal[MetricScale.THRESHOLDS, MetricScale.PEER_QUARTILES] = MetricScale.THRESHOLDS
    definition: MetricDefinition | None = None
    #: Where the thresholds come from (a cited source, or the alliance's choice and why).
    thresholds_basis: Text | None = None


class TextQuestionDocument(_QuestionBase):
    """Answered with evidence or narrative; never scored."""

    type: Literal[QuestionKind.TEXT]


QuestionDocument = Annotated[
    MaturityQuestionDocument
    | YesNoQuestionDocument
    | MetricQuestionDocument
    | TextQuestionDocument,
    Field(discriminator="type"),
]

#: The model for each question kind; a test proves it covers every QuestionKind.
QUESTION_MODELS: dict[QuestionKind, type[_QuestionBase]] = {
    QuestionKind.MATURITY: MaturityQuestionDocument,
    QuestionKind.YES_NO: YesNoQuestionDocument,
    QuestionKind.METRIC: MetricQuestionDocument,
    QuestionKind.TEXT: TextQuestionDocument,
}


class StandardDocument(_Model):
    """A statement an alliance is assessed against, with the questions that evidence it."""

    id: StandardId
    statement: Text
    core: bool
    target: Level
    weight: Weight = 1.0
    guidance: Text
    source: Text | None = None
    #: Ids of the previous framework version's standards this one continues ([] for a new one).
    continues: list[StandardId] | None = None
    basis: StandardBasis | None = None
    questions: list[QuestionDocument]


class DomainDocument(_Model):
    """A domain file: one area of the framework and its standards."""

    model_config = ConfigDict(title="Question bank domain file")

    id: DomainId
    name: Text
    description: Text
    weight: Weight = 1.0
    standards: list[StandardDocument] = Field(min_length=1)


class _FrameworkHead(_Model):
    id: FrameworkId
    version: Text
    title: Text
    description: Text
    scale: list[ScaleLevel]
    sources: list[Source]
    scoring: Literal[ScoringRule.AVERAGED, ScoringRule.GATED] = ScoringRule.AVERAGED
    #: The folder (beside this one) of the version this one continues; standards name lineage.
    continues: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")] | None = None


class FrameworkFileDocument(_FrameworkHead):
    """framework.yaml as written: the domains are file stems, in display order."""

    model_config = ConfigDict(title="Question bank framework.yaml")

    domains: list[DomainStem] = Field(min_length=1)


class FrameworkDocument(_FrameworkHead):
    """A loaded framework version: framework.yaml with its domain files in place of their stems."""

    domains: list[DomainDocument]

    def standards(self) -> Iterator[tuple[DomainDocument, StandardDocument]]:
        """Yield every standard with its domain, in display order."""
        for domain in self.domains:
            for standard in domain.standards:
                yield domain, standard

    def questions(self) -> Iterator[QuestionDocument]:
        """Yield every question, in display order."""
        for _, standard in self.standards():
            yield from standard.questions

    def question(self, question_id: str) -> QuestionDocument:
        """Return the question with this id; KeyError if there is none."""
        for question in self.questions():
            if question.id == question_id:
                return question
        raise KeyError(question_id)
