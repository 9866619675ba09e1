"""Uploads are bounded by rows, cells and time before anything is parsed in full (issue #13,
finding 5): the Read me sheet is never unpacked, a sheet that matters is refused at its first
row or cell past a limit, and a read that runs out of time stops with a message. Each refusal is
a page (400) that saves nothing."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.models import Answer, AuditEvent
from selfassess.workbook import archive
from selfassess.workbook.reading import Budget, Unreadable, read_workbook

# openpyxl writes the sheets in order: Read me, REL, VIS, GOV, DATA, MET, _selfassess.
README_PART = "xl/worksheets/sheet1.xml"
REL_PART = "xl/worksheets/sheet2.xml"
TINY_CELL = "<c><v>1</v></c>"


def _with_part(data: bytes, name: str, change: Callable[[str], str]) -> bytes:
    """``data`` with the XML of part ``name`` rewritten by ``change``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == name:
                part = change(part.decode()).encode()
            target.writestr(info.filename, part)
    return out.getvalue()


def _add_rows(rows: str) -> Callable[[str], str]:
    return lambda xml: xml.replace("</sheetData>", rows + "</sheetData>")


def _counts() -> tuple[int, int]:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(Answer.id))) or 0,
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "assessment.workbook_uploaded"
            )
        )
        or 0,
    )


def _answered(xw, client) -> bytes:
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    assert book.sheetnames[:2] == ["Read me", "REL"]
    xw.set_answer(book, "REL-1.1", 3)
    return xw.to_bytes(book)


def test_the_red_team_workbook_costs_next_to_nothing(xw, client):
    """1.15 million tiny cells on the Read me sheet (17 MB unpacked): accepted, the sheet
    unread (the next test proves it is never parsed; `python -m bench.workbook_bomb` measures
    the time and memory: 9 s of CPU and 340 MB before the fix, 0.03 s and none after)."""
    data = _with_part(
        _answered(xw, client),
        README_PART,
        _add_rows(("<row>" + TINY_CELL * 1000 + "</row>") * 1150),
    )
    assert len(data) < 200 * 1024
    response = xw.upload(client, data)
    assert response.status_code == 302, response.text
    assert xw.stored()["REL-1.1"] == ("3", None)


def test_the_read_me_sheet_is_never_unpacked(xw, client):
    data = _with_part(
        _answered(xw, client), README_PART, lambda xml: "<worksheet><sheetData>" + "<c>" * 100_000
    )  # not even XML
    response = xw.upload(client, data)
    assert response.status_code == 302, response.text
    assert xw.stored()["REL-1.1"] == ("3", None)


@pytest.mark.parametrize(
    "change",
    [
        _add_rows(("<row>" + TINY_CELL * 1000 + "</row>") * 60),  # many cells, few rows
        _add_rows("<row>" + TINY_CELL * 60_000 + "</row>"),  # one row of many cells
        _add_rows("<row r='2001'><c r='A2001' t='inlineStr'><is><t>x</t></is></c></row>"),
        _add_rows("<row/>" * 2100),  # rows without a number
        lambda xml: re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:I1048576"/>', xml),
        lambda xml: xml.replace(
            "</worksheet>", "<mergeCells>" + "<x/>" * 250_000 + "</mergeCells></worksheet>"
        ),  # elements that are not cells
    ],
    ids=["cells", "one-wide-row", "row-2001", "unnumbered-rows", "declared-dimension", "elements"],
)
def test_a_sheet_past_a_limit_is_refused_with_a_message(xw, client, change, monkeypatch):
    # About the size limits, not the clock: a loaded test machine must not hit the time budget
    # first (the budget has its own tests below).
    monkeypatch.setattr(archive, "MAX_SECONDS", 120.0)
    data = _with_part(_answered(xw, client), REL_PART, change)
    before = _counts()
    response = xw.upload(client, data)
    assert response.status_code == 400, response.text
    assert xw.refusal(response).startswith("Sheet REL holds far more than a questionnaire")
    assert "Nothing has been saved" in xw.refusal(response)
    assert _counts() == before


def test_a_read_past_its_time_budget_stops_with_a_message(xw, client, monkeypatch):
    data = _answered(xw, client)
    monkeypatch.setattr(archive, "MAX_SECONDS", -1.0)
    before = _counts()
    response = xw.upload(client, data)
    assert response.status_code == 400, response.text
    assert xw.refusal(response).startswith("The workbook took too long to read")
    assert _counts() == before


def test_the_clock_is_read_while_the_sheets_stream(xw, client):
    """A budget that runs out midway through the sheets stops the read there."""
    data = _answered(xw, client)
    ticks = iter(range(1_000_000))
    read_workbook(data, Budget(10_000, clock=lambda: next(ticks)))  # room enough: read
    used = next(ticks)
    assert used > 20  # looked at often, not once
    ticks = iter(range(1_000_000))
    with pytest.raises(Unreadable, match="took too long"):
        read_workbook(data, Budget(used // 2, clock=lambda: next(ticks)))


@pytest.mark.parametrize("text", ["&#0;", "&#1;"], ids=["nul", "control"])
def test_a_character_no_text_column_can_hold_is_refused_not_a_500(xw, client, text):
    """Issue #13, finding 8, for the workbook: XML cannot carry NUL, so such a cell is a broken
    file, refused with the page's message; the database never sees it."""
    data = _with_part(
        _answered(xw, client),
        REL_PART,
        _add_rows(f"<row r='1999'><c r='D1999' t='inlineStr'><is><t>a{text}b</t></is></c></row>"),
    )
    before = _counts()
    response = xw.upload(client, data)
    assert response.status_code == 400, response.text
    assert xw.refusal(response).startswith("The file is not an Excel workbook")
    assert _counts() == before


@pytest.mark.parametrize(
    "parts",
    [
        {"xl/styles-extra.xml": 3 * 1024 * 1024},  # one part over 2 MB
        {f"xl/extra{n}.xml": 1536 * 1024 for n in range(3)},  # 4.5 MB over parts of 1.5 MB
    ],
    ids=["one-part", "parts-together"],
)
def test_parts_openpyxl_would_parse_whole_are_bounded(xw, client, parts):
    data = _answered(xw, client)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        for name, size in parts.items():
            target.writestr(name, b"<x>" + b" " * size + b"</x>")
    before = _counts()
    response = xw.upload(client, out.getvalue())
    assert response.status_code == 400, response.text
    assert xw.refusal(response).startswith("The workbook is too large once unpacked")
    assert _counts() == before
