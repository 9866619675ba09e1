"""The assessment page shows one section per domain with honest progress."""

from __future__ import annotations

from sqlalchemy import select

from selfassess.demo.data import DEMO_PASSWORD, demo_cycles
from selfassess.extensions import db
from selfassess.models import Assessment, Cycle, Membership, Trust, User
from selfassess.questionnaire.services import task_list
from tests.conftest import count_queries

# The demo's cycles are named from the day it is loaded (oldest on 1.0, then 2.0).
FIRST, LATEST, OPEN = (c.name for c in demo_cycles())


def _assessment(code: str, state: str) -> Assessment:
    return db.session.scalar(
        select(Assessment)
        .join(Cycle)
        .join(Membership)
        .join(Trust)
        .where(Trust.code == code, Cycle.name == OPEN, Assessment.state == state)
    )


def test_sections_count_answers_per_domain(runner):
    runner.invoke(args=["demo", "load"])
    # The open cycle is on framework 2.0: seven domains, alliance facts left out.
    submitted = task_list(_assessment("RHQ", "submitted"))
    assert [s.code for s in submitted] == ["REL", "VIS", "GOV", "DATA", "IMP", "QUAL", "MET"]
    assert [s.status for s in submitted] == ["Completed"] * 7
    partial = task_list(_assessment("RP5", "in_progress"))
    assert any(s.status == "In progress" for s in partial)
    assert all(s.answered <= s.questions and s.required_answered <= s.required for s in partial)
    empty = task_list(_assessment("RCU", "not_started"))
    assert {s.status for s in empty} == {"Not started"}
    assert sum(s.questions for s in empty) == 91


def test_trust_user_sees_the_task_list_and_return_comment(runner, client, login):
    runner.invoke(args=["demo", "load"])
    returned = _assessment("RRF", "returned")
    user = db.session.scalar(select(User).where(User.email.like("lead.rrf@%")))
    login(user, password=DEMO_PASSWORD)
    home = client.get("/trusts/RRF/")
    assert f"/trusts/RRF/assessments/{returned.id}/" in home.text
    with count_queries() as queries:
        page = client.get(f"/trusts/RRF/assessments/{returned.id}/")
    assert page.status_code == 200
    assert "Returned for revision" in page.text
    assert "Please add evidence for the governance questions" in page.text
    for name in ("Relationships", "Shared vision", "Governance", "Data"):
        assert name in page.text
    # 10, one more for the header's unread-notifications count and one for the section owners
    # (issue #17), one for the standards the alliance set for the cycle (issue #22), and, for a
    # returned assessment, one for the reviewer's comments on single questions and one for
    # whether several respondents is on (issue #18).
    assert len(queries) <= 15


def test_pages_about_an_open_cycle_say_how_many_days_are_left(runner, client, login):
    from datetime import date

    from selfassess.models import Cycle

    runner.invoke(args=["demo", "load"])
    returned = _assessment("RRF", "returned")
    cycle = db.session.get(Cycle, returned.cycle_id)
    days = (cycle.closes_on - date.today()).days
    expected = {1: "1 day left", 0: "closes today"}.get(days, f"{days} days left")
    user = db.session.scalar(select(User).where(User.email.like("lead.rrf@%")))
    login(user, password=DEMO_PASSWORD)
    assert f"({expected})" in client.get(f"/trusts/RRF/assessments/{returned.id}/").text
    assert expected in client.get("/trusts/RRF/").text


def test_the_trust_home_says_what_needs_doing_returned_first(runner, client, login):
    from bs4 import BeautifulSoup

    runner.invoke(args=["demo", "load"])
    returned = _assessment("RRF", "returned")
    user = db.session.scalar(select(User).where(User.email.like("lead.rrf@%")))
    login(user, password=DEMO_PASSWORD)
    home = BeautifulSoup(client.get("/trusts/RRF/").text, "html.parser")
    items = home.select(".needs-doing li")
    assert items, "a trust with a returned assessment has something to do"
    first = items[0]
    assert first.get_text(" ", strip=True).startswith("Returned for revision:")
    assert first.find("a")["href"] == f"/trusts/RRF/assessments/{returned.id}/"
    for item in items[1:]:
        text = item.get_text(" ", strip=True)
        assert "sections to finish" in text or "check your answers and submit" in text
