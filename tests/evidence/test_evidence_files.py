"""Evidence files: attached by a trust to a question, checked by content, stored once, shown
where answers are shown, downloaded safely, removed without loss, carried forward as references,
and reachable exactly as the assessment is."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from selfassess.assessments.snapshots import import_framework
from selfassess.extensions import db
from selfassess.models import (
    Assessment,
    AssessmentState,
    AuditEvent,
    Cycle,
    EvidenceBlob,
    EvidenceFile,
)
from tests.conftest import csrf_token, sign_in_as

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
QUESTION = "REL-1.1"


def _office(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


DOCX = _office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


@pytest.fixture
def world(app, make_alliance, make_trust, make_membership, make_user):
    x, y = make_alliance(), make_alliance()
    a, b = make_trust(), make_trust()
    membership_a = make_membership(x, a)
    membership_b = make_membership(y, b)
    snapshot = import_framework(QUESTIONS / "alliance-maturity-1.0")
    assessments = {}
    for alliance, membership in ((x, membership_a), (y, membership_b)):
        cycle = Cycle(
            alliance_id=alliance.id,
            name="2027/28",
            snapshot=snapshot,
            opens_on=date.today(),
            closes_on=date.today() + timedelta(days=30),
            state="open",
        )
        db.session.add(cycle)
        db.session.flush()
        assessment = Assessment(cycle_id=cycle.id, membership_id=membership.id)
        db.session.add(assessment)
        assessments[alliance.id] = assessment
    db.session.commit()
    return {
        "x": x,
        "y": y,
        "a": a,
        "b": b,
        "assessment_a": assessments[x.id],
        "assessment_b": assessments[y.id],
        "user_a": make_user(("trust_user", membership_a)),
        "user_b": make_user(("trust_user", membership_b)),
        "coord_x": make_user(("coordinator", x)),
        "coord_y": make_user(("coordinator", y)),
    }


def _page_url(w, question=QUESTION):
    return f"/trusts/{w['a'].code}/assessments/{w['assessment_a'].id}/evidence/{question}"


BOUNDARY = "evidence-test-boundary"


def _multipart(token: str, data: bytes, name: str) -> bytes:
    """The body a browser sends (built here: the test client would spool a big one to a
    temporary file it never closes)."""
    return b"".join(
        [
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'.encode(),
            token.encode(),
            f"\r\n--{BOUNDARY}\r\n".encode(),
            f'Content-Disposition: form-data; name="evidence"; filename="{name}"\r\n'.encode(),
            b"Content-Type: application/octet-stream\r\n\r\n",
            data,
            f"\r\n--{BOUNDARY}--\r\n".encode(),
        ]
    )


def _upload(client, url, data: bytes, name: str):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(
        url,
        data=_multipart(csrf_token(page.text), data, name),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def _files() -> list[EvidenceFile]:
    db.session.expire_all()
    return list(db.session.scalars(select(EvidenceFile).order_by(EvidenceFile.id)))


def test_a_trust_attaches_a_file_and_its_coordinator_downloads_it_safely(client, login, world):
    w = world
    login(w["user_a"])
    response = _upload(client, _page_url(w), PDF, "Board minutes, May 2027.pdf")
    assert response.status_code == 302
    [attached] = _files()
    assert (attached.question_code, attached.filename) == (QUESTION, "Board minutes, May 2027.pdf")
    assert attached.blob.media_type == "application/pdf" and attached.blob.size == len(PDF)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "evidence.attached"))
    assert event.after["question"] == QUESTION and event.trust_id == w["a"].id
    base = f"/trusts/{w['a'].code}/assessments/{w['assessment_a'].id}"
    section = client.get(f"{base}/sections/REL").text
    assert "Board minutes, May 2027.pdf" in section
    assert "Board minutes, May 2027.pdf" in client.get(f"{base}/check").text

    sign_in_as(client, login, w["coord_x"])
    review = client.get(f"/alliances/{w['x'].slug}/assessments/{w['assessment_a'].id}/")
    link = BeautifulSoup(review.text, "html.parser").find("a", string="Board minutes, May 2027.pdf")
    download = client.get(link["href"])
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="Board-minutes-May-2027.pdf"'
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert "Evidence files: 1 attached" in client.get(f"/alliances/{w['x'].slug}/").text


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"#!/bin/sh\nrm -rf /\n", "evidence.pdf", "must be a PDF, Word (.docx), Excel"),
        (b"<html><script>alert(1)</script></html>", "evidence.pdf", "must be a PDF"),
        (b"<html><body>hi</body></html>", "page.html", "must be a PDF"),
        (PDF, "evidence.html", "is a PDF but its name ends .html"),
        (PDF, "evidence", "is a PDF but its name has no extension"),
        (
            _office({"big.bin": b"\0" * (20 * 1024 * 1024)}),
            "bomb.docx",
            "must be a PDF",
        ),
        (
            _office(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "word/document.xml": b"<w:document/>",
                    "word/vbaProject.bin": b"macro",
                }
            ),
            "macro.docx",
            "must be a PDF",
        ),
        (b"%PDF-" + b"0" * (5 * 1024 * 1024), "huge.pdf", "smaller than 5 MB"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_hostile_and_wrong_files_are_refused_with_a_clear_message(
    client, login, world, data, name, message
):
    login(world["user_a"])
    response = _upload(client, _page_url(world), data, name)
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    assert page.title.text.startswith("Error:")
    assert message in page.find(id="evidence-error").get_text()
    assert _files() == [] and db.session.scalar(select(func.count()).select_from(EvidenceBlob)) == 0


def test_the_same_bytes_twice_are_stored_once_and_a_word_file_is_accepted(client, login, world):
    login(world["user_a"])
    assert _upload(client, _page_url(world), PDF, "a.pdf").status_code == 302
    assert _upload(client, _page_url(world, "REL-1.2"), PDF, "b.pdf").status_code == 302
    assert _upload(client, _page_url(world), DOCX, "c.docx").status_code == 302
    assert len(_files()) == 3
    assert db.session.scalar(select(func.count()).select_from(EvidenceBlob)) == 2


def test_removing_keeps_the_file_in_the_history(client, login, world):
    login(world["user_a"])
    _upload(client, _page_url(world), PDF, "a.pdf")
    [attached] = _files()
    page = client.get(_page_url(world))
    base = f"/trusts/{world['a'].code}/assessments/{world['assessment_a'].id}"
    url = f"{base}/evidence/files/{attached.id}"
    response = client.post(f"{url}/remove", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    [kept] = _files()
    assert kept.removed_at is not None and kept.removed_by_id == world["user_a"].id
    listed = BeautifulSoup(client.get(_page_url(world)).text, "html.parser")
    assert listed.find("ul", class_="evidence-files") is None and "No files yet" in listed.text
    assert client.get(url).status_code == 200  # the history can still open it
    assert db.session.scalar(
        select(AuditEvent.action).where(AuditEvent.action == "evidence.removed")
    )


def test_a_submitted_assessments_files_cannot_change(client, login, world):
    world["assessment_a"].state = AssessmentState.SUBMITTED
    db.session.commit()
    login(world["user_a"])
    page = client.get(_page_url(world))
    assert "can no longer be changed" in page.text
    response = client.post(
        _page_url(world),
        data={"csrf_token": csrf_token(page.text), "evidence": (io.BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and _files() == []


def test_nobody_outside_the_assessment_reaches_its_files(client, login, world):
    w = world
    login(w["user_a"])
    _upload(client, _page_url(w), PDF, "a.pdf")
    [attached] = _files()
    trust_url = (
        f"/trusts/{w['a'].code}/assessments/{w['assessment_a'].id}/evidence/files/{attached.id}"
    )
    # Trust A's user, naming B's assessment under its own trust: as good as missing.
    assert (
        client.get(
            f"/trusts/{w['a'].code}/assessments/{w['assessment_b'].id}/evidence/files/{attached.id}"
        ).status_code
        == 404
    )
    assert client.get(_page_url(w, "NOPE-1.1")).status_code == 404
    sign_in_as(client, login, w["user_b"])
    assert client.get(trust_url).status_code == 403
    assert (
        client.get(
            f"/trusts/{w['b'].code}/assessments/{w['assessment_b'].id}/evidence/files/{attached.id}"
        ).status_code
        == 404
    )
    page = client.get(f"/trusts/{w['b'].code}/assessments/{w['assessment_b'].id}/evidence/REL-1.1")
    response = client.post(f"{trust_url}/remove", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 403 and _files()[0].removed_at is None
    sign_in_as(client, login, w["coord_y"])
    for url in (
        f"/alliances/{w['x'].slug}/assessments/{w['assessment_a'].id}/evidence/files/{attached.id}",
        f"/alliances/{w['y'].slug}/assessments/{w['assessment_a'].id}/evidence/files/{attached.id}",
        f"/alliances/{w['y'].slug}/assessments/{w['assessment_b'].id}/evidence/files/{attached.id}",
    ):
        assert client.get(url).status_code in (403, 404), url
    assert "Evidence files: 0 attached" in client.get(f"/alliances/{w['y'].slug}/").text


def test_copy_forward_carries_files_as_references_to_the_same_bytes(client, login, world):
    """Last cycle's answers and the files they cite come forward; the bytes are not copied."""
    from selfassess.models import Answer, SnapshotQuestion

    w = world
    current = w["assessment_a"]
    earlier_cycle = Cycle(
        alliance_id=w["x"].id,
        name="2026/27",
        snapshot_id=current.cycle.snapshot_id,
        opens_on=date.today() - timedelta(days=365),
        closes_on=date.today() - timedelta(days=300),
        state="closed",
    )
    db.session.add(earlier_cycle)
    db.session.flush()
    earlier = Assessment(
        cycle_id=earlier_cycle.id,
        membership_id=current.membership_id,
        state=AssessmentState.VALIDATED,
    )
    db.session.add(earlier)
    db.session.flush()
    question = db.session.scalar(
        select(SnapshotQuestion).where(
            SnapshotQuestion.snapshot_id == current.cycle.snapshot_id,
            SnapshotQuestion.code == QUESTION,
        )
    )
    db.session.add(Answer(assessment_id=earlier.id, question_id=question.id, value="3"))
    db.session.add(
        EvidenceBlob(sha256="ab" * 32, size=len(PDF), media_type="application/pdf", content=PDF)
    )
    db.session.add(
        EvidenceFile(
            assessment_id=earlier.id,
            question_code=QUESTION,
            blob_sha256="ab" * 32,
            filename="last-year.pdf",
        )
    )
    db.session.commit()
    login(w["user_a"])
    base = f"/trusts/{w['a'].code}/assessments/{current.id}"
    page = client.get(f"{base}/")
    assert "Copy answers from 2026/27" in page.text
    response = client.post(f"{base}/copy-forward", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    carried = [f for f in _files() if f.assessment_id == current.id]
    assert [(f.question_code, f.filename, f.blob_sha256) for f in carried] == [
        (QUESTION, "last-year.pdf", "ab" * 32)
    ]
    assert carried[0].carried_from_id is not None
    assert db.session.scalar(select(func.count()).select_from(EvidenceBlob)) == 1
    assert "last-year.pdf" in client.get(f"{base}/sections/REL").text


def test_files_are_listed_in_the_workbooks_read_me_and_the_members_report(client, login, world):
    from openpyxl import load_workbook

    w = world
    login(w["user_a"])
    _upload(client, _page_url(w), PDF, "Board minutes.pdf")
    base = f"/trusts/{w['a'].code}/assessments/{w['assessment_a'].id}"
    book = load_workbook(io.BytesIO(client.get(f"{base}/workbook.xlsx").data))
    lines = [c.value for c in book["Read me"]["A"] if c.value]
    assert "REL-1.1: Board minutes.pdf" in lines
    sign_in_as(client, login, w["coord_x"])
    report = client.get(
        f"/alliances/{w['x'].slug}/cycles/{w['assessment_a'].cycle_id}/members/{w['a'].code}/report"
    )
    assert report.status_code == 200
    section = BeautifulSoup(report.text, "html.parser").find("h2", string="Evidence files")
    assert section is not None and "Board minutes.pdf" in section.parent.get_text()


def test_going_to_the_file_page_saves_what_was_typed_first(client, login, world):
    """The section's "Save and add evidence files" button saves the section, then opens the
    question's file page: following a plain link lost every unsaved answer on the page."""
    login(world["user_a"])
    section = f"/trusts/{world['a'].code}/assessments/{world['assessment_a'].id}/sections/REL"
    page = BeautifulSoup(client.get(section).text, "html.parser")
    form = page.find("form", class_="section-form")
    buttons = [b for b in form.find_all("button") if b.get("name") == "action"]
    assert buttons[0]["value"] == "continue"  # what Enter presses: never an evidence button
    assert any(b["value"] == f"evidence:{QUESTION}" for b in buttons)
    fields = {
        i["name"]: i.get("value", "")
        for i in form.find_all("input")
        if i.get("type") not in ("radio", "checkbox") and i.get("name")
    }
    answer = next(i["name"] for i in form.find_all("input", type="radio"))
    comment = next(t["name"] for t in form.find_all("textarea"))
    fields.update({answer: "3", comment: "Typed, not yet saved"})
    response = client.post(section, data={**fields, "action": f"evidence:{QUESTION}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_page_url(world))
    again = client.get(section).text
    assert "Typed, not yet saved" in again
    # Only this section's questions: another code goes back to the task list as a plain save.
    response = client.post(section, data={**fields, "action": "evidence:GOV-1.1"})
    assert response.status_code == 302 and "/evidence/" not in response.headers["Location"]
