"""The one number formatter, worked by hand: each figure as a person should read it."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from selfassess.scoring import formatting as f

DASH = "\N{EN DASH}"
MINUS = "\N{MINUS SIGN}"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (74.25, "74.3"),  # half up: the dashboard once said 74.25 and the report 74.2
        (74.249, "74.2"),
        (41.666666, "41.7"),
        (0.05, "0.1"),
        (100.0, "100.0"),
        (0, "0.0"),
        (-0.04, "0.0"),  # never "-0.0"
        (-3.25, f"{MINUS}3.3"),  # half away from zero, with a true minus sign
        (12345.65, "12,345.7"),
        (Decimal("58.35"), "58.4"),
    ],
)
def test_an_index_has_one_decimal_place(value, shown):
    assert f.fmt_index(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (4.25, "4.25"),  # it read "4.2500"
        (2.675, "2.68"),  # 2.675 is 2.67499999… as a float; half up on what was written
        (3.125, "3.13"),
        (3.0, "3.00"),
        (1, "1.00"),
        (3.3333333, "3.33"),
        (4.995, "5.00"),
    ],
)
def test_a_score_has_two_decimal_places(value, shown):
    assert f.fmt_score(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(90.0, "90"), (89.5, "90"), (89.49, "89"), (0.0, "0"), (100, "100"), (12.5, "13")],
)
def test_a_percentile_is_a_whole_number(value, shown):
    assert f.fmt_percentile(value) == shown  # it read "Percentile 90.00"


@pytest.mark.parametrize(
    "formatter",
    [
        f.fmt_index,
        f.fmt_score,
        f.fmt_percentile,
        f.fmt_change,
        f.fmt_score_change,
        f.fmt_level,
        f.fmt_count,
        f.fmt_percent,
        f.fmt_plain,
        f.fmt_thousands_of_pounds,
        f.fmt_megabytes,
    ],
)
@pytest.mark.parametrize("missing", [None, math.nan, math.inf, -math.inf])
def test_a_missing_figure_reads_as_a_dash(formatter, missing):
    assert formatter(missing) == DASH


def test_a_missing_measured_figure_reads_as_a_dash_whatever_its_unit():
    assert f.fmt_quantity(None, "%") == DASH
    assert f.fmt_quantity(None, "£000") == DASH


def test_true_and_false_are_not_numbers():
    assert f.fmt_score(True) == DASH
    assert f.fmt_index(False) == DASH


@pytest.mark.parametrize(
    ("value", "index", "score"),
    [
        (2.45, "+2.5", "+2.45"),
        (-0.25, f"{MINUS}0.3", f"{MINUS}0.25"),
        (0.0, "0.0", "0.00"),
        (0.04, "0.0", "+0.04"),  # no sign on a change that rounds to nothing
        (-0.004, "0.0", "0.00"),
        (1234.5, "+1,234.5", "+1,234.50"),
    ],
)
def test_changes_carry_their_sign(value, index, score):
    assert f.fmt_change(value) == index
    assert f.fmt_score_change(value) == score


@pytest.mark.parametrize(
    ("value", "shown"),
    [(3.0, "3"), (3.5, "3.5"), (4, "4"), (1000.0, "1000"), (-2.0, f"{MINUS}2")],
)
def test_a_level_or_target_has_no_pointless_decimals(value, shown):
    assert f.fmt_level(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (999, "999"), (1000, "1,000"), (1234567, "1,234,567"), (-1500, f"{MINUS}1,500")],
)
def test_counts_have_thousands_separators(value, shown):
    assert f.fmt_count(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(58.24, "58.2%"), (58.25, "58.3%"), (100, "100.0%"), (0, "0.0%"), (28.571, "28.6%")],
)
def test_percentages_have_one_place_and_a_percent_sign(value, shown):
    assert f.fmt_percent(value) == shown


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (1000.0, "£000", "£1,000k"),  # the questionnaire read "Target: 1000 £000"
        (1093.0, "£000", "£1,093k"),  # and an answer "1093.0"
        (950, "£000", "£950k"),
        (12.5, "£000", "£12.5k"),
        (-40, "£000", f"{MINUS}£40k"),
        (58.24, "%", "58.24%"),  # a measured figure keeps the decimals it was entered with
        (92.0, "%", "92%"),
        (102.5, "% of national median", "102.5% of national median"),
        (12, "specialties", "12 specialties"),
        (1234567.5, "days", "1,234,567.5 days"),
        (0.125, None, "0.125"),
        (7, "", "7"),
    ],
)
def test_measured_figures_read_as_people_write_them(value, unit, shown):
    assert f.fmt_quantity(value, unit) == shown


def test_sizes_read_in_megabytes():
    assert f.fmt_megabytes(1572864) == "1.5 MB"
    assert f.fmt_megabytes(0) == "0.0 MB"


def test_every_formatter_is_a_template_filter_by_its_own_name(app):
    for name, formatter in f.FILTERS.items():
        assert app.jinja_env.filters[name] is formatter


def test_templates_and_reports_format_the_same_figure_the_same_way(app):
    """The dashboard and the report print through the same filter: 74.25 is 74.3 in both."""
    with app.app_context():
        rendered = app.jinja_env.from_string(
            "{{ 74.25|fmt_index }} {{ 4.25|fmt_score }} {{ 89.5|fmt_percentile }} "
            "{{ 1000|fmt_quantity('£000') }}"
        ).render()
    assert rendered == "74.3 4.25 90 £1,000k"
