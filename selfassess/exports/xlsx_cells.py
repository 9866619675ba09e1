"""Writing cells safely and reading them back as the text a form field would receive.

Pure (openpyxl only). openpyxl stores any string starting with ``=`` as a formula, so every piece
of text goes in as a literal string; text a spreadsheet would run as a formula if retyped also gets
Excel's quote prefix, the workbook form of the CSV export's leading apostrophe.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from openpyxl.cell.cell import Cell

from ..control_characters import without_controls
from .csv_writer import looks_like_formula


def put_text(cell: Cell, value: object) -> None:
    """Write ``value`` as literal text (``None`` leaves the cell empty); never as a formula,
    and without the control characters a worksheet cannot hold."""
    if value is None:
        cell.value = None
        return
    text = without_controls(str(value))  # openpyxl raises on them
    cell.value = text
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True


def put_value(cell: Cell, value: object) -> None:
    """Write numbers as numbers and everything else as literal text."""
    if isinstance(value, bool):
        put_text(cell, "true" if value else "false")
    elif isinstance(value, int | float):
        cell.value = value
    else:
        put_text(cell, value)


class FormulaCell(ValueError):
    """The cell holds a formula rather than an answer."""


def read_text(cell: Cell) -> str | None:
    """The cell as text, the way a person would have typed it into the web form.

    Whole numbers lose Excel's ``.0`` (a level typed as 3 arrives as 3.0), other numbers are
    written out without an exponent, and a formula is refused rather than trusted.
    """
    value = cell.value
    if value is None:
        return None
    if cell.data_type == "f":
        raise FormulaCell(str(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None
