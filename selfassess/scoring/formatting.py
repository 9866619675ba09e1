"""How every figure a person reads is written: one place, so a figure reads the same everywhere.

Dashboards, printed and PDF reports, chart tooltips and the page text all call these (the Jinja
filters of the same names are registered by the app). Pure Python: no Flask.

- an index (0-100) to 1 decimal place: ``74.3``;
- a percentile as a whole number: ``90``;
- a score (1-5) to 2 decimal places: ``3.25``;
- a change in index or score with its sign and a true minus sign: ``+2.5``, ``\N{MINUS SIGN}0.25``;
- counts with thousands separators: ``1,234``; percentages to 1 place: ``58.2%``;
- money in thousands of pounds (``£000``) as people write it: ``£950k``, ``£1,093k``;
- measured figures with their unit: ``58.24%``, ``12 specialties``.

Rounding is half up on the number as written (``repr``), as in ``rounding``: 2.675 -> 2.68,
74.25 -> 74.3. Missing figures read as an en dash (``NONE``). Machine-readable exports keep
their own, finer precision (``rounding.format_score`` / ``format_index``): the figures here are
those exports' values rounded once more, from the exact value, never from the rounded one.
"""

from __future__ import annotations

import math
from decimal import Decimal
from functools import lru_cache

from selfassess.scoring.rounding import round_half_up

#: What a missing figure reads as.
NONE = "\N{EN DASH}"
MINUS = "\N{MINUS SIGN}"

#: Decimal places a person reads: scores on the 1-5 scale, indices on the 0-100 scale.
SCORE_PLACES = 2
INDEX_PLACES = 1
PERCENT_PLACES = 1


def _number(value: float | int | Decimal | None) -> float | None:
    """The value as a finite float, or None for a missing or non-finite figure."""
    if value is None or isinstance(value, bool):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _fixed(value: float, places: int) -> str:
    """Half-up to ``places`` decimals, with thousands separators and a true minus sign."""
    rounded = round_half_up(value, places)
    if rounded == 0:
        rounded = abs(rounded)  # -0.04 to 1 place is "0.0", never "-0.0"
    text = f"{abs(rounded):,.{places}f}"
    return (MINUS + text) if rounded < 0 else text


@lru_cache(maxsize=8192, typed=True)
def fmt_score(value: float | None) -> str:
    """A 1-5 score to 2 decimal places (3.125 -> "3.13"), or a dash."""
    number = _number(value)
    return NONE if number is None else _fixed(number, SCORE_PLACES)


@lru_cache(maxsize=8192, typed=True)
def fmt_index(value: float | None) -> str:
    """A 0-100 index to 1 decimal place (74.25 -> "74.3"), or a dash."""
    number = _number(value)
    return NONE if number is None else _fixed(number, INDEX_PLACES)


def fmt_percentile(value: float | None) -> str:
    """A percentile as a whole number (89.5 -> "90"), or a dash."""
    number = _number(value)
    return NONE if number is None else _fixed(number, 0)


def _signed(value: float | None, places: int) -> str:
    number = _number(value)
    if number is None:
        return NONE
    text = _fixed(number, places)
    if text.startswith(MINUS) or round_half_up(number, places) == 0:
        return text
    return "+" + text


def fmt_change(value: float | None) -> str:
    """A change in index, signed, to 1 place ("+2.5", "\N{MINUS SIGN}0.3", "0.0"), or a dash."""
    return _signed(value, INDEX_PLACES)


def fmt_score_change(value: float | None) -> str:
    """A change in score, signed, to 2 places ("+0.50", "\N{MINUS SIGN}0.25", "0.00"), or a dash."""
    return _signed(value, SCORE_PLACES)


def fmt_level(value: float | None) -> str:
    """A target or level without a pointless ".0" (3.0 -> "3", 3.5 -> "3.5"), or a dash."""
    number = _number(value)
    if number is None:
        return NONE
    text = format(Decimal(repr(number)).normalize(), "f")
    return text.replace("-", MINUS)


def fmt_count(value: float | None) -> str:
    """A count with thousands separators (12345 -> "12,345"), or a dash."""
    number = _number(value)
    return NONE if number is None else _fixed(number, 0)


def fmt_percent(value: float | None, places: int = PERCENT_PLACES) -> str:
    """A percentage to 1 place with its sign ("58.2%"), or a dash."""
    number = _number(value)
    return NONE if number is None else _fixed(number, places) + "%"


def fmt_plain(value: float | None) -> str:
    """A figure as entered, with thousands separators and no trailing zeros: 1093.0 ->
    "1,093", 92.50 -> "92.5", 0.125 -> "0.125"; or a dash."""
    number = _number(value)
    if number is None:
        return NONE
    text = format(Decimal(repr(number)).normalize(), "f")
    whole, _, fraction = text.lstrip("-").partition(".")
    shown = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return (MINUS + shown) if number < 0 else shown


def fmt_thousands_of_pounds(value: float | None) -> str:
    """Money given in thousands of pounds (``£000``), as people write it, exactly:
    950 -> "£950k", 1000 -> "£1,000k", 12.5 -> "£12.5k", -40 -> "\N{MINUS SIGN}£40k"; or a dash."""
    number = _number(value)
    if number is None:
        return NONE
    return ("" if number >= 0 else MINUS) + f"£{fmt_plain(abs(number))}k"


def fmt_quantity(value: float | None, unit: str | None) -> str:
    """A measured figure with its unit as people write it: ("58.24", "%") -> "58.24%",
    (1093, "£000") -> "£1,093k", (12, "specialties") -> "12 specialties"; or a dash.

    Figures keep the decimals they were entered with (a target of 92.5% stays 92.5%), with
    thousands separators and no trailing ".0".
    """
    number = _number(value)
    if number is None:
        return NONE
    unit = (unit or "").strip()
    if unit == "£000":
        return fmt_thousands_of_pounds(number)
    text = fmt_plain(number)
    if unit.startswith("%"):
        return f"{text}{unit}"
    return f"{text} {unit}".rstrip()


def fmt_megabytes(size: int | None) -> str:
    """A size in bytes as megabytes to 1 place ("1.5 MB"), or a dash."""
    number = _number(size)
    return NONE if number is None else f"{_fixed(number / 1048576, 1)} MB"


#: The Jinja filters the app registers, by name.
FILTERS = {
    f.__name__: f
    for f in (
        fmt_score,
        fmt_index,
        fmt_percentile,
        fmt_change,
        fmt_score_change,
        fmt_level,
        fmt_count,
        fmt_percent,
        fmt_plain,
        fmt_thousands_of_pounds,
        fmt_quantity,
        fmt_megabytes,
    )
}
