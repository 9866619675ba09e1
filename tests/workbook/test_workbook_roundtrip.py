"""Download -> fill in with openpyxl -> upload -> the stored answers are what was typed."""

from __future__ import annotations

from selfassess.extensions import db
from selfassess.models import Answer

#: What a person types for each kind, and what the section form would store for it.
TYPED = {
    "maturity": (3, "3"),
    "yes_no": ("Yes", "yes"),
    "metric": (None, None),
    "text": ("Our evidence", "Our evidence"),
}


def test_the_workbook_holds_every_domain_question_and_help(xw, client):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    assert book.sheetnames == ["Read me", "REL", "VIS", "GOV", "DATA", "MET", "_selfassess"]
    assert book["_selfassess"].sheet_state == "veryHidden"
    assert book["_selfassess"].protection.sheet
    codes = [xw.row_of(book[q.code.split("-")[0]], q.code) for q in xw.questions()]
    assert len(codes) == 79
    gov = book["GOV"]
    assert [c.value for c in gov[4]][:4] == [
        "Question",
        "Question text",
        "Your answer",
        "Evidence and comments (optional)",
    ]
    assert all(c.font.b for c in gov[4] if c.value)
    assert gov.freeze_panes == "C5"
    assert gov.protection.sheet
    row = xw.row_of(gov, "GOV-1.1")
    assert gov[f"B{row}"].value == xw.question("GOV-1.1").text
    assert gov[f"F{row}"].value.startswith("1: There is no written agreement")
    assert gov[f"G{row}"].value == xw.question("GOV-1.1").guidance
    assert gov[f"H{row}"].value.startswith("GOV-1 (core, target 3): ")
    assert not gov[f"C{row}"].protection.locked and gov[f"B{row}"].protection.locked
    lists = {
        dv.formula1: str(dv.sqref)
        for dv in gov.data_validations.dataValidation
        if dv.type == "list"
    }
    assert f"C{row}" in lists['"1,2,3,4,5"'].split()
    assert '"yes,no"' in lists
    assert book["Read me"]["A1"].value == "2026/27 self-assessment"


def test_round_trip_saves_every_answer_as_one_audited_change(xw, client):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    expected = {}
    for question in xw.questions():
        typed, stored = TYPED[question.kind]
        if question.kind == "metric":  # halfway through the range, as a typed number
            typed = (question.options["min"] + question.options["max"]) / 2 + 0.5
            stored = f"{typed:g}"
        xw.set_answer(book, question.code, typed, f"Evidence for {question.code}")
        expected[question.code] = (stored, f"Evidence for {question.code}")
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 302, response.text
    assert response.headers["Location"].endswith(f"{xw.base}/")
    assert xw.stored() == expected
    (event,) = xw.audit()
    assert event.actor_id == xw.user.id and event.entity_id == xw.assessment.id
    assert event.before["answers"]["GOV-1.1"] == {"value": None, "comment": None}
    assert event.after["answers"]["GOV-1.1"] == {"value": "3", "comment": "Evidence for GOV-1.1"}
    assert len(event.after["answers"]) == 79
    assert (event.before["state"], event.after["state"]) == ("not_started", "in_progress")
    assert xw.audit("assessment.answers_saved") == []
    page = client.get(f"{xw.base}/")
    assert "79 answers were saved" in page.text

    # Downloaded again, the workbook shows the stored answers; uploaded unchanged, it saves
    # nothing and writes no audit event.
    again = xw.download(client)
    gov = again["GOV"]
    assert gov[f"C{xw.row_of(gov, 'GOV-1.1')}"].value == "3"
    response = xw.upload(client, xw.to_bytes(again))
    assert response.status_code == 302
    assert len(xw.audit()) == 1
    assert "nothing needed saving" in client.get(f"{xw.base}/").text


def test_a_cleared_cell_clears_the_answer_and_text_is_kept_literally(xw, client):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    xw.set_answer(book, "REL-1.1", 4, '=HYPERLINK("http://evil")')
    rel = book["REL"]
    rel[f"D{xw.row_of(rel, 'REL-1.1')}"].data_type = "s"  # typed as text ('=...), not a formula
    xw.set_answer(book, "MET-4.2", "1,250")
    assert xw.upload(client, xw.to_bytes(book)).status_code == 302
    stored = xw.stored()
    assert stored["REL-1.1"] == ("4", '=HYPERLINK("http://evil")')
    assert stored["MET-4.2"][0] == "1250"

    again = xw.download(client)
    rel = again["REL"]
    comment = rel[f"D{xw.row_of(rel, 'REL-1.1')}"]
    assert comment.data_type == "s" and comment.quotePrefix  # shown as text, never run
    xw.set_answer(again, "REL-1.1", None)
    assert xw.upload(client, xw.to_bytes(again)).status_code == 302
    assert xw.stored()["REL-1.1"][0] is None


def test_coordinator_downloads_a_members_workbook_with_its_answers(xw, client):
    db.session.add(
        Answer(
            assessment_id=xw.assessment.id,
            question_id=xw.question("VIS-1.1").id,
            value="2",
            comment="Seen",
        )
    )
    db.session.commit()
    xw.sign_in(client, xw.coordinator)
    assert (
        "Download as a workbook"
        in client.get(f"/alliances/{xw.alliance.slug}/assessments/{xw.assessment.id}/").text
    )
    book = xw.download(
        client, f"/alliances/{xw.alliance.slug}/assessments/{xw.assessment.id}/workbook.xlsx"
    )
    vis = book["VIS"]
    row = xw.row_of(vis, "VIS-1.1")
    assert (vis[f"C{row}"].value, vis[f"D{row}"].value) == ("2", "Seen")


def test_the_assessment_page_links_to_the_workbook(xw, client):
    xw.sign_in(client, xw.user)
    assert f"{xw.base}/workbook" in client.get(f"{xw.base}/").text
    page = client.get(f"{xw.base}/workbook")
    assert f"{xw.base}/workbook.xlsx" in page.text and 'type="file"' in page.text


def test_an_upload_confirms_carried_over_answers_it_shows(xw, client):
    """A workbook shows carried-over answers; uploading it as it is confirms them (someone has
    looked at them this cycle), as saving their section would, and audits that."""
    from sqlalchemy import select

    from selfassess.extensions import db
    from selfassess.models import Answer

    carried = xw.question("GOV-1.1")
    db.session.add(
        Answer(
            assessment_id=xw.assessment.id,
            question_id=carried.id,
            value="3",
            comment="From last cycle",
            carried_over=True,
        )
    )
    db.session.commit()
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    assert xw.upload(client, xw.to_bytes(book)).status_code == 302
    db.session.expire_all()
    row = db.session.scalars(
        select(Answer).where(
            Answer.assessment_id == xw.assessment.id, Answer.question_id == carried.id
        )
    ).one()
    assert (row.value, row.comment, row.carried_over) == ("3", "From last cycle", False)
    (event,) = xw.audit()
    assert event.before["answers"]["GOV-1.1"] == {"carried_over": True}
    assert event.after["answers"]["GOV-1.1"] == {"carried_over": False}
