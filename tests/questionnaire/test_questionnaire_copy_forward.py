"""Copying last cycle's answers into this cycle's blank questions, and confirming them."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup
from sqlalchemy import select, update

from selfassess.extensions import db
from selfassess.models import Answer, Assessment, Cycle, SnapshotQuestion
from selfassess.questionnaire import services


def _previous(qa) -> Assessment:
    """Last year's validated assessment: every question answered except REL-1.3 (blank row) and
    REL-1.2 (a comment only)."""
    cycle = Cycle(
        alliance_id=qa.alliance.id,
        name="2025/26",
        snapshot_id=qa.cycle.snapshot_id,
        opens_on=date(2025, 4, 1),
        closes_on=date(2025, 9, 30),
        state="closed",
    )
    db.session.add(cycle)
    db.session.flush()
    previous = Assessment(cycle_id=cycle.id, membership_id=qa.membership.id, state="validated")
    db.session.add(previous)
    db.session.flush()
    for q in db.session.scalars(
        select(SnapshotQuestion).where(SnapshotQuestion.snapshot_id == qa.cycle.snapshot_id)
    ):
        value, comment = qa.ANSWER_BY_KIND[q.kind], f"Last year {q.code}"
        if q.code == "REL-1.3":
            value = comment = None
        elif q.code == "REL-1.2":
            value = None
        db.session.add(
            Answer(
                assessment_id=previous.id,
                question_id=q.id,
                value=value,
                comment=comment,
                updated_by_id=qa.colleague.id,
            )
        )
    db.session.commit()
    return previous


def _copy(qa, client):
    page = client.get(qa.url())
    form = BeautifulSoup(page.text, "html.parser").find("form", action=f"{qa.base}/copy-forward")
    assert form is not None, "no copy forward button"
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    return client.post(f"{qa.base}/copy-forward", data={"csrf_token": token})


def test_copy_forward_fills_only_blank_questions(qa, client):
    previous = _previous(qa)
    qa.sign_in(client, qa.user)
    mine = qa.question("REL-1.1")
    data = qa.load(client, "REL")
    data.update({qa.a(mine): "1", qa.c(mine): "This year's view"})
    qa.post(client, "REL", data)
    assert "Copy answers from 2025/26" in client.get(qa.url()).text

    response = _copy(qa, client)
    assert response.status_code == 302
    total = db.session.query(SnapshotQuestion).filter_by(snapshot_id=qa.cycle.snapshot_id).count()
    copied = total - 2  # REL-1.1 was answered; REL-1.3 was blank last year
    page = client.get(response.headers["Location"]).text
    assert f"{copied} answers were copied from your previous self-assessment" in page
    assert f"{copied} answers are carried over from your previous self-assessment" in page

    stored = qa.stored()
    assert len(stored) == total - 1
    assert (stored["REL-1.1"].value, stored["REL-1.1"].comment) == ("1", "This year's view")
    assert not stored["REL-1.1"].carried_over
    assert "REL-1.3" not in stored
    assert (stored["REL-1.2"].value, stored["REL-1.2"].comment) == (None, "Last year REL-1.2")
    for code, answer in stored.items():
        if code != "REL-1.1":
            assert answer.carried_over, code
            assert answer.updated_by_id == qa.user.id
            assert answer.comment == f"Last year {code}"
    assert stored["GOV-1.1"].value == qa.ANSWER_BY_KIND[qa.question("GOV-1.1").kind]

    [event] = qa.audit("assessment.copied_forward")
    assert event.actor_id == qa.user.id
    assert event.before == {"state": "in_progress"}
    assert event.after["from_assessment"] == previous.id
    assert event.after["from_cycle"] == "2025/26"
    assert len(event.after["questions"]) == copied
    assert "REL-1.1" not in event.after["questions"]
    assert "REL-1.3" not in event.after["questions"]
    assert qa.fresh_assessment().version == 3
    assert len(qa.stored(previous)) == total  # last year's answers are untouched
    assert qa.fresh_assessment(previous).state == "validated"

    # The offer goes once everything it could fill is filled; a replayed copy finds nothing.
    page = client.get(qa.url()).text
    assert "Copy answers from 2025/26" not in page
    again = client.post(f"{qa.base}/copy-forward", data={"csrf_token": qa.csrf_of(page)})
    assert "There were no previous answers to copy" in client.get(again.headers["Location"]).text
    assert len(qa.audit("assessment.copied_forward")) == 1
    assert qa.fresh_assessment().version == 3


def test_copy_forward_moves_a_new_assessment_to_in_progress(qa, client):
    _previous(qa)
    qa.sign_in(client, qa.user)
    assert _copy(qa, client).status_code == 302
    assert qa.fresh_assessment().state == "in_progress"
    [event] = qa.audit("assessment.copied_forward")
    assert event.before == {"state": "not_started"}
    assert event.after["state"] == "in_progress"


def test_submit_waits_until_carried_over_answers_are_confirmed(qa, client):
    _previous(qa)
    qa.sign_in(client, qa.user)
    _copy(qa, client)
    token = qa.csrf_of(client.get(qa.url() + "check").text)
    blocked = client.post(f"{qa.base}/submit", data={"csrf_token": token})
    assert blocked.status_code == 400
    assert "carried over from your previous self-assessment and not yet confirmed" in blocked.text
    links = (
        BeautifulSoup(blocked.text, "html.parser").find(class_="nhsuk-error-summary").find_all("a")
    )
    checks = [a for a in links if a.get_text(strip=True).startswith("Check ")]
    assert len(checks) == len(qa.stored())  # every copied answer, nothing else stored
    rel = {q.id for q in qa.section_questions("REL")}
    rel_links = [a["href"] for a in checks if "REL-" in a.get_text()]
    assert rel_links
    for href in rel_links:
        path, anchor = href.split("#")
        assert path == qa.url("REL")
        assert int(anchor.removeprefix("q-")) in rel
    assert qa.fresh_assessment().state == "in_progress"

    # The section page says which answers are carried over.
    section = client.get(qa.url("REL")).text
    carried_in_rel = sum(1 for a in qa.stored().values() if a.carried_over and a.question_id in rel)
    assert (
        f"{carried_in_rel} answers in this section were carried over from your previous "
        "self-assessment"
    ) in section
    assert section.count("Carried over from your previous self-assessment") == carried_in_rel

    # Saving a section as shown confirms what it showed, and audits that.
    version = qa.fresh_assessment().version
    data = qa.form_data(section)
    data[qa.a(qa.question("REL-1.3"))] = "yes"  # blank last year; required now
    data[qa.a(qa.question("REL-1.2"))] = "no"  # only a comment last year
    assert qa.post(client, "REL", data).status_code == 302
    stored = qa.stored()
    assert not any(a.carried_over for a in stored.values() if a.question_id in rel)
    assert any(a.carried_over for a in stored.values() if a.question_id not in rel)
    event = qa.audit()[-1]
    assert event.before["answers"]["REL-2.1"] == {"carried_over": True}
    assert event.after["answers"]["REL-2.1"] == {"carried_over": False}
    assert event.after["answers"]["REL-1.3"] == {"value": "yes", "comment": None}
    assert qa.fresh_assessment().version == version + 1
    assert "Carried over from your previous" not in client.get(qa.url("REL")).text

    blocked = client.post(f"{qa.base}/submit", data={"csrf_token": token})
    assert blocked.status_code == 400
    assert (
        "REL-"
        not in BeautifulSoup(blocked.text, "html.parser")
        .find(class_="nhsuk-error-summary")
        .get_text()
    )

    for section_code in qa.SECTIONS[1:]:
        assert qa.post(client, section_code, qa.load(client, section_code)).status_code == 302
    assert not any(a.carried_over for a in qa.stored().values())
    done = client.post(f"{qa.base}/submit", data={"csrf_token": token})
    assert done.status_code == 302
    assert qa.fresh_assessment().state == "submitted"


def test_changing_a_carried_over_answer_confirms_it(qa, client):
    _previous(qa)
    qa.sign_in(client, qa.user)
    _copy(qa, client)
    q = qa.question("REL-2.1")
    data = qa.load(client, "REL")
    data[qa.a(q)] = "5"
    qa.post(client, "REL", data)
    answer = qa.stored()["REL-2.1"]
    assert (answer.value, answer.carried_over) == ("5", False)
    assert qa.audit()[-1].after["answers"]["REL-2.1"] == {
        "value": "5",
        "comment": "Last year REL-2.1",
    }


def test_answers_copied_after_the_page_was_loaded_are_not_confirmed(qa, app, client):
    _previous(qa)
    bob = app.test_client()
    qa.sign_in(bob, qa.colleague)
    bobs_page = qa.load(bob, "REL")  # loaded before anything was copied
    qa.sign_in(client, qa.user)
    _copy(qa, client)
    bobs_page[qa.a(qa.question("REL-1.3"))] = "no"
    assert qa.post(bob, "REL", bobs_page).status_code == 302
    stored = qa.stored()
    assert stored["REL-1.3"].value == "no"
    assert stored["REL-2.1"].carried_over  # Bob never saw it
    assert stored["REL-2.1"].value == qa.ANSWER_BY_KIND["maturity"]  # and did not blank it


def test_without_a_previous_assessment_there_is_nothing_to_copy(qa, client):
    qa.sign_in(client, qa.user)
    page = client.get(qa.url()).text
    assert "Copy answers from" not in page
    token = qa.csrf_of(page)
    response = client.post(f"{qa.base}/copy-forward", data={"csrf_token": token})
    assert response.status_code == 302
    assert qa.answer_count() == 0
    assert qa.audit("assessment.copied_forward") == []
    assert qa.fresh_assessment().state == "not_started"


def test_copy_forward_needs_a_csrf_token(qa, client):
    _previous(qa)
    qa.sign_in(client, qa.user)
    assert client.post(f"{qa.base}/copy-forward").status_code == 400
    assert qa.stored() == {}


def test_copy_forward_reads_the_assessment_after_locking_it(qa):
    """The locked re-read must not use a copy loaded earlier in the same transaction: the
    version count and the state check have to see what others committed meanwhile."""
    _previous(qa)
    assessment = db.session.get(Assessment, qa.assessment.id)
    assert assessment.version == 1
    # Someone else's save lands after this request loaded the assessment.
    db.session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id)
        .values(version=7, state="in_progress")
        .execution_options(synchronize_session=False)
    )
    assert services.copy_forward(assessment, qa.user) > 0
    assert qa.fresh_assessment().version == 8


def test_copy_forward_is_refused_once_submitted(qa, client):
    _previous(qa)
    qa.sign_in(client, qa.user)
    token = qa.csrf_of(client.get(qa.url()).text)
    db.session.execute(
        update(Assessment).where(Assessment.id == qa.assessment.id).values(state="submitted")
    )
    db.session.commit()
    response = client.post(f"{qa.base}/copy-forward", data={"csrf_token": token})
    assert response.status_code == 409
    assert qa.stored() == {}


def _task_statuses(page: str) -> dict[str, str]:
    soup = BeautifulSoup(page, "html.parser")
    return {
        item.select_one(".task-name").get_text(strip=True): item.select_one(
            ".task-status"
        ).get_text(strip=True)
        for item in soup.select(".task-list-item")
    }


def test_copied_answers_are_to_check_not_completed_until_their_section_is_saved(qa, client):
    _previous(qa)
    qa.sign_in(client, qa.user)
    offer = client.get(qa.url()).text
    total = db.session.query(SnapshotQuestion).filter_by(snapshot_id=qa.cycle.snapshot_id).count()
    assert f"You can copy {total - 1} answers from the 2025/26 self-assessment" in offer
    _copy(qa, client)
    page = client.get(qa.url()).text
    statuses = _task_statuses(page)
    assert set(statuses.values()) == {"Check answers"}
    assert f"You have completed 0 of {len(statuses)} sections" in page
    assert "carried over to check" in page

    qa.post(client, "GOV", qa.load(client, "GOV"))  # saving confirms what the page showed
    statuses = _task_statuses(client.get(qa.url()).text)
    assert statuses["Governance"] == "Completed"
    assert statuses["Relationships"] == "Check answers"


def test_answers_never_copy_across_framework_versions(qa, client, app):
    """1.0's answers are not offered to a 2.0 cycle: the same code can mean another question
    there (or an alliance fact), so a replayed copy also stores nothing."""
    from pathlib import Path

    from selfassess.assessments import snapshots

    _previous(qa)
    newer = snapshots.import_framework(Path(app.config["QUESTIONS_DIR"]) / "alliance-maturity-2.0")
    db.session.execute(update(Cycle).where(Cycle.id == qa.cycle.id).values(snapshot_id=newer.id))
    db.session.commit()
    qa.sign_in(client, qa.user)
    page = client.get(qa.url()).text
    assert "Copy answers from" not in page
    replay = client.post(f"{qa.base}/copy-forward", data={"csrf_token": qa.csrf_of(page)})
    assert "There were no previous answers to copy" in client.get(replay.headers["Location"]).text
    assert qa.stored() == {}


def test_check_page_lists_what_blocks_per_section_and_offers_submit_only_when_nothing_does(
    qa, client
):
    _previous(qa)
    qa.sign_in(client, qa.user)
    _copy(qa, client)
    page = client.get(qa.url() + "check").text
    soup = BeautifulSoup(page, "html.parser")
    blockers = [li.get_text("", strip=True) for li in soup.select(".blockers li")]
    assert len(blockers) == 5  # one line per section, each with its own count
    assert all("carried over to check and save" in line for line in blockers)
    assert any(
        line.startswith("Relationships:") and "2 required questions not answered" in line
        for line in blockers
    ), blockers  # REL-1.2 and REL-1.3 have no value
    assert "see what is left" in page
    assert soup.find("form", action=f"{qa.base}/submit") is None

    for section in ("REL", "VIS", "GOV", "DATA", "MET"):
        qa.answer_all(client, section)
    page = client.get(qa.url() + "check").text
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select(".blockers li") == []
    assert soup.find("form", action=f"{qa.base}/submit") is not None
