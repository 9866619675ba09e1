"""When a member must submit, and how long is left, in the words every page about it uses.

A cycle has one closing date, but a coordinator can give one member longer
(``Assessment.extended_until``). Every member-facing decision (its pages, "what needs doing",
``time_left``, deadline reminders, when the cycle may close) asks ``deadline_for`` so that the
member's own date is used everywhere or nowhere. ``time_left`` stays pure (dates in, text out)
so the homes, the task list and the coordinator's pages say the same thing ("12 days left",
"closes today", "3 days overdue").
"""

from __future__ import annotations

from datetime import date
from typing import Protocol


class _Cycle(Protocol):
    @property
    def closes_on(self) -> date: ...


class Deadlined(Protocol):
    """An assessment as far as its deadline goes (``models.Assessment`` is one)."""

    @property
    def cycle(self) -> _Cycle: ...

    @property
    def extended_until(self) -> date | None: ...


def member_deadline(closes_on: date, extended_until: date | None) -> date:
    """The later of the cycle's closing date and the member's extension: extending the whole
    cycle past a member's extension never leaves that member with less time than the others."""
    if extended_until is None:
        return closes_on
    return max(closes_on, extended_until)


def deadline_for(assessment: Deadlined) -> date:
    """The date this member's assessment must be submitted by."""
    return member_deadline(assessment.cycle.closes_on, assessment.extended_until)


def is_extended(assessment: Deadlined) -> bool:
    """Whether this member has longer than the cycle's closing date."""
    return deadline_for(assessment) > assessment.cycle.closes_on


def time_left(closes_on: date, today: date, *, open_: bool = True) -> str:
    """``closes_on`` relative to ``today``; empty for a closed cycle (nothing is due)."""
    if not open_:
        return ""
    days = (closes_on - today).days
    if days > 1:
        return f"{days} days left"
    if days == 1:
        return "1 day left"
    if days == 0:
        return "closes today"
    late = -days
    return f"{late} {'day' if late == 1 else 'days'} overdue"
