""" "Where to improve" shows each answer's own level on 1.0; on 2.0 a criterion caps rather than
scores, and a quartile-scored metric has no level outside the cycle, so both say so in words."""

from __future__ import annotations

from selfassess.dashboards.improvement import _answer_line
from selfassess.dashboards.queries import QuestionRow


def _row(kind: str, value: str | None, **options: object) -> QuestionRow:
    return QuestionRow(
        standard_code="VIS-1",
        code="VIS-1.2",
        kind=kind,
        text="Asked?",
        guidance="",
        weight=1.0,
        required=True,
        options=dict(options),
        value=value,
        comment=None,
    )


def test_a_one_point_zero_yes_no_answer_reaches_its_yes_level():
    line = _answer_line(_row("yes_no", "yes", yes_level=4))
    assert (line.answer, line.level) == ("Yes", 4)


def test_an_unmet_criterion_says_where_it_caps_the_standard():
    line = _answer_line(_row("yes_no", "no", gates_level=3))
    assert line.level is None
    assert line.answer == "No (criterion for level 3 not met: caps this standard at 2)"


def test_a_met_criterion_says_so_and_claims_no_level():
    line = _answer_line(_row("yes_no", "yes", gates_level=4))
    assert (line.answer, line.level) == ("Yes (criterion for level 4: met)", None)


def test_a_quartile_metric_shows_its_value_without_a_level_of_its_own():
    line = _answer_line(
        _row(
            "metric",
            "93.5",
            unit="%",
            better="higher",
            scored_by="peer_quartiles",
            target=95,
            thresholds={2: 80, 3: 85, 4: 90, 5: 95},
        )
    )
    assert line.level is None
    assert line.answer == "93.5% (scored against this cycle's quartiles)"


def test_a_threshold_metric_keeps_its_level():
    line = _answer_line(
        _row("metric", "91", unit="%", better="higher", thresholds={2: 80, 3: 85, 4: 90, 5: 95})
    )
    assert line.level == 4
