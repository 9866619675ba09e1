"""The loaded Framework: the minimal bank's values, defaults and read-only helpers."""

from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from selfassess.questionbank import (
    FrameworkDocument,
    MaturityQuestionDocument,
    MetricQuestionDocument,
    QuestionDocument,
    TextQuestionDocument,
    YesNoQuestionDocument,
    load_framework,
)
from selfassess.questionbank.documents import QUESTION_MODELS
from selfassess.questionbank.kinds import SCORED_KINDS, QuestionKind


@pytest.fixture
def framework(bank: Path) -> FrameworkDocument:
    return load_framework(bank)


def test_the_minimal_bank_loads_with_its_domains_in_listed_order(
    framework: FrameworkDocument,
) -> None:
    assert (framework.id, framework.version) == ("mini", "1.0")
    assert [level.level for level in framework.scale] == [1, 2, 3, 4, 5]
    assert framework.scale[4].label == "Embedded"
    assert [domain.id for domain in framework.domains] == ["GOV", "DAT"]
    assert [source.key for source in framework.sources] == ["SRC"]


def test_helpers_walk_standards_and_questions_in_display_order(
    framework: FrameworkDocument,
) -> None:
    pairs = [(domain.id, standard.id) for domain, standard in framework.standards()]
    assert pairs == [("GOV", "GOV-1"), ("GOV", "GOV-2"), ("DAT", "DAT-1")]
    ids = [question.id for question in framework.questions()]
    assert ids == ["GOV-1.1", "GOV-1.2", "GOV-1.3", "GOV-2.1", "DAT-1.1", "DAT-1.2"]


def test_question_finds_by_id_and_raises_key_error_otherwise(framework: FrameworkDocument) -> None:
    question = framework.question("DAT-1.2")
    assert isinstance(question, MetricQuestionDocument)
    assert (question.better, question.target, question.weight) == ("lower", 5, 0.5)
    assert question.thresholds == {2: 30, 3: 20, 4: 10, 5: 5}
    with pytest.raises(KeyError):
        framework.question("GOV-9.9")


def test_optional_fields_take_their_documented_defaults(framework: FrameworkDocument) -> None:
    forum = framework.question("GOV-2.1")
    assert isinstance(forum, YesNoQuestionDocument)
    assert (forum.required, forum.weight, forum.yes_level) == (True, 1.0, 5)
    standard = framework.domains[0].standards[1]
    assert (standard.weight, standard.source) == (1.0, None)
    metric = framework.question("DAT-1.2")
    assert isinstance(metric, MetricQuestionDocument)
    assert (metric.min, metric.max) == (None, None)


def test_each_question_loads_as_its_kind_and_only_text_is_unscored(
    framework: FrameworkDocument,
) -> None:
    kinds = {question.id: type(question) for question in framework.questions()}
    assert kinds["GOV-1.1"] is MaturityQuestionDocument
    assert kinds["GOV-1.3"] is TextQuestionDocument
    assert [q.id for q in framework.questions() if not q.scored] == ["GOV-1.3"]
    maturity = framework.question("GOV-1.1")
    assert isinstance(maturity, MaturityQuestionDocument)
    assert sorted(maturity.levels) == [1, 2, 3, 4, 5]


def test_the_question_models_cover_every_kind() -> None:
    assert set(QUESTION_MODELS) == set(QuestionKind)
    for kind, model in QUESTION_MODELS.items():
        assert model.model_fields["type"].annotation.__args__ == (kind,)  # type: ignore[union-attr]
    assert set(QuestionKind) > SCORED_KINDS


@pytest.mark.parametrize("kind", list(QuestionKind))
def test_the_question_union_dispatches_on_type(kind: QuestionKind) -> None:
    fields: dict[str, object] = {"id": "GOV-1.1", "type": kind.value, "text": "T", "guidance": "G"}
    extra: dict[QuestionKind, dict[str, object]] = {
        QuestionKind.MATURITY: {"levels": {n: "x" for n in range(1, 6)}},
        QuestionKind.METRIC: {
            "unit": "%",
            "better": "higher",
            "target": 1,
            "thresholds": {2: 1, 3: 2, 4: 3, 5: 4},
        },
    }
    question = TypeAdapter(QuestionDocument).validate_python({**fields, **extra.get(kind, {})})
    assert type(question) is QUESTION_MODELS[kind]
    assert question.type == kind
    assert question.scored == (kind in SCORED_KINDS)


def test_loaded_models_are_frozen(framework: FrameworkDocument) -> None:
    with pytest.raises(ValidationError):
        framework.title = "Changed"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        framework.domains[0].standards[0].target = 5  # type: ignore[misc]
