"""Reading an uploaded questionnaire workbook. Pure: openpyxl only, no Flask, no database.

The archive is checked and measured first (``archive.slim_archive``: a real xlsx, not too many
parts, rows or cells, not too slow to read), so a renamed file or a bomb is refused with a
message; then only the details sheet and the domain sheets are read, streamed (openpyxl's
read-only mode), with the clock checked on every row. The reader only collects what the cells
say; whether the answers are valid is decided by the same form rules as the web pages, in
``services``.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

from ..exports.xlsx_cells import FormulaCell, read_text
from .archive import MAX_ROWS, NOT_A_WORKBOOK, Budget, Unreadable, slim_archive
from .writing import (
    ANSWER_COLUMN,
    CODE_COLUMN,
    COMMENT_COLUMN,
    FIRST_ROW,
    FORMAT,
    META_SHEET,
    README_SHEET,
    Identity,
)

__all__ = [
    "NOT_A_WORKBOOK",
    "NOT_OURS",
    "Budget",
    "ReadBook",
    "Typed",
    "Unreadable",
    "read_workbook",
]

NOT_OURS = (
    "This workbook was not downloaded from this service, or its hidden details sheet has "
    "been changed. Download a fresh workbook from your self-assessment's page."
)


@dataclass(frozen=True)
class Typed:
    """What one question's row says, with where it is (for messages)."""

    sheet: str
    row: int
    value: str | None
    comment: str | None

    @property
    def value_ref(self) -> str:
        return f"{ANSWER_COLUMN}{self.row}"

    @property
    def comment_ref(self) -> str:
        return f"{COMMENT_COLUMN}{self.row}"


@dataclass
class ReadBook:
    """The workbook's identity, the fingerprints as downloaded, and each question's row."""

    identity: Identity
    fingerprints: dict[str, str]
    rows: dict[str, Typed] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_workbook(data: bytes, budget: Budget | None = None) -> ReadBook:
    """Read ``data`` (the uploaded bytes, never written to disk); raise ``Unreadable``."""
    budget = budget or Budget()
    slim, titles = slim_archive(data, [README_SHEET], budget)
    if META_SHEET not in titles:
        raise Unreadable(NOT_OURS)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (extensions, styles) written by other programs.
            warnings.simplefilter("ignore")
            book = load_workbook(
                io.BytesIO(slim), read_only=True, data_only=False, keep_links=False
            )
    except Exception as error:  # openpyxl raises many kinds of error on a malformed file
        raise Unreadable(NOT_A_WORKBOOK) from error
    try:
        if book.sheetnames != titles:  # openpyxl found another workbook part than was measured
            raise Unreadable(NOT_A_WORKBOOK)
        identity, fingerprints = _read_meta(book[META_SHEET], budget)
        result = ReadBook(identity, fingerprints)
        for title in titles:
            if title not in (META_SHEET, README_SHEET):
                _read_sheet(book[title], result, budget)
        return result
    except Unreadable:
        raise
    except Exception as error:  # read-only sheets are parsed lazily: a malformed cell is here
        raise Unreadable(NOT_A_WORKBOOK) from error
    finally:
        book.close()


def _rows(sheet: Any, budget: Budget, min_row: int, max_col: int) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows from ``min_row`` (empty rows included), with the clock checked on each."""
    for row in sheet.iter_rows(min_row=min_row, max_row=MAX_ROWS, min_col=1, max_col=max_col):
        budget.check()
        yield row


def _read_meta(sheet: Any, budget: Budget) -> tuple[Identity, dict[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key_cell, value_cell in _rows(sheet, budget, 1, 2):
        key, value = key_cell.value, value_cell.value
        if key is None:
            continue
        pairs.append((str(key), "" if value is None else str(value)))
    head = dict(pairs[:6])
    try:
        if head["format"] != FORMAT:
            raise Unreadable(NOT_OURS)
        identity = Identity(
            int(head["assessment_id"]),
            head["trust_code"],
            int(head["cycle_id"]),
            head["framework_hash"],
        )
        count = int(head["fingerprints"])
    except (KeyError, ValueError) as error:
        raise Unreadable(NOT_OURS) from error
    fingerprints = dict(pairs[6:])
    if len(fingerprints) != count:
        raise Unreadable(NOT_OURS)
    return identity, fingerprints


_COLUMNS = "ABCD"


def _read_sheet(sheet: Any, result: ReadBook, budget: Budget) -> None:
    code_at, answer_at, comment_at = (
        _COLUMNS.index(c) for c in (CODE_COLUMN, ANSWER_COLUMN, COMMENT_COLUMN)
    )
    for row, cells in enumerate(_rows(sheet, budget, FIRST_ROW, len(_COLUMNS)), start=FIRST_ROW):
        code_cell = cells[code_at]
        code = None if code_cell.value is None else str(code_cell.value).strip()
        if not code:
            continue
        where = f"Sheet {sheet.title}, cell {CODE_COLUMN}{row}"
        if code in result.rows:
            first = result.rows[code]
            result.problems.append(
                f"{where}: question {code} appears twice (also sheet "
                f"{first.sheet}, row {first.row}); keep one row"
            )
            continue
        texts: list[str | None] = []
        for column, at in ((ANSWER_COLUMN, answer_at), (COMMENT_COLUMN, comment_at)):
            try:
                texts.append(read_text(cells[at]))
            except FormulaCell:
                result.problems.append(
                    f"Sheet {sheet.title}, cell {column}{row}: type the "
                    "answer itself, not a formula"
                )
                texts.append(None)
        result.rows[code] = Typed(sheet.title, row, texts[0], texts[1])
