"""XLSX copies of the coordinator's tables: same content as the page and the CSV, a bold frozen
header, and text that a spreadsheet would run as a formula kept as plain text."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from selfassess.demo.data import demo_cycles
from selfassess.extensions import db
from selfassess.models import Alliance, Cycle, User
from tests.conftest import FAST_HASH, TEST_PASSWORD, csrf_token

# The demo's cycles are named from the day it is loaded (oldest on 1.0, then 2.0).
FIRST, LATEST, OPEN = (c.name for c in demo_cycles())

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _same(value: object) -> object:
    """A cell as a number when it reads as one (the CSV's "2.0000" is the workbook's 2)."""
    try:
        return float(value)  # type: ignore[arg-type]
    except ValueError:
        return value


def _sheet(response):
    assert response.status_code == 200, response.text
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.data))
    assert len(book.sheetnames) == 1
    return book.active


def test_members_table_matches_the_cycle_page(xw, client):
    xw.trust.name = '=HYPERLINK("http://evil.example","Click")'
    xw.assessment.overall_index = 62.345
    xw.assessment.status = "Full member"
    db.session.commit()
    xw.sign_in(client, xw.coordinator)
    base = f"/alliances/{xw.alliance.slug}/cycles/{xw.cycle.id}"
    page = client.get(f"{base}/").text
    assert f"{base}/members.xlsx" in page and f"{base}/scores.xlsx" in page
    sheet = _sheet(client.get(f"{base}/members.xlsx"))
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows == [
        ["Trust code", "Trust name", "Progress", "Submitted", "Overall index", "Membership status"],
        [
            xw.trust.code,
            '=HYPERLINK("http://evil.example","Click")',
            "Not started",
            None,
            62.3,
            "Full member",
        ],
    ]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    name = sheet["B2"]
    assert name.data_type == "s" and name.quotePrefix  # text, never a formula
    assert sheet.auto_filter.ref == "A1:F2"


def test_scores_workbook_holds_the_csv_figures(runner, client):
    runner.invoke(args=["demo", "load"])
    alliance = db.session.scalars(
        select(Alliance).where(Alliance.slug == "national-orthopaedic-alliance")
    ).one()
    cycle = db.session.scalars(
        select(Cycle).where(Cycle.alliance_id == alliance.id, Cycle.name == LATEST)
    ).one()
    coordinator = db.session.scalars(
        select(User).where(User.email == "coordinator.national@demo.selfassess.example")
    ).one()
    coordinator.password_hash = generate_password_hash(TEST_PASSWORD, method=FAST_HASH)
    db.session.commit()
    page = client.get("/auth/sign-in")
    client.post(
        "/auth/sign-in",
        data={
            "email": coordinator.email,
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token(page.text),
        },
    )
    base = f"/alliances/{alliance.slug}/cycles/{cycle.id}"
    expected = list(csv.reader(io.StringIO(client.get(f"{base}/scores.csv").text)))
    sheet = _sheet(client.get(f"{base}/scores.xlsx"))
    got = [["" if c.value is None else c.value for c in row] for row in sheet.iter_rows()]
    assert len(got) == len(expected) > 100
    assert got[0] == expected[0]
    for xlsx_row, csv_row in zip(got[1:], expected[1:], strict=True):
        assert [_same(v) for v in xlsx_row] == [_same(c) for c in csv_row]
    index = got[0].index("index")
    assert any(isinstance(row[index], float) for row in got[1:])
    assert sheet.freeze_panes == "A2" and all(c.font.b for c in sheet[1])
