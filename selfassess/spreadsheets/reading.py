"""Reading an uploaded questionnaire workbook. Pure: openpyxl only, no Flask, no database.

The file is checked as a zip before openpyxl sees it (a real xlsx, not too many parts, not
inflating beyond a limit), so a renamed file or a zip bomb is refused with a message. The reader
only collects what the cells say; whether the answers are valid is decided by the same form rules
as the web pages, in ``services``.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from .cells import FormulaCell, read_text
from .workbook import (
    ANSWER_COLUMN,
    CODE_COLUMN,
    COMMENT_COLUMN,
    FIRST_ROW,
    FORMAT,
    META_SHEET,
    README_SHEET,
    Identity,
)

#: An honest questionnaire workbook inflates to well under a megabyte.
MAX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_PARTS = 200
MAX_ROWS = 2000

NOT_A_WORKBOOK = ("The file is not an Excel workbook (.xlsx). Upload the workbook you downloaded "
                  "from this self-assessment, saved as .xlsx.")
NOT_OURS = ("This workbook was not downloaded from this service, or its hidden details sheet has "
            "been changed. Download a fresh workbook from your self-assessment's page.")


class Unreadable(ValueError):
    """The upload is refused as a whole before any cell is looked at."""


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


def read_workbook(data: bytes) -> ReadBook:
    """Read ``data`` (the uploaded bytes, never written to disk); raise ``Unreadable``."""
    _check_zip(data)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it drops (extensions, styles) written by other programs.
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds of error on a malformed file
        raise Unreadable(NOT_A_WORKBOOK) from error
    if META_SHEET not in book.sheetnames:
        raise Unreadable(NOT_OURS)
    identity, fingerprints = _read_meta(book[META_SHEET])
    result = ReadBook(identity, fingerprints)
    for sheet in book.worksheets:
        if sheet.title not in (META_SHEET, README_SHEET):
            _read_sheet(sheet, result)
    return result


def _check_zip(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Unreadable(NOT_A_WORKBOOK)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Unreadable(NOT_A_WORKBOOK) from error
    names = {part.filename for part in parts}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise Unreadable(NOT_A_WORKBOOK)
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNCOMPRESSED:
        raise Unreadable("The workbook is too large once unpacked. Upload the workbook you "
                         "downloaded, with only your answers added.")


def _read_meta(sheet: Worksheet) -> tuple[Identity, dict[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in sheet.iter_rows(min_col=1, max_col=2, max_row=MAX_ROWS,
                                      values_only=True):
        if key is None:
            continue
        pairs.append((str(key), "" if value is None else str(value)))
    head = dict(pairs[:6])
    try:
        if head["format"] != FORMAT:
            raise Unreadable(NOT_OURS)
        identity = Identity(int(head["assessment_id"]), head["trust_code"],
                            int(head["cycle_id"]), head["framework_hash"])
        count = int(head["fingerprints"])
    except (KeyError, ValueError) as error:
        raise Unreadable(NOT_OURS) from error
    fingerprints = dict(pairs[6:])
    if len(fingerprints) != count:
        raise Unreadable(NOT_OURS)
    return identity, fingerprints


def _read_sheet(sheet: Worksheet, result: ReadBook) -> None:
    last = min(sheet.max_row, MAX_ROWS)
    for row in range(FIRST_ROW, last + 1):
        code_cell = sheet[f"{CODE_COLUMN}{row}"]
        code = None if code_cell.value is None else str(code_cell.value).strip()
        if not code:
            continue
        where = f"Sheet {sheet.title}, cell {CODE_COLUMN}{row}"
        if code in result.rows:
            first = result.rows[code]
            result.problems.append(f"{where}: question {code} appears twice (also sheet "
                                   f"{first.sheet}, row {first.row}); keep one row")
            continue
        texts: list[str | None] = []
        for column in (ANSWER_COLUMN, COMMENT_COLUMN):
            try:
                texts.append(read_text(sheet[f"{column}{row}"]))
            except FormulaCell:
                result.problems.append(f"Sheet {sheet.title}, cell {column}{row}: type the "
                                       "answer itself, not a formula")
                texts.append(None)
        result.rows[code] = Typed(sheet.title, row, texts[0], texts[1])
