"""The uploaded workbook's zip archive, checked and measured before openpyxl parses any of it.

Pure: zipfile and defusedxml only. openpyxl parses a whole worksheet when it opens a workbook
whose sheet declares no dimension, and builds a whole row in memory before it hands any cell
over, so a 100 KiB upload holding a million tiny cells cost a worker about 9 s of CPU and over
300 MB (issue #13). Here the sheets that matter (the details sheet and the domain sheets) are
streamed first, counting rows, cells and XML elements and watching the clock, and stopped at the
first limit; the archive handed to openpyxl holds those sheets and an empty stand-in for each
ignored one (the *Read me*), which is never even unpacked.
"""

from __future__ import annotations

import io
import posixpath
import re
import time
import zipfile
from collections.abc import Callable, Iterable
from xml.etree.ElementTree import Element  # nosec B405  # a type only; parsing is defusedxml

from defusedxml.ElementTree import fromstring, iterparse

#: An honest questionnaire workbook inflates to well under a megabyte.
MAX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_PARTS = 200
#: Largest part openpyxl may parse whole (workbook, styles, shared strings), and all of them
#: together; sheets are streamed instead. A real workbook's come to under 100 KB.
MAX_PART = 2 * 1024 * 1024
MAX_WHOLE = 4 * 1024 * 1024
#: Rows per sheet, cells and XML elements over all the sheets read. A real workbook has about a
#: hundred rows a sheet and a few thousand cells in all.
MAX_ROWS = 2000
MAX_CELLS = 50_000
MAX_ELEMENTS = 200_000
#: Wall-clock time allowed for reading an upload; a real one takes well under 0.1 s.
MAX_SECONDS = 3.0

NOT_A_WORKBOOK = (
    "The file is not an Excel workbook (.xlsx). Upload the workbook you downloaded "
    "from this self-assessment, saved as .xlsx."
)
TOO_LARGE = (
    "The workbook is too large once unpacked. Upload the workbook you downloaded, with "
    "only your answers added."
)
TOO_SLOW = (
    "The workbook took too long to read, so it was not checked and nothing has been "
    "saved. Upload the workbook you downloaded, with only your answers added."
)
_MAIN = "xl/workbook.xml"
_RELS = "xl/_rels/workbook.xml.rels"
_EMPTY_SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1"/><sheetData/></worksheet>'
)
_CHECK_EVERY = 1024  # elements between two looks at the clock
_REF_ROWS = re.compile(r"^[A-Z]{1,3}(\d+)(?::[A-Z]{1,3}(\d+))?$")


class Unreadable(ValueError):
    """The upload is refused as a whole before any cell is looked at."""


class Budget:
    """A deadline, checked cheaply inside the streaming loops (no signals, no threads)."""

    def __init__(
        self, seconds: float | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        self._deadline = clock() + (MAX_SECONDS if seconds is None else seconds)

    def check(self) -> None:
        """Raise ``Unreadable`` once the deadline has passed."""
        if self._clock() > self._deadline:
            raise Unreadable(TOO_SLOW)


class _Tally:
    """Cells and elements seen so far over every sheet read."""

    def __init__(self) -> None:
        self.cells = 0
        self.elements = 0


def slim_archive(data: bytes, ignored: Iterable[str], budget: Budget) -> tuple[bytes, list[str]]:
    """The workbook as openpyxl should see it, and its sheet names in order.

    Every sheet but the ``ignored`` ones is streamed and must keep within the row, cell and
    element limits before the budget runs out; the ignored sheets are replaced by an empty sheet.
    Raises ``Unreadable`` with the message for the page.
    """
    skip = set(ignored)
    with _open(data) as archive:
        sheets = _sheet_parts(archive)
        read = [(title, path) for title, path in sheets if title not in skip]
        scanned = {path for _title, path in read}
        # A part shared by an ignored sheet and one that matters is read, never replaced.
        skipped = {path for title, path in sheets if title in skip} - scanned
        tally = _Tally()
        for title, path in read:
            _scan_sheet(archive, path, title, tally, budget)
        whole = 0
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as slim:
            for info in archive.infolist():
                if info.filename in skipped:
                    slim.writestr(info.filename, _EMPTY_SHEET)
                    continue
                if info.filename not in scanned:
                    whole += info.file_size
                    if info.file_size > MAX_PART or whole > MAX_WHOLE:
                        raise Unreadable(TOO_LARGE)
                slim.writestr(info.filename, _read(archive, info.filename))
                budget.check()
    return out.getvalue(), [title for title, _path in sheets]


def _open(data: bytes) -> zipfile.ZipFile:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Unreadable(NOT_A_WORKBOOK)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Unreadable(NOT_A_WORKBOOK) from error
    names = {part.filename for part in parts}
    if "[Content_Types].xml" not in names or _MAIN not in names:
        raise Unreadable(NOT_A_WORKBOOK)
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNCOMPRESSED:
        raise Unreadable(TOO_LARGE)
    return archive


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        raise Unreadable(NOT_A_WORKBOOK) from error  # a bad checksum, a false size, encryption


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_small(archive: zipfile.ZipFile, name: str) -> Element:
    if name not in archive.namelist():
        raise Unreadable(NOT_A_WORKBOOK)
    if archive.getinfo(name).file_size > MAX_PART:
        raise Unreadable(TOO_LARGE)
    try:
        return fromstring(_read(archive, name))
    except Exception as error:  # expat's and defusedxml's errors: not a workbook
        raise Unreadable(NOT_A_WORKBOOK) from error


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """Each sheet's title and the part that holds it, from the workbook and its relationships."""
    targets: dict[str, str] = {}
    for rel in _parse_small(archive, _RELS).iter():
        if _local(rel.tag) == "Relationship" and rel.get("Id") and rel.get("Target"):
            target = str(rel.get("Target"))
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(_MAIN), target))
            )
            targets[str(rel.get("Id"))] = path
    sheets: list[tuple[str, str]] = []
    names = set(archive.namelist())
    for sheet in _parse_small(archive, _MAIN).iter():
        if _local(sheet.tag) != "sheet":
            continue
        rel_id = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        part = targets.get(rel_id or "")
        if part is None or part not in names:
            raise Unreadable(NOT_A_WORKBOOK)
        sheets.append((str(sheet.get("name", "")), part))
    return sheets


def _scan_sheet(
    archive: zipfile.ZipFile, path: str, title: str, tally: _Tally, budget: Budget
) -> None:
    """Stream one sheet's XML, stopping at the first limit it passes."""
    too_many = Unreadable(
        f"Sheet {title} holds far more than a questionnaire (over {MAX_ROWS:,} rows or "
        f"{MAX_CELLS:,} cells). Nothing has been saved. Upload the workbook you downloaded, "
        "with only your answers added."
    )
    rows = 0
    try:
        with archive.open(path) as stream:
            for _event, element in iterparse(stream, events=("end",)):
                tally.elements += 1
                if tally.elements % _CHECK_EVERY == 0:
                    budget.check()
                if tally.elements > MAX_ELEMENTS:
                    raise too_many
                tag = _local(element.tag)
                if tag == "c":
                    tally.cells += 1
                    if tally.cells > MAX_CELLS:
                        raise too_many
                elif tag == "row":
                    rows += 1
                    if rows > MAX_ROWS or int(element.get("r") or rows) > MAX_ROWS:
                        raise too_many
                elif tag == "dimension" and _declared_rows(element.get("ref", "")) > MAX_ROWS:
                    raise too_many
                element.clear()  # keep memory flat: nothing read here is kept
    except Unreadable:
        raise
    except Exception as error:  # a malformed or truncated part, a bad checksum, an entity
        raise Unreadable(NOT_A_WORKBOOK) from error
    budget.check()


def _declared_rows(ref: str) -> int:
    """The last row of a sheet's declared dimension ("A1:I80" -> 80); 0 if it says nothing."""
    found = _REF_ROWS.match(ref.strip().upper())
    if not found:
        return 0
    return max(int(number) for number in found.groups() if number)
