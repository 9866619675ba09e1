"""Every way an upload is refused, each saving nothing: bad cells (by sheet and cell), another
trust's, cycle's or framework's workbook, not a workbook, too big, not editable, a conflict."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.models import Answer, Assessment, AuditEvent, Cycle, CycleState, Role
from tests.conftest import grants_for


def _nothing_saved(xw) -> None:
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Answer.id))) == 0
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "assessment.workbook_uploaded"
            )
        )
        == 0
    )
    assert db.session.get(Assessment, xw.assessment.id).version == 1


def test_every_bad_cell_is_reported_by_sheet_and_cell_and_nothing_is_saved(xw, client):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    xw.set_answer(book, "REL-1.2", 4)  # a good answer: not saved either
    level = xw.set_answer(book, "REL-1.1", 7)
    yes_no = next(q.code for q in xw.questions() if q.kind == "yes_no")
    yes_no_cell = xw.set_answer(book, yes_no, "maybe")
    metric = xw.set_answer(book, "MET-1.1", "about ninety")
    high = xw.set_answer(book, "MET-3.3", 51)
    long_comment = xw.set_answer(book, "GOV-1.1", 3, "x" * 5001).replace("C", "D")
    formula = xw.set_answer(book, "DATA-1.1", "=1+2")
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 400
    assert "Nothing has been saved" in response.text
    problems = xw.messages(response, ".workbook-problems")
    yes_sheet = yes_no.split("-")[0]
    assert sorted(problems) == sorted(
        [
            f"Sheet REL, cell {level}: Choose a level from the list: 1, 2, 3, 4, 5",
            f"Sheet {yes_sheet}, cell {yes_no_cell}: Choose yes or no from the list",
            f"Sheet MET, cell {metric}: Enter a number in %, like 92.5",
            f"Sheet MET, cell {high}: Enter a number between 0 and 50",
            f"Sheet GOV, cell {long_comment}: Keep the evidence comment to 5000 characters",
            f"Sheet DATA, cell {formula}: type the answer itself, not a formula",
        ]
    )
    _nothing_saved(xw)


def test_missing_unknown_and_repeated_rows_are_refused(xw, client):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    book.security = None
    rel = book["REL"]
    first = xw.row_of(rel, "REL-1.1")
    rel[f"A{first}"] = "REL-9.9"
    rel[f"A{xw.row_of(rel, 'REL-1.2')}"] = "GOV-1.1"
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 400
    problems = xw.messages(response, ".workbook-problems")
    assert (
        "Sheet REL: question REL-1.1 is missing; put its row back or download a fresh "
        "workbook" in problems
    )
    assert (
        f"Sheet REL, cell A{first}: REL-9.9 is not a question of this self-assessment" in problems
    )
    assert any("GOV-1.1 appears twice" in p for p in problems)
    _nothing_saved(xw)


def _other_assessment(xw, make_alliance, make_trust, make_membership, *, same_trust: bool):
    alliance = make_alliance() if same_trust else xw.alliance
    trust = xw.trust if same_trust else make_trust()
    membership = make_membership(alliance, trust)
    cycle = xw.cycle
    if same_trust:
        cycle = Cycle(
            alliance_id=alliance.id,
            name="Other",
            snapshot_id=xw.cycle.snapshot_id,
            opens_on=date(2026, 4, 1),
            closes_on=date(2026, 9, 30),
            state=CycleState.OPEN,
        )
        db.session.add(cycle)
        db.session.flush()
    other = Assessment(cycle_id=cycle.id, membership_id=membership.id)
    db.session.add(other)
    if same_trust:  # the same user works for the trust in the other alliance too
        xw.user.grants.extend(grants_for(Role.TRUST_USER, membership))
    db.session.commit()
    return trust, other


def test_another_trusts_workbook_is_refused(
    xw, client, make_alliance, make_trust, make_membership, make_user
):
    trust, other = _other_assessment(
        xw, make_alliance, make_trust, make_membership, same_trust=False
    )
    both = make_user(("trust_user", xw.trust), ("trust_user", trust))
    xw.sign_in(client, both)
    book = xw.download(client, f"/trusts/{trust.code}/assessments/{other.id}/workbook.xlsx")
    xw.set_answer(book, "REL-1.1", 3)
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 400
    assert xw.refusal(response).startswith(
        f"This workbook is for another trust ({trust.code}), not {xw.trust.code}."
    )
    _nothing_saved(xw)


def test_another_cycles_workbook_is_refused(xw, client, make_alliance, make_trust, make_membership):
    _trust, other = _other_assessment(
        xw, make_alliance, make_trust, make_membership, same_trust=True
    )
    xw.sign_in(client, xw.user)
    book = xw.download(client, f"/trusts/{xw.trust.code}/assessments/{other.id}/workbook.xlsx")
    xw.set_answer(book, "REL-1.1", 3)
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 400
    assert xw.refusal(response).startswith("This workbook is for another assessment cycle.")
    _nothing_saved(xw)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "framework_hash",
            "f" * 64,
            "This workbook was made from a different version of the framework",
        ),
        ("format", "something-else", "This workbook was not downloaded from this service"),
        ("assessment_id", "not a number", "This workbook was not downloaded from this service"),
    ],
)
def test_a_changed_framework_or_details_sheet_is_refused(xw, client, key, value, message):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    meta = book["_selfassess"]
    row = next(r for r in range(1, 7) if meta[f"A{r}"].value == key)
    meta[f"B{row}"] = value
    xw.set_answer(book, "REL-1.1", 3)
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 400
    assert xw.refusal(response).startswith(message)
    _nothing_saved(xw)


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"Trust code,Answer\nT1,3\n",
        b"",
        b"PK\x03\x04 truncated",
        _zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}),
        _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<not really"}),
        _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"0" * (21 * 1024 * 1024)}),
    ],
    ids=["csv", "empty", "truncated", "docx", "broken-xlsx", "zip-bomb"],
)
def test_anything_but_a_workbook_is_refused_with_a_message(xw, client, data):
    xw.sign_in(client, xw.user)
    response = xw.upload(client, data)
    assert response.status_code == 400, response.text
    assert xw.refusal(response).startswith(
        ("The file is not an Excel workbook", "The workbook is too large once unpacked")
    )
    _nothing_saved(xw)


def test_no_file_chosen_asks_for_one(xw, client):
    xw.sign_in(client, xw.user)
    url = f"{xw.base}/workbook"
    token = client.get(url).text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(url, data={"csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose the workbook to upload" in response.text


def test_another_workbook_is_refused_as_not_ours(xw, client):
    from openpyxl import Workbook

    xw.sign_in(client, xw.user)
    response = xw.upload(client, xw.to_bytes(Workbook()))
    assert response.status_code == 400
    assert xw.refusal(response).startswith("This workbook was not downloaded from this service")


def _multipart(token: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body built by hand: the test client would spool a big one to a temp file."""
    boundary = "----selfassess-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="workbook"; '
            f'filename="big.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("size", [3 * 1024 * 1024, 6 * 1024 * 1024])
def test_a_file_over_two_megabytes_is_refused(xw, client, size):
    xw.sign_in(client, xw.user)
    url = f"{xw.base}/workbook"
    token = client.get(url).text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    body, content_type = _multipart(token, b"PK" + b"0" * size)
    response = client.post(url, data=body, content_type=content_type)
    assert response.status_code == 413
    assert "too large" in response.text
    _nothing_saved(xw)


def test_no_csrf_token_no_upload(xw, client):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    xw.set_answer(book, "REL-1.1", 3)
    response = client.post(
        f"{xw.base}/workbook",
        data={"workbook": (io.BytesIO(xw.to_bytes(book)), "a.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    _nothing_saved(xw)


@pytest.mark.parametrize("state", ["submitted", "validated"])
def test_a_submitted_assessment_refuses_uploads(xw, client, state):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    xw.set_answer(book, "REL-1.1", 3)
    page = client.get(f"{xw.base}/workbook")
    xw.assessment.state = state
    db.session.commit()
    assert "can no longer be changed" in client.get(f"{xw.base}/workbook").text
    response = client.post(
        f"{xw.base}/workbook",
        data={
            "csrf_token": page.text.split('name="csrf_token" type="hidden" value="')[1].split('"')[
                0
            ],
            "workbook": (io.BytesIO(xw.to_bytes(book)), "a.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 409
    _nothing_saved(xw)


def test_a_closed_cycle_refuses_uploads(xw, client):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    url = f"{xw.base}/workbook"
    token = client.get(url).text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    xw.cycle.state = CycleState.CLOSED
    db.session.commit()
    response = client.post(
        url,
        data={"csrf_token": token, "workbook": (io.BytesIO(xw.to_bytes(book)), "a.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 409
    _nothing_saved(xw)
