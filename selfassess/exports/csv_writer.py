"""CSV writing with spreadsheet formula injection neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Render a cell; text a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers (including negative ones) are left alone; line breaks become spaces so that every
    row stays on one line.
    """
    if value is None:
        return ""
    text = str(value)
    if looks_like_formula(text):
        text = "'" + text
    return " ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula (a number like -3 is not one)."""
    return text.startswith(_FORMULA_STARTS) and not _is_number(text)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


#: The trailing column a demo instance's exports carry (``notice``), after every other column.
NOTICE_COLUMN = "notice"


def write_csv(
    header: Sequence[str], rows: Iterable[Sequence[object]], notice: str | None = None
) -> str:
    """Return CSV text (UTF-8 when encoded), a header row then one line per row.

    With ``notice`` (a demo instance), a last column ``notice`` repeats it on every row, so any
    rows pasted into a board paper still say they are demonstration data; the other columns
    keep their order.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*header, NOTICE_COLUMN] if notice else header)
    tail = [notice] if notice else []
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in [*row, *tail]])
    return buffer.getvalue()
