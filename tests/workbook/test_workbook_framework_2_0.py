"""The offline workbook on framework 2.0: members' questions only, criteria described as gates,
and an upload saves exactly what the section pages would."""

from __future__ import annotations

import re

from selfassess.questionbank.kinds import AnsweredBy
from tests.workbook.conftest import World


def _codes_in(book) -> set[str]:  # type: ignore[no-untyped-def]
    found = set()
    for sheet in book.worksheets:
        for row in range(5, sheet.max_row + 1):
            value = sheet[f"A{row}"].value
            if isinstance(value, str) and re.fullmatch(r"[A-Z]+-\d+\.\w+", value):
                found.add(value)
    return found


def test_the_workbook_holds_the_members_questions_and_no_alliance_fact(xw2: World, client):
    xw2.sign_in(client, xw2.user)
    codes = _codes_in(xw2.download(client))
    questions = xw2.questions()
    facts = {q.code for q in questions if q.answered_by == AnsweredBy.MEMBER.value} ^ {
        q.code for q in questions
    }
    members = {q.code for q in questions if q.answered_by == AnsweredBy.MEMBER.value}
    assert facts, "framework 2.0 has alliance facts"
    assert codes == members
    assert not codes & facts


def test_a_criterion_row_says_it_caps_the_standard(xw2: World, client):
    xw2.sign_in(client, xw2.user)
    book = xw2.download(client)
    criterion = next(q for q in xw2.questions() if q.options.get("gates_level"))
    sheet = book[criterion.code.split("-")[0]]
    row = xw2.row_of(sheet, criterion.code)
    cells = " ".join(str(c.value) for c in sheet[row] if c.value is not None)
    level = criterion.options["gates_level"]
    assert (
        f"Evidence for level {level}: no (or no answer) caps the standard at level {level - 1}"
        in cells
    )


def test_an_upload_saves_a_criterion_and_refuses_an_alliance_fact_row(xw2: World, client):
    xw2.sign_in(client, xw2.user)
    book = xw2.download(client)
    criterion = next(q for q in xw2.questions() if q.options.get("gates_level"))
    xw2.set_answer(book, criterion.code, "yes", "Board minutes, March")
    response = xw2.upload(client, xw2.to_bytes(book))
    assert response.status_code == 302, response.text
    assert xw2.stored()[criterion.code] == ("yes", "Board minutes, March")

    fact = next(q for q in xw2.questions() if q.answered_by == AnsweredBy.ALLIANCE.value)
    book = xw2.download(client)
    sheet = book[fact.code.split("-")[0]]
    sheet.append([fact.code, fact.text, "yes"])
    refused = xw2.upload(client, xw2.to_bytes(book))
    assert refused.status_code == 400
    assert fact.code in refused.text
    assert fact.code not in xw2.stored()
