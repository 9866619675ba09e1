"""The words every cycle page uses for its deadline."""

from datetime import date

import pytest

from selfassess.deadlines import time_left

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("closes_on", "text"),
    [
        (date(2026, 12, 13), "12 days left"),
        (date(2026, 12, 2), "1 day left"),
        (date(2026, 12, 1), "closes today"),
        (date(2026, 11, 30), "1 day overdue"),
        (date(2026, 11, 28), "3 days overdue"),
    ],
)
def test_time_left_in_words(closes_on, text):
    assert time_left(closes_on, TODAY) == text


def test_a_closed_cycle_has_nothing_left_to_say():
    assert time_left(date(2026, 11, 28), TODAY, open_=False) == ""


def test_a_members_deadline_is_the_later_of_the_cycles_and_its_extension():
    from selfassess.deadlines import member_deadline

    closes = date(2027, 3, 31)
    assert member_deadline(closes, None) == closes
    assert member_deadline(closes, date(2027, 4, 14)) == date(2027, 4, 14)
    # The whole cycle extended past the member's own date: the member never has less time.
    assert member_deadline(closes, date(2027, 3, 1)) == closes
