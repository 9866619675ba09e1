"""XLSX copies of the coordinator's tables: the cycle's members and the scores export.

The scores workbook is made from the scores CSV itself, so the two downloads always hold the
same figures; numbers become numbers so a spreadsheet can sort and sum them.
"""

from __future__ import annotations

import csv
import io
import re

from ..coordinator.services import cycle_assessments
from ..exports import services as csv_exports
from ..models import Alliance, AssessmentState, Cycle
from .tables import table_workbook

MEMBER_COLUMNS = ("Trust code", "Trust name", "Progress", "Submitted", "Overall index",
                  "Membership status")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def cycle_members_xlsx(cycle: Cycle) -> bytes:
    """The cycle page's members table."""
    rows = [
        (trust.code, trust.name, AssessmentState(assessment.state).label,
         assessment.submitted_at.strftime("%Y-%m-%d %H:%M") if assessment.submitted_at else None,
         round(assessment.overall_index, 1) if assessment.overall_index is not None else None,
         assessment.status)
        for assessment, trust in cycle_assessments(cycle)
    ]
    return table_workbook("Members", MEMBER_COLUMNS, rows)


def _typed(cell: str) -> object:
    if _NUMBER.match(cell):
        return float(cell) if "." in cell else int(cell)
    if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@"):
        return cell[1:]  # the CSV's apostrophe; the workbook marks such text its own way
    return cell or None


def scores_xlsx(alliance: Alliance, cycle: Cycle) -> bytes:
    """The scores export (same columns and rows as the CSV)."""
    lines = list(csv.reader(io.StringIO(csv_exports.scores_csv([(alliance, cycle)]))))
    header, rows = lines[0], lines[1:]
    return table_workbook("Scores", header, ([_typed(c) for c in row] for row in rows))
