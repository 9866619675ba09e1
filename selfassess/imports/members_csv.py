"""Reading a members CSV file. Pure: no Flask, no database.

Every problem is reported by line and column, and a file with any problem is imported not at
all, so a coordinator fixes the file and previews it again.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from ..control_characters import CONTROL_CHARACTERS

COLUMNS = ("trust code", "name", "type", "region", "collaboration type")
#: The models' CollaborationType values and labels (a test keeps the two the same).
COLLABORATION_TYPES = {
    "hospital_group": "Hospital group",
    "multi_service": "Multi-service network",
    "single_service": "Single-service network",
}
MAX_ROWS = 500
_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
_LIMITS = {"name": 200, "type": 60, "region": 60}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class MemberLine:
    """One member to import, as the file gives it (the code upper-cased)."""

    line: int
    code: str
    name: str
    trust_type: str
    region: str
    collaboration_type: str


def _key(text: str) -> str:
    return re.sub(r"[\s_-]+", "_", text.strip().lower())


def _collaboration(text: str) -> str | None:
    """The value for a value or label, with or without "network" ("Multi-service" too)."""
    wanted = _key(text)
    for value, label in COLLABORATION_TYPES.items():
        if wanted in (value, _key(label), _key(label.removesuffix(" network"))):
            return value
    return None


def decode(data: bytes) -> str:
    """The file as text: UTF-8 (a spreadsheet's byte-order mark is allowed); ValueError if not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(
            "The file is not UTF-8 text. Save it from your spreadsheet as "
            '"CSV UTF-8" and upload it again.'
        ) from None


def _line_of(text: str, position: int) -> int:
    """The line ``position`` is on, counting a line break the way the CSV reader does."""
    return len(_LINE_BREAK.findall(text, 0, position)) + 1


def read_table(
    text: str, columns: tuple[str, ...], things: str
) -> tuple[list[list[str]], str | None]:
    """The file's rows (header included, trailing blank lines dropped), or the one problem
    that stops reading it: a NUL or other control character, text the CSV reader cannot split
    (both by line), empty, the wrong columns, or more than ``MAX_ROWS`` ``things``.

    A lone carriage return ends a line, as in files from older Mac spreadsheets; without
    ``newline=""`` the reader raised on one and the page was a 500 (issue #13).
    """
    control = CONTROL_CHARACTERS.search(text)
    if control:  # the csv module reads them, but nothing can store or export them safely
        found = control.group()
        what = "a NUL character" if found == "\x00" else f"a control character (U+{ord(found):04X})"
        return [], (
            f"Line {_line_of(text, control.start())}: the file contains {what}, so it "
            'is not a plain CSV file. Save it from your spreadsheet as "CSV UTF-8" and '
            "upload it again."
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as error:
        return [], (
            f"Line {reader.line_num}: the file cannot be read as CSV ({error}). Save it "
            'from your spreadsheet as "CSV UTF-8" and upload it again.'
        )
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        return [], (
            "The file is empty. The first line must be the column names: " + ", ".join(columns)
        )
    if tuple(cell.strip().lower() for cell in rows[0]) != columns:
        return [], "Line 1: the columns must be, in this order: " + ", ".join(columns)
    if len(rows) - 1 > MAX_ROWS:
        return [], f"The file has {len(rows) - 1} {things}; import at most {MAX_ROWS} at once"
    return rows, None


def parse_members(text: str) -> tuple[list[MemberLine], list[str]]:
    """The members in ``text`` and every problem found (by line and column)."""
    rows, problem = read_table(text, COLUMNS, "members")
    if problem:
        return [], [problem]
    members: list[MemberLine] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            problems.append(f"Line {number}: expected {len(COLUMNS)} values, found {len(row)}")
            continue
        code, name, trust_type, region, collaboration = (cell.strip() for cell in row)
        code = code.upper()
        line_problems = []
        if not _CODE.match(code):
            line_problems.append(
                f"Line {number}, trust code: enter the trust's ODS code, "
                "3 to 10 letters and digits, like RFF"
            )
        elif code in seen:
            line_problems.append(f"Line {number}, trust code: {code} is also on line {seen[code]}")
        for column, value in (("name", name), ("type", trust_type), ("region", region)):
            if not value:
                line_problems.append(f"Line {number}, {column}: enter the trust's {column}")
            elif len(value) > _LIMITS[column]:
                line_problems.append(
                    f"Line {number}, {column}: keep it to {_LIMITS[column]} characters"
                )
        kind = _collaboration(collaboration)
        if kind is None:
            line_problems.append(
                f"Line {number}, collaboration type: enter one of "
                + ", ".join(COLLABORATION_TYPES.values())
            )
        seen.setdefault(code, number)
        if line_problems:
            problems.extend(line_problems)
        else:
            members.append(MemberLine(number, code, name, trust_type, region, kind or ""))
    if not members and not problems:
        problems.append("The file has no members below its column names")
    return members, problems
