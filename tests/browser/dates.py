"""Typing a date into the design system's date input (day, month and year boxes)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page


def fill_date(page: Page, legend: str, day: date | str) -> None:
    """Type ``day`` into the three boxes of the date input whose legend is ``legend``."""
    when = date.fromisoformat(day) if isinstance(day, str) else day
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(when.day))
    group.get_by_label("Month").fill(str(when.month))
    group.get_by_label("Year").fill(str(when.year))
