"""Round scores for display and export, the same way everywhere.

Scores are never rounded while they are computed; only what a person reads (pages, CSV, reports)
goes through here. Rounding is half-up on the shortest decimal that reads back as the same float
(``repr``), which is what a coordinator checking by hand expects (2.675 -> 2.68), and which gives
the same digits on every platform, so exports are reproducible.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

#: Decimal places shown for a score on the 1-5 scale.
SCORE_PLACES = 4
#: Decimal places shown for an index or a percentile on the 0-100 scale.
INDEX_PLACES = 2


def round_half_up(value: float, places: int) -> Decimal:
    """Round a finite number half-up to ``places`` decimals."""
    if isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"cannot round {value!r}")
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_score(value: float | None) -> Decimal | None:
    """Round a 1-5 score to 4 decimals; None stays None."""
    return None if value is None else round_half_up(value, SCORE_PLACES)


def round_index(value: float | None) -> Decimal | None:
    """Round a 0-100 index or percentile to 2 decimals; None stays None."""
    return None if value is None else round_half_up(value, INDEX_PLACES)


# Pages and exports format tens of thousands of cells (a 500-member heatmap table) from a few
# hundred distinct values, and a Decimal quantize per cell showed in the profile; ``typed`` keeps
# True apart from 1, so a bool still raises.
@lru_cache(maxsize=8192, typed=True)
def format_score(value: float | None) -> str:
    """Show a score with 4 decimals, or an empty string when there is none (CSV convention)."""
    rounded = round_score(value)
    return "" if rounded is None else str(rounded)


@lru_cache(maxsize=8192, typed=True)
def format_index(value: float | None) -> str:
    """Show an index or percentile with 2 decimals, or an empty string when there is none."""
    rounded = round_index(value)
    return "" if rounded is None else str(rounded)


def format_level(value: float) -> str:
    """Show a target or level without a pointless ``.0`` (3.0 -> "3", 3.5 -> "3.5")."""
    return f"{value:g}"
