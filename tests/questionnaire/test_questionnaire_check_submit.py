"""Check your answers, submit, and the read-only pages afterwards."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import update

from selfassess.extensions import db
from selfassess.models import Assessment, Cycle, Membership


def _submit(qa, client):
    token = qa.csrf_of(client.get(qa.url() + "check").text)
    return client.post(f"{qa.base}/submit", data={"csrf_token": token})


def _answer_everything(qa, client):
    for section in qa.SECTIONS:
        qa.answer_all(client, section)


def _set(model, row_id, **values):
    db.session.execute(update(model).where(model.id == row_id).values(**values))
    db.session.commit()


def test_submit_with_blanks_lists_them_with_links_to_their_questions(qa, client):
    qa.sign_in(client, qa.user)
    qa.answer_all(client, "REL")  # one section done, the others blank
    response = _submit(qa, client)
    assert response.status_code == 400
    assert "<title>Error:" in response.text
    summary = BeautifulSoup(response.text, "html.parser").find(class_="nhsuk-error-summary")
    links = summary.find_all("a")
    required_blank = [q for s in qa.SECTIONS[1:] for q in qa.section_questions(s) if q.required]
    assert len(links) == len(required_blank)
    assert f"{len(required_blank)} required questions are not answered" in summary.get_text()
    pages: dict[str, BeautifulSoup] = {}
    for link in links:
        path, anchor = link["href"].split("#")
        code = link.get_text(strip=True).split(":")[0].removeprefix("Answer ")
        question = qa.question(code)
        section = path.rsplit("/", 1)[1]
        assert path == qa.url(section)
        assert question in qa.section_questions(section)
        assert anchor == f"q-{question.id}"
        if section not in pages:
            pages[section] = BeautifulSoup(client.get(path).text, "html.parser")
        assert pages[section].find(id=anchor) is not None, link["href"]
    assert "REL" not in pages
    assert qa.fresh_assessment().state == "in_progress"
    assert qa.audit("assessment.submit") == []


def test_optional_blank_questions_do_not_block_submission(qa, client):
    qa.sign_in(client, qa.user)
    for section in qa.SECTIONS:
        data = qa.load(client, section)
        for q in qa.section_questions(section):
            if q.required:
                data[qa.a(q)] = qa.ANSWER_BY_KIND[q.kind]
        assert qa.post(client, section, data).status_code == 302
    check = client.get(qa.url() + "check").text
    assert "(required)" not in check
    assert _submit(qa, client).status_code == 302


def test_check_page_shows_answers_as_people_read_them(qa, client):
    qa.sign_in(client, qa.user)
    maturity, yes_no, metric = (qa.question(c) for c in ("REL-1.1", "REL-1.2", "MET-1.1"))
    data = qa.load(client, "REL")
    data.update({qa.a(maturity): "3", qa.c(maturity): "Exec diary", qa.a(yes_no): "no"})
    qa.post(client, "REL", data)
    data = qa.load(client, "MET")
    data[qa.a(metric)] = "92.5"
    qa.post(client, "MET", data)
    page = client.get(qa.url() + "check")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    rows = {
        row.dt.get_text(" ", strip=True).split()[0]: row.dd.get_text(" ", strip=True)
        for row in soup.find_all("div", class_="summary-row")
    }
    assert rows["REL-1.1"].startswith(f"Level 3: {maturity.options['levels']['3']}")
    assert "Evidence: Exec diary" in rows["REL-1.1"]
    assert rows["REL-1.2"] == "No"
    assert rows["MET-1.1"] == "92.5%"
    assert rows["REL-1.3"] == "Not answered (required)"
    assert rows["MET-1.2"] == "Not answered"  # optional
    changes = [a["href"] for a in soup.find_all("a") if a.get_text().startswith("Change")]
    assert [c for c in changes if "#" not in c] == [qa.url(s) for s in qa.SECTIONS]
    # and one Change link per answer, to its question on its section's page
    per_answer = [c for c in changes if "#q-" in c]
    assert len(per_answer) == len(soup.find_all("div", class_="summary-row"))
    assert all(c.split("#")[0] in {qa.url(s) for s in qa.SECTIONS} for c in per_answer)


def test_submitting_makes_everything_read_only(qa, client):
    qa.sign_in(client, qa.user)
    _answer_everything(qa, client)
    version = qa.fresh_assessment().version
    response = _submit(qa, client)
    assert response.status_code == 302
    assert response.headers["Location"] == qa.url()
    assessment = qa.fresh_assessment()
    assert assessment.state == "submitted"
    assert assessment.submitted_by_id == qa.user.id
    assert assessment.version == version + 1
    [event] = qa.audit("assessment.submit")
    assert event.after["state"] == "submitted"
    overview = client.get(qa.url()).text
    assert "Your self-assessment has been submitted" in overview
    assert "It can no longer be changed" in overview
    assert "Check your answers" not in overview

    stored_before = {code: (a.value, a.comment) for code, a in qa.stored().items()}
    section = client.get(qa.url("REL"))
    assert section.status_code == 200
    soup = BeautifulSoup(section.text, "html.parser")
    assert soup.find("form", class_="section-form") is None
    assert soup.find("input", attrs={"name": qa.a(qa.question("REL-1.2"))}) is None
    question = soup.find(id=f"q-{qa.question('REL-1.1').id}")
    assert question.p.get_text(strip=True).startswith("Level 3:")
    assert "Next section" in section.text

    # A page loaded before submitting, saved afterwards: refused, nothing changes.
    data = {
        "csrf_token": qa.csrf_of(client.get(qa.url() + "check").text),
        "seen": "{}",
        qa.a(qa.question("REL-1.1")): "1",
    }
    refused = client.post(qa.url("REL"), data={**data, "action": "later"})
    assert refused.status_code == 409
    assert {code: (a.value, a.comment) for code, a in qa.stored().items()} == stored_before
    assert qa.fresh_assessment().version == version + 1
    assert len(qa.audit()) == len(qa.SECTIONS)

    again = client.post(f"{qa.base}/submit", data={"csrf_token": data["csrf_token"]})
    assert again.status_code == 409
    copy = client.post(f"{qa.base}/copy-forward", data={"csrf_token": data["csrf_token"]})
    assert copy.status_code == 409
    check = client.get(qa.url() + "check").text
    assert "Submit self-assessment" not in check
    assert "Your answers" in check


def test_a_save_racing_a_submit_is_refused(qa, client):
    qa.sign_in(client, qa.user)
    _answer_everything(qa, client)
    data = qa.load(client, "REL")
    assert _submit(qa, client).status_code == 302
    data[qa.a(qa.question("REL-1.1"))] = "1"
    assert qa.post(client, "REL", data).status_code == 409
    assert qa.stored()["REL-1.1"].value == "3"


def test_validated_assessments_are_read_only(qa, client):
    qa.sign_in(client, qa.user)
    _set(Assessment, qa.assessment.id, state="validated")
    page = client.get(qa.url("GOV"))
    assert page.status_code == 200
    assert 'class="section-form"' not in page.text
    token = qa.csrf_of(client.get(qa.url()).text)
    response = client.post(qa.url("GOV"), data={"csrf_token": token, "action": "later"})
    assert response.status_code == 409
    assert qa.stored() == {}
    assert qa.fresh_assessment().version == 1


def test_a_closed_cycle_cannot_be_changed_or_submitted(qa, client):
    qa.sign_in(client, qa.user)
    data = qa.load(client, "REL")
    token = data["csrf_token"]
    _set(Cycle, qa.cycle.id, state="closed")
    assert 'class="section-form"' not in client.get(qa.url("REL")).text
    data[qa.a(qa.question("REL-1.1"))] = "3"
    assert qa.post(client, "REL", data).status_code == 409
    assert qa.stored() == {}
    refused = client.post(f"{qa.base}/submit", data={"csrf_token": token})
    assert refused.status_code == 409
    assert "The cycle is not open" in refused.text
    assert (
        "The cycle is closed, so this self-assessment cannot be changed"
        in client.get(qa.url()).text
    )


def test_a_returned_assessment_can_be_changed_and_resubmitted(qa, client):
    qa.sign_in(client, qa.user)
    _answer_everything(qa, client)
    assert _submit(qa, client).status_code == 302
    _set(Assessment, qa.assessment.id, state="returned", return_comment="Add the MoU")
    overview = client.get(qa.url()).text
    assert "Returned for revision" in overview and "Add the MoU" in overview
    data = qa.load(client, "GOV")
    q = qa.section_questions("GOV")[0]
    data[qa.c(q)] = "MoU signed 1 May"
    assert qa.post(client, "GOV", data).status_code == 302
    assert qa.stored()[q.code].comment == "MoU signed 1 May"
    event = qa.audit()[-1]
    assert event.before["state"] == event.after["state"] == "returned"
    assert _submit(qa, client).status_code == 302
    assert qa.fresh_assessment().state == "submitted"


def test_a_trust_that_left_the_alliance_keeps_a_read_only_record(qa, client):
    """A member that has left can read its open-cycle draft but no longer change it."""
    qa.sign_in(client, qa.user)
    data = qa.load(client, "REL")
    _set(Membership, qa.assessment.membership_id, active=False)
    page = client.get(qa.url("REL"))
    assert page.status_code == 200
    assert 'class="section-form"' not in page.text
    data[qa.a(qa.question("REL-1.1"))] = "3"
    assert qa.post(client, "REL", data).status_code == 409
    assert qa.stored() == {}
