"""An unchanged workbook saves nothing (issue #13, finding 9): metric answers compare by value,
so "100.0" and "1093.0" stored (as the demo stored them) are not rewritten as "100" and "1093",
with an audit event and a needless conflict risk, when the workbook comes back unchanged."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from selfassess.assessments.drafts import Entry
from selfassess.extensions import db
from selfassess.models import Answer, Assessment

LEGACY = {"MET-1.1": "100.0", "MET-4.2": "1093.0", "MET-1.2": "92.50", "REL-1.1": "3"}
SAVED_AT = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)


def _store_legacy(xw) -> None:
    for code, value in LEGACY.items():
        db.session.add(
            Answer(
                assessment_id=xw.assessment.id,
                question_id=xw.question(code).id,
                value=value,
                comment=f"Evidence for {code}",
                updated_by_id=xw.colleague.id,
                updated_at=SAVED_AT,
            )
        )
    db.session.commit()


def _rows(xw) -> dict[int, tuple]:
    db.session.expire_all()
    return {
        a.id: (
            a.question_id,
            a.value,
            a.comment,
            a.carried_over,
            a.updated_by_id,
            a.updated_at.replace(tzinfo=None),
        )
        for a in db.session.scalars(select(Answer).where(Answer.assessment_id == xw.assessment.id))
    }


def _version(xw) -> int:
    db.session.expire_all()
    return db.session.get(Assessment, xw.assessment.id).version


def test_an_unchanged_workbook_with_metric_answers_writes_nothing(xw, client):
    _store_legacy(xw)
    before, version = _rows(xw), _version(xw)
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 302, response.text
    page = client.get(response.headers["Location"]).text
    assert "Your workbook matched your saved answers, so nothing needed saving." in page
    assert _rows(xw) == before
    assert xw.audit() == []
    assert _version(xw) == version


def test_the_workbook_shows_metrics_in_canonical_form(xw, client):
    _store_legacy(xw)
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    met = book["MET"]
    assert met[f"C{xw.row_of(met, 'MET-1.1')}"].value == "100"
    assert met[f"C{xw.row_of(met, 'MET-4.2')}"].value == "1093"
    assert met[f"C{xw.row_of(met, 'MET-1.2')}"].value == "92.5"


def test_retyping_a_metric_as_the_same_number_is_no_change(xw, client):
    _store_legacy(xw)
    before = _rows(xw)
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    xw.set_answer(book, "MET-1.1", 100)  # a number typed over the text cell
    xw.set_answer(book, "MET-4.2", "1,093.00")
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 302, response.text
    assert _rows(xw) == before
    assert xw.audit() == []


def test_a_workbook_downloaded_before_the_fix_changes_a_legacy_metric_without_conflict(xw, client):
    """Such a workbook shows "100.0" and carries the fingerprint of "100.0"."""
    _store_legacy(xw)
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    meta = book["_selfassess"]
    for row in range(7, meta.max_row + 1):
        code = meta[f"A{row}"].value
        if code in LEGACY:
            meta[f"B{row}"] = Entry(LEGACY[code], f"Evidence for {code}").fingerprint
    met = book["MET"]
    met[f"C{xw.row_of(met, 'MET-4.2')}"] = "1093.0"  # left alone, as shown then
    xw.set_answer(book, "MET-1.1", "99")
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 302, response.text
    stored = xw.stored()
    assert stored["MET-1.1"][0] == "99"
    assert stored["MET-4.2"][0] == "1093.0"  # untouched: not rewritten
    (event,) = xw.audit()
    assert event.before["answers"] == {
        "MET-1.1": {"value": "100.0", "comment": "Evidence for MET-1.1"}
    }  # as it was stored
    assert event.after["answers"] == {"MET-1.1": {"value": "99", "comment": "Evidence for MET-1.1"}}


def test_control_characters_in_an_answer_neither_break_the_download_nor_count_as_a_change(
    xw, client
):
    """A comment saved with characters pasted from a PDF (vertical tab, form feed) made the
    workbook download a 500: a worksheet cannot hold them (issue #13, finding 8's class)."""
    db.session.add(
        Answer(
            assessment_id=xw.assessment.id,
            question_id=xw.question("GOV-1.1").id,
            value="3",
            comment="Board minutes\x0b page 4\x0c",
            updated_at=SAVED_AT,
            updated_by_id=xw.colleague.id,
        )
    )
    db.session.commit()
    before = _rows(xw)
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    gov = book["GOV"]
    assert gov[f"D{xw.row_of(gov, 'GOV-1.1')}"].value == "Board minutes page 4"
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 302, response.text
    assert _rows(xw) == before
    assert xw.audit() == []
