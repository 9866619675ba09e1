"""XLSX copies of the coordinator's tables: the cycle's members and the scores export.

The scores workbook is made from the scores CSV itself, so the two downloads always hold the
same figures; numbers become numbers so a spreadsheet can sort and sum them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..coordinator.services import cycle_assessments
from ..demonstration import demo_notice
from ..models import Alliance, AssessmentState, Cycle
from ..scoring.formatting import INDEX_PLACES
from ..scoring.rounding import round_half_up
from . import services as csv_exports
from .csv_writer import NOTICE_COLUMN
from .xlsx_cells import put_text, put_value

MEMBER_COLUMNS = (
    "Trust code",
    "Trust name",
    "Progress",
    "Submitted",
    "Overall index",
    "Membership status",
)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def cycle_members_xlsx(cycle: Cycle) -> bytes:
    """The cycle page's members table (a demo instance's with a last ``notice`` column)."""
    notice = demo_notice()
    tail = (notice,) if notice else ()
    rows = [
        (
            trust.code,
            trust.name,
            AssessmentState(assessment.state).label,
            assessment.submitted_at.strftime("%Y-%m-%d %H:%M") if assessment.submitted_at else None,
            float(round_half_up(assessment.overall_index, INDEX_PLACES))
            if assessment.overall_index is not None
            else None,
            assessment.status,
            *tail,
        )
        for assessment, trust in cycle_assessments(cycle)
    ]
    header = (*MEMBER_COLUMNS, NOTICE_COLUMN) if notice else MEMBER_COLUMNS
    return table_workbook("Members", header, rows, notice=notice)


def _typed(cell: str) -> object:
    if _NUMBER.match(cell):
        return float(cell) if "." in cell else int(cell)
    if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@"):
        return cell[1:]  # the CSV's apostrophe; the workbook marks such text its own way
    return cell or None


def scores_xlsx(alliance: Alliance, cycle: Cycle) -> bytes:
    """The scores export (same columns and rows as the CSV, a demo's ``notice`` included)."""
    lines = list(csv.reader(io.StringIO(csv_exports.scores_csv([(alliance, cycle)]))))
    header, rows = lines[0], lines[1:]
    return table_workbook(
        "Scores", header, ([_typed(c) for c in row] for row in rows), notice=demo_notice()
    )


_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def table_workbook(
    title: str, header: Sequence[str], rows: Iterable[Sequence[object]], notice: str | None = None
) -> bytes:
    """One sheet named ``title`` holding ``header`` and ``rows``, as xlsx bytes.

    ``notice`` (a demo instance's) is also printed at the top of every printed page.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "".join("-" if c in "[]:*?/\\" else c for c in title)[:31] or "Table"
    if notice:
        sheet.oddHeader.center.text = notice
        sheet.oddHeader.center.font = "Arial,Bold"
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
