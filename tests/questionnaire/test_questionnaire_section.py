"""A section page: what it shows, and what saving it stores and audits."""

from __future__ import annotations

from bs4 import BeautifulSoup

from selfassess.extensions import db
from selfassess.models import Answer, AuditEvent


def test_section_page_shows_levels_guidance_and_evidence_fields(qa, client):
    qa.sign_in(client, qa.user)
    response = client.get(qa.url("REL"))
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text(strip=True) == "Relationships"
    q = qa.question("REL-1.1")
    # Each level of a maturity question: the scale's name and the question's own descriptor.
    labels = [page.find("label", attrs={"for": f"{qa.a(q)}-{i}"}) for i in range(5)]
    assert all(labels)
    assert "Level 1 \N{EN DASH} Not started" in labels[0].get_text()
    assert "Level 3 \N{EN DASH} Developing" in labels[2].get_text()
    assert q.options["levels"]["1"] in labels[0].get_text()
    assert q.options["levels"]["5"] in labels[4].get_text()
    assert [i["value"] for i in page.find_all("input", attrs={"name": qa.a(q)})] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    # Guidance for the standard and for the question.
    assert "Successful long-term collaborations come from strong relationships" in response.text
    assert page.find(id=f"{qa.a(q)}-hint").get_text(strip=True).startswith("Good evidence")
    # Yes/no radios, a text area for free text, an evidence comment for every question.
    yes_no = qa.question("REL-1.2")
    assert [i["value"] for i in page.find_all("input", attrs={"name": qa.a(yes_no)})] == [
        "yes",
        "no",
    ]
    questions = qa.section_questions("REL")
    assert len(questions) > 5
    for question in questions:
        assert page.find(id=f"q-{question.id}") is not None
        comment = page.find("textarea", attrs={"name": qa.c(question)})
        assert comment is not None
        label = page.find("label", attrs={"for": qa.c(question)})
        assert f"Evidence and comments for {question.code}" in label.get_text()
        if question.kind == "text":
            assert page.find("textarea", attrs={"name": qa.a(question)}) is not None
    buttons = {b["value"] for b in page.find_all("button", attrs={"name": "action"})}
    # Save and continue, save and come back later, and each question's "save and add evidence".
    assert buttons == {"continue", "later"} | {f"evidence:{q.code}" for q in questions}
    assert page.find("input", attrs={"name": "seen"}) is not None


def test_metric_questions_get_a_number_box_with_unit(qa, client):
    qa.sign_in(client, qa.user)
    response = client.get(qa.url("MET"))
    page = BeautifulSoup(response.text, "html.parser")
    q = qa.question("MET-1.1")
    box = page.find("input", attrs={"name": qa.a(q)})
    assert box["type"] == "text" and box["inputmode"] == "decimal"
    assert box.find_next_sibling(class_="nhsuk-input-wrapper__suffix").get_text(strip=True) == "%"


def test_unknown_section_and_other_trusts_are_refused(
    qa, client, make_trust, make_user, make_alliance, make_membership
):
    qa.sign_in(client, qa.user)
    assert client.get(qa.url("NOPE")).status_code == 404
    assert client.get(f"/trusts/{qa.trust.code}/assessments/999999/sections/REL").status_code == 404
    other = make_trust()
    make_membership(make_alliance(), other)
    outsider = make_user(("trust_user", other))
    client.post("/auth/sign-out", data={"csrf_token": qa.load(client, "REL")["csrf_token"]})
    qa.sign_in(client, outsider)
    assert client.get(qa.url("REL")).status_code == 403
    assert client.post(qa.url("REL"), data={"action": "later"}).status_code == 403
    # The outsider's own trust code with our assessment id is as good as missing.
    assert (
        client.get(f"/trusts/{other.code}/assessments/{qa.assessment.id}/sections/REL").status_code
        == 404
    )
    assert qa.answer_count() == 0


def test_saving_stores_answers_and_comments_and_audits_them(qa, client):
    qa.sign_in(client, qa.user)
    maturity, yes_no, text = (qa.question(c) for c in ("REL-1.1", "REL-1.2", "REL-3.3"))
    assert text.kind == "text"
    data = qa.load(client, "REL")
    data[qa.a(maturity)] = "3"
    data[qa.c(maturity)] = "  Exec meeting schedule  "
    data[qa.a(yes_no)] = "no"
    data[qa.a(text)] = "We share a\nprogramme office."
    response = qa.post(client, "REL", data, action="later")
    assert response.status_code == 302
    assert response.headers["Location"] == qa.url()

    stored = qa.stored()
    assert set(stored) == {"REL-1.1", "REL-1.2", "REL-3.3"}
    assert (stored["REL-1.1"].value, stored["REL-1.1"].comment) == ("3", "Exec meeting schedule")
    assert (stored["REL-1.2"].value, stored["REL-1.2"].comment) == ("no", None)
    assert stored["REL-3.3"].value.replace("\r\n", "\n") == "We share a\nprogramme office."
    assert {a.updated_by_id for a in stored.values()} == {qa.user.id}
    assert not any(a.carried_over for a in stored.values())
    assessment = qa.fresh_assessment()
    assert assessment.version == 2
    assert assessment.state == "in_progress"

    [event] = qa.audit()
    assert (event.entity_type, event.entity_id) == ("assessment", qa.assessment.id)
    assert event.actor_id == qa.user.id
    assert (event.trust_id, event.alliance_id) == (qa.trust.id, qa.alliance.id)
    assert event.before == {
        "section": "REL",
        "state": "not_started",
        "answers": {
            "REL-1.1": {"value": None, "comment": None},
            "REL-1.2": {"value": None, "comment": None},
            "REL-3.3": {"value": None, "comment": None},
        },
    }
    assert event.after["section"] == "REL"
    assert event.after["state"] == "in_progress"
    assert event.after["version"] == 2
    assert event.after["answers"]["REL-1.1"] == {"value": "3", "comment": "Exec meeting schedule"}
    assert event.after["answers"]["REL-1.2"] == {"value": "no", "comment": None}
    assert set(event.after["answers"]) == {"REL-1.1", "REL-1.2", "REL-3.3"}


def test_saved_answers_are_shown_back_with_who_saved_them(qa, client):
    qa.sign_in(client, qa.user)
    maturity, yes_no, text = (qa.question(c) for c in ("REL-1.1", "REL-1.2", "REL-3.3"))
    data = qa.load(client, "REL")
    data.update(
        {
            qa.a(maturity): "4",
            qa.c(maturity): "Coaching notes",
            qa.a(yes_no): "yes",
            qa.a(text): "Shared PMO",
            qa.c(text): "See annex",
        }
    )
    assert qa.post(client, "REL", data).status_code == 302
    response = client.get(qa.url("REL"))
    shown = qa.form_data(response.text)
    assert shown[qa.a(maturity)] == "4"
    assert shown[qa.c(maturity)] == "Coaching notes"
    assert shown[qa.a(yes_no)] == "yes"
    assert shown[qa.a(text)] == "Shared PMO"
    assert shown[qa.c(text)] == "See annex"
    assert qa.a(qa.question("REL-1.3")) not in shown  # nothing checked for an unanswered radio
    page = BeautifulSoup(response.text, "html.parser")
    saved_by = page.find(id=f"q-{maturity.id}").find(class_="saved-by")
    assert "Last saved by Alice Adams" in saved_by.get_text()


def test_saving_writes_only_changed_answers(qa, client):
    qa.sign_in(client, qa.user)
    first, second = qa.question("REL-1.1"), qa.question("REL-1.2")
    data = qa.load(client, "REL")
    data.update({qa.a(first): "2", qa.a(second): "yes"})
    qa.post(client, "REL", data)
    before = qa.stored()
    untouched_at = before["REL-1.2"].updated_at

    # Saving the page unchanged stores nothing, audits nothing and keeps the version.
    data = qa.load(client, "REL")
    assert qa.post(client, "REL", data).status_code == 302
    assert len(qa.audit()) == 1
    assert qa.fresh_assessment().version == 2

    data[qa.a(first)] = "5"
    assert qa.post(client, "REL", data).status_code == 302
    after = qa.stored()
    assert after["REL-1.1"].value == "5"
    assert after["REL-1.2"].updated_at == untouched_at
    events = qa.audit()
    assert len(events) == 2
    assert events[1].before["answers"] == {"REL-1.1": {"value": "2", "comment": None}}
    assert events[1].after["answers"] == {"REL-1.1": {"value": "5", "comment": None}}
    assert events[1].before["state"] == events[1].after["state"] == "in_progress"
    assert qa.fresh_assessment().version == 3


def test_clearing_an_answer_stores_it_blank(qa, client):
    qa.sign_in(client, qa.user)
    q = qa.question("REL-1.1")
    data = qa.load(client, "REL")
    data.update({qa.a(q): "2", qa.c(q): "note"})
    qa.post(client, "REL", data)
    data = qa.load(client, "REL")
    del data[qa.a(q)]  # a radio cannot be unticked in a browser, but the comment can be cleared
    data[qa.c(q)] = ""
    assert qa.post(client, "REL", data).status_code == 302
    answer = qa.stored()["REL-1.1"]
    assert (answer.value, answer.comment) == (None, None)
    assert qa.audit()[-1].after["answers"] == {"REL-1.1": {"value": None, "comment": None}}
    assert "Not answered" in client.get(qa.url() + "check").text


def test_metric_answers_are_stored_as_plain_numbers(qa, client):
    qa.sign_in(client, qa.user)
    metric, pounds = qa.question("MET-1.1"), qa.question("MET-4.2")
    data = qa.load(client, "MET")
    data.update({qa.a(metric): " 92.50 % ", qa.a(pounds): "12,500"})
    assert qa.post(client, "MET", data).status_code == 302
    stored = qa.stored()
    assert stored["MET-1.1"].value == "92.5"
    assert stored["MET-4.2"].value == "12500"
    shown = qa.load(client, "MET")
    assert shown[qa.a(metric)] == "92.5"
    # Saving the shown value again is no change.
    assert qa.post(client, "MET", shown).status_code == 302
    assert len(qa.audit()) == 1


def test_tiny_metric_values_can_be_saved_again(qa, client):
    qa.sign_in(client, qa.user)
    metric = qa.question("MET-1.1")
    data = qa.load(client, "MET")
    data[qa.a(metric)] = "0.0000001"
    assert qa.post(client, "MET", data).status_code == 302
    shown = qa.load(client, "MET")
    assert shown[qa.a(metric)] == "0.0000001"
    assert qa.post(client, "MET", shown).status_code == 302


def test_save_buttons_go_to_the_next_section_or_check_page(qa, client):
    qa.sign_in(client, qa.user)
    for section, following in zip(
        ["REL", "VIS", "GOV", "DATA"], ["VIS", "GOV", "DATA", "MET"], strict=True
    ):
        response = qa.post(client, section, qa.load(client, section), action="continue")
        assert response.headers["Location"] == qa.url(following)
    response = qa.post(client, "MET", qa.load(client, "MET"), action="continue")
    assert response.headers["Location"] == qa.url() + "check"
    response = qa.post(client, "GOV", qa.load(client, "GOV"), action="later")
    assert response.headers["Location"] == qa.url()
    # Saving a page unchanged moves on but stores nothing and leaves the state alone.
    assert db.session.query(AuditEvent).filter_by(action="assessment.answers_saved").count() == 0
    assert qa.fresh_assessment().state == "not_started"


def test_the_saved_message_and_task_list_progress(qa, client):
    qa.sign_in(client, qa.user)
    data = qa.load(client, "REL")
    data[qa.a(qa.question("REL-1.1"))] = "3"
    response = qa.post(client, "REL", data)
    page = client.get(response.headers["Location"]).text
    assert "Your answers to Relationships have been saved." in page
    soup = BeautifulSoup(page, "html.parser")
    first = soup.find("li", class_="task-list-item")
    assert "Relationships" in first.get_text()
    assert "1 of" in first.find(class_="task-detail").get_text()
    assert first.find(class_="task-status").get_text(strip=True) == "In progress"


def test_section_queries_do_not_grow_with_questions_or_answers(qa, client):
    from tests.conftest import count_queries

    qa.sign_in(client, qa.user)
    counts = {}
    for section in ("REL", "MET"):
        with count_queries() as queries:
            client.get(qa.url(section))
        counts[section] = len(queries)
        qa.answer_all(client, section)
        with count_queries() as queries:
            client.get(qa.url(section))
        counts[section + " answered"] = len(queries)
    # REL has 16 questions: one query per question or answer would show well above this.
    assert max(counts.values()) <= 20, counts
    data = qa.load(client, "REL")
    for q in qa.section_questions("REL"):
        data[qa.c(q)] = f"Evidence for {q.code}"
    with count_queries() as queries:
        assert qa.post(client, "REL", data).status_code == 302
    reads = [q for q in queries if not q.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert len(reads) <= 25


def test_saving_a_section_unchanged_leaves_legacy_metric_values_alone(qa, client):
    """Issue #13, finding 9: "100.0" and "1093.0" stored (as the demo stored them) are the
    numbers the page shows; saving the page unchanged writes and audits nothing."""
    for code, value in (("MET-1.1", "100.0"), ("MET-4.2", "1093.0")):
        db.session.add(
            Answer(
                assessment_id=qa.assessment.id,
                question_id=qa.question(code).id,
                value=value,
                updated_by_id=qa.colleague.id,
            )
        )
    db.session.commit()
    version = qa.fresh_assessment().version
    qa.sign_in(client, qa.user)
    data = qa.load(client, "MET")
    assert data[qa.a(qa.question("MET-1.1"))] == "100"
    data[qa.a(qa.question("MET-4.2"))] = "1093.0"  # typed as it was stored: the same number
    assert qa.post(client, "MET", data).status_code == 302
    stored = qa.stored()
    assert (stored["MET-1.1"].value, stored["MET-4.2"].value) == ("100.0", "1093.0")
    assert stored["MET-1.1"].updated_by_id == qa.colleague.id
    assert qa.audit() == []
    assert qa.fresh_assessment().version == version


def test_control_characters_typed_into_an_answer_are_dropped(qa, client):
    """They cannot go into a workbook or an export; nobody means them."""
    qa.sign_in(client, qa.user)
    question = qa.question("GOV-1.1")
    data = qa.load(client, "GOV")
    data.update({qa.a(question): "3", qa.c(question): "Minutes\x0b page\x01 4"})
    assert qa.post(client, "GOV", data).status_code == 302
    assert qa.stored()["GOV-1.1"].comment == "Minutes page 4"
    again = qa.load(client, "GOV")
    assert qa.post(client, "GOV", again).status_code == 302
    assert len(qa.audit()) == 1
