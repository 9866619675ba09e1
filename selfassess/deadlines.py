"""How long is left before a cycle closes, in the words every page about the cycle uses.

Pure: dates in, text out, so the homes, the task list and the coordinator's pages say the same
thing ("12 days left", "closes today", "3 days overdue").
"""

from __future__ import annotations

from datetime import date


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
