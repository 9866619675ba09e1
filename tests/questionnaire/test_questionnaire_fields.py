"""The question-kind registry: reading numbers, storing and showing answers (no database)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wtforms.validators import ValidationError

from selfassess.models import SnapshotQuestion
from selfassess.questionbank.kinds import QuestionKind
from selfassess.questionnaire.fields import (
    REGISTRY,
    MetricValue,
    canonical,
    format_number,
    parse_number,
    show_value,
)


def _question(kind: str, **options: object) -> SnapshotQuestion:
    return SnapshotQuestion(code="Q-1", kind=kind, text="A question?", options=options)


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("92.5", None, 92.5),
        ("  92.5  ", None, 92.5),
        ("92.5%", "%", 92.5),
        ("92.5 %", "%", 92.5),
        ("12 specialties", "specialties", 12),
        ("12specialties", "specialties", 12),
        ("1,200", "£000", 1200),
        ("12,345,678.25", None, 12345678.25),
        ("1 200", None, 1200),
        ("-20", "%", -20),
        ("+4", None, 4),
        (".5", None, 0.5),
        ("5.", None, 5),
        ("0", None, 0),
        ("95 % of national median", "% of national median", 95),
        ("95% of national median", "% of national median", 95),
    ],
)
def test_parse_number_accepts_what_people_type(raw, unit, expected):
    assert parse_number(raw, unit) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "about 90",
        "90ish",
        "1e3",
        "1e-7",
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "1.2.3",
        "--1",
        "+-1",
        ".",
        "%",
        "0x10",
        "½",
        "1" * 400,
        # A comma is only a thousands separator, never a decimal point: "92,5" is not guessed at.
        "92,5",
        "1,5",
        "1,00",
        ",5",
        "1,2345",
    ],
)
def test_parse_number_refuses_anything_else(raw):
    with pytest.raises(ValueError, match=r".*"):
        parse_number(raw, "%")


def test_parse_number_strips_only_the_questions_unit():
    assert parse_number("4 specialties", "specialties") == 4
    with pytest.raises(ValueError):
        parse_number("4 teams", "specialties")


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (12.0, "12"),
        (92.5, "92.5"),
        (-20.0, "-20"),
        (0.0, "0"),
        (-0.0, "0"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e-07, "0.0000001"),
        (123456789.0, "123456789"),
    ],
)
def test_format_number_stores_plain_decimals(number, text):
    assert format_number(number) == text


SETTINGS = settings(database=None, deadline=None, max_examples=200)


@SETTINGS
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_stored_number_reads_back_as_the_same_number(number):
    # Whatever the app stores must be accepted when the page is saved again unchanged.
    text = format_number(number)
    assert "e" not in text.lower()
    assert parse_number(text) == number


@SETTINGS
@given(
    st.decimals(
        min_value=-(10**9), max_value=10**9, places=3, allow_nan=False, allow_infinity=False
    )
)
def test_typed_decimals_read_as_their_value(value):
    assert math.isclose(parse_number(f"{value:,f}"), float(value), rel_tol=1e-12, abs_tol=1e-12)


def _validate(question: SnapshotQuestion, data: str) -> None:
    MetricValue(question)(None, SimpleNamespace(data=data))


def test_metric_validator_checks_number_and_range():
    question = _question("metric", unit="%", min=0, max=100)
    _validate(question, "0")
    _validate(question, "100%")
    with pytest.raises(ValidationError, match=r"Enter a number in %, like 92.5"):
        _validate(question, "abc")
    with pytest.raises(ValidationError, match=r"between 0 and 100"):
        _validate(question, "100.5")
    with pytest.raises(ValidationError, match=r"between 0 and 100"):
        _validate(question, "-1")


def test_metric_validator_with_one_bound_says_which():
    low_only = _question("metric", unit="specialties", min=0, max=None)
    _validate(low_only, "1000000")
    with pytest.raises(ValidationError, match=r"0 or more"):
        _validate(low_only, "-1")
    high_only = _question("metric", unit=None, min=None, max=10)
    _validate(high_only, "-1000")
    with pytest.raises(ValidationError, match=r"10 or less"):
        _validate(high_only, "11")
    unbounded = _question("metric")
    _validate(unbounded, "-1000000")


def test_every_question_kind_has_a_registry_entry():
    assert set(REGISTRY) == set(QuestionKind)


def test_show_value_by_kind():
    maturity = _question("maturity", levels={"1": "Nothing yet.", "3": "Agreed and used."})
    assert show_value(maturity, "3") == "Level 3: Agreed and used."
    assert show_value(maturity, "9") == "9"
    assert show_value(_question("yes_no"), "no") == "No"
    assert show_value(_question("metric", unit="%"), "92.5") == "92.5%"
    assert show_value(_question("metric", unit="%"), "100.0") == "100%"  # by value
    assert show_value(_question("metric", unit="specialties"), "4") == "4 specialties"
    assert show_value(_question("metric", unit=None), "4") == "4"
    # Money in thousands as people write it (it read "1093.0 £000"), large counts separated.
    assert show_value(_question("metric", unit="£000"), "1093.0") == "£1,093k"
    assert show_value(_question("metric", unit="days"), "12500") == "12,500 days"
    assert show_value(_question("text"), "Some words") == "Some words"
    for kind in ("maturity", "yes_no", "metric", "text"):
        assert show_value(_question(kind), None) == "Not answered"
        assert show_value(_question(kind), "  ") == "Not answered"


def test_store_normalises_metrics_and_trims_the_rest():
    metric = _question("metric", unit="%")
    assert REGISTRY[QuestionKind.METRIC].store(metric, " 92.50 % ") == "92.5"
    assert REGISTRY[QuestionKind.METRIC].store(metric, "1,000") == "1000"
    assert REGISTRY[QuestionKind.TEXT].store(_question("text"), "  words \n") == "words"
    assert REGISTRY[QuestionKind.YES_NO].store(_question("yes_no"), "yes") == "yes"


def test_canonical_reads_stored_metrics_by_value_and_keeps_the_unreadable():
    metric = _question("metric", unit="%")
    assert canonical(metric, "100.0") == "100"
    assert canonical(metric, "1093.0") == "1093"
    assert canonical(metric, "92.50") == "92.5"
    assert canonical(metric, "about ninety") == "about ninety"  # never lost
    assert canonical(metric, None) is None
    assert canonical(_question("text"), " words ") == "words"
    assert canonical(_question("maturity"), "3") == "3"
