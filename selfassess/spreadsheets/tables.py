"""A table as an XLSX workbook: bold header, frozen header row, filters, sensible widths.
Pure: openpyxl only.

Text goes in as literal strings (``cells.put_text``), so a trust or cycle name typed as
``=HYPERLINK(...)`` is shown, never run, as the CSV export's leading apostrophe ensures there.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .cells import put_text, put_value

_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def table_workbook(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """One sheet named ``title`` holding ``header`` and ``rows``, as xlsx bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "".join("-" if c in "[]:*?/\\" else c for c in title)[:31] or "Table"
    widths = [len(name) for name in header]
    for column, name in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column)
        put_text(cell, name)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    count = 0
    for count, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            put_value(sheet.cell(row=count + 1, column=column), value)
            widths[column - 1] = max(widths[column - 1], len(str(value or "")))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
