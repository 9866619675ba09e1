"""How the dashboards print numbers: the README's rounding rules, and a dash for "none"."""

from __future__ import annotations

from ..scoring.rounding import format_index, format_score

NONE = "\N{EN DASH}"


def fmt_index(value: float | None) -> str:
    """An index or percentile as people read it (2 decimals), or a dash."""
    return format_index(value) or NONE


def fmt_score(value: float | None) -> str:
    """A 1-5 score as people read it (4 decimals, as in the exports), or a dash."""
    return format_score(value) or NONE


def fmt_change(value: float | None) -> str:
    """A change in index with its sign and a true minus sign, or a dash."""
    if value is None:
        return NONE
    text = format_index(abs(value))
    if text == "0.00":
        return text
    return ("+" if value > 0 else "\N{MINUS SIGN}") + text
