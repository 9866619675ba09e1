"""The whole self-assessment journey in a real browser, as issue #4 describes it.

A trust user signs in, fills every section (meeting a validation error on the way, which keeps
what they typed), saves and comes back later, resumes, checks and submits; the coordinator
returns it with a comment; the trust user sees the comment, revises and resubmits; the
coordinator validates. Then the audit trail of the walk is checked to be complete, on the
coordinator's history page and in the database.

It runs on its own demo server, so the states it changes never reach the other browser tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from selfassess.demo.data import DEMO_EMAIL_DOMAIN
from selfassess.extensions import db
from selfassess.models import (
    Assessment,
    AssessmentState,
    AuditEvent,
    Cycle,
    CycleState,
    Membership,
    Trust,
)
from tests.browser.conftest import LiveServer, PageProblems, serve_demo
from tests.browser.readme_shots import readme_shot

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Its own demo server: the journey submits and validates, which other tests must not see."""
    yield from serve_demo(tmp_path_factory.mktemp("journey-db"))


def _target(live_server: LiveServer) -> tuple[int, str, str, str]:
    """A not-started assessment in an open cycle: (id, trust code, alliance slug, cycle name)."""
    with live_server.app.app_context():
        assessment, code, cycle = db.session.execute(
            select(Assessment, Trust.code, Cycle.name)
            .join(Cycle, Assessment.cycle_id == Cycle.id)
            .join(Membership, Assessment.membership_id == Membership.id)
            .join(Trust, Membership.trust_id == Trust.id)
            .where(Cycle.state == CycleState.OPEN, Assessment.state == AssessmentState.NOT_STARTED)
            .order_by(Assessment.id)
        ).first()
        alliance = db.session.get(Cycle, assessment.cycle_id).alliance
        return assessment.id, code, alliance.slug, cycle


def _fill_section(page: Page) -> int:
    """Answer every question on the section page: level 3, yes, 50, and a sentence."""
    questions = page.locator("form.section-form .question")
    count = questions.count()
    for i in range(count):
        question = questions.nth(i)
        level = question.locator("input[type=radio][value='3']")
        yes = question.locator("input[type=radio][value='yes']")
        number = question.locator("input.nhsuk-input--width-5")
        if level.count():
            level.check()
        elif yes.count():
            yes.check()
        elif number.count():
            number.fill("50")
        else:
            question.locator("textarea.nhsuk-textarea").first.fill(
                "We meet monthly as a partnership."
            )
    return count


def _sign_in(page: Page, email: str) -> None:
    page.goto("/auth/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("demo-selfassess-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def test_trust_user_completes_and_coordinator_reviews(
    page: Page, live_server: LiveServer, page_problems: PageProblems
) -> None:
    # Pages re-shown with a validation error answer 400, which the browser notes in its console.
    page_problems.expected_console_errors.append(
        "Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"
    )
    assessment_id, code, slug, cycle_name = _target(live_server)
    trust_user = f"lead.{code.lower()}@{DEMO_EMAIL_DOMAIN}"
    coordinator = f"coordinator.{slug.split('-')[0]}@{DEMO_EMAIL_DOMAIN}"
    base = f"/trusts/{code}/assessments/{assessment_id}/"

    # Sign in and open the assessment from the trust's home page.
    _sign_in(page, trust_user)
    page.goto(f"/trusts/{code}/")
    readme_shot(page, "trust-home", phone=True)
    page.locator(f"a[href='{base}']").first.click()  # listed, and in what needs doing
    expect(page.locator("h1")).to_have_text(f"{cycle_name} self-assessment")
    # The open cycle is on framework 2.0: seven sections.
    expect(page.locator(".task-status")).to_have_text(["Not started"] * 7)

    # Section 1: answer everything, then meet a validation error on purpose.
    page.get_by_role("link", name="Relationships", exact=True).click()
    expect(page.locator("h1")).to_have_text("Relationships")
    readme_shot(page, "section", phone=True)
    expect(page.get_by_text("Level 3 \N{EN DASH} Developing").first).to_be_visible()
    answered = _fill_section(page)
    assert answered > 5
    comment = page.locator("textarea[name^='c_']").first
    comment.fill("Minutes of the partnership board, March.")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".app-notice--success")).to_contain_text("Relationships have been saved")

    # Shared vision: save and come back later, halfway.
    expect(page.locator("h1")).to_have_text("Shared vision")
    first_radio = page.locator("form.section-form .question input[value='3']").first
    first_radio.check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".task-status")).to_have_text(
        ["Completed", "In progress", *["Not started"] * 5]
    )
    _sign_out(page)

    # Resume after signing in again: the saved answer is still there.
    _sign_in(page, trust_user)
    page.goto(base)
    page.get_by_role("link", name="Shared vision", exact=True).click()
    expect(page.locator("form.section-form .question input[value='3']").first).to_be_checked()
    _fill_section(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Governance")
    _fill_section(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Data")
    _fill_section(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Improvement strategies")
    _fill_section(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Quality, safety and equity")
    _fill_section(page)
    page.get_by_role("button", name="Save and continue").click()

    # Metrics: a number that is not a number is refused; everything typed stays.
    expect(page.locator("h1")).to_have_text("Outcomes and metrics")
    _fill_section(page)
    metric = page.locator("input.nhsuk-input--width-5").first
    metric.fill("about ninety")
    page.locator("textarea[name^='c_']").last.fill("Evidence kept through the error")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter a number")
    expect(summary).to_be_focused()  # read out first, not left on the page body
    expect(page).to_have_title(re.compile(r"^Error: Outcomes and metrics"))
    expect(page.locator("input.nhsuk-input--width-5").first).to_have_value("about ninety")
    expect(page.locator("textarea[name^='c_']").last).to_have_value(
        "Evidence kept through the error"
    )
    expect(page.locator("input.nhsuk-input--width-5").nth(1)).to_have_value("50")
    readme_shot(page, "section-error")
    summary.get_by_role("link").first.click()
    expect(page.locator("input.nhsuk-input--width-5").first).to_be_focused()
    page.locator("input.nhsuk-input--width-5").first.fill("92.5")
    page.get_by_role("button", name="Save and continue").click()

    # Check your answers, then submit.
    expect(page.locator("h1")).to_have_text("Check your answers before submitting")
    assert "#" not in page.url, page.url  # the error link's #field is not carried on
    expect(page.get_by_text("92.5%")).to_be_visible()
    readme_shot(page, "check-answers")
    page.get_by_role("button", name="Submit self-assessment").click()
    expect(page.locator(".app-notice--success")).to_contain_text("has been submitted")
    expect(page.locator("p .nhsuk-tag")).to_have_text("Submitted")
    _sign_out(page)

    # The coordinator returns it with a comment (an empty comment is refused first).
    _sign_in(page, coordinator)
    page.goto(f"/alliances/{slug}/")
    page.get_by_role("link", name=cycle_name, exact=True).click()
    page.locator(f"a[href='/alliances/{slug}/assessments/{assessment_id}/']").click()
    readme_shot(page, "review")
    page.get_by_role("button", name="Return to").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a comment")
    page.get_by_label("What does the trust need to revise?").fill(
        "Please add the board minute for GOV-1.2."
    )
    page.get_by_role("button", name="Return to").click()
    expect(page.locator(".app-notice--success")).to_contain_text("returned")
    _sign_out(page)

    # The trust user sees the comment, revises Governance and resubmits.
    _sign_in(page, trust_user)
    page.goto(base)
    expect(page.locator(".app-notice--error")).to_contain_text("board minute for GOV-1.2")
    page.get_by_role("link", name="Governance", exact=True).click()
    page.locator("textarea[name^='c_']").first.fill("Board minute 2026/114 approves the MoU.")
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_role("button", name="Check your answers").click()
    page.get_by_role("button", name="Submit self-assessment").click()
    expect(page.locator(".app-notice--success")).to_contain_text("has been submitted")
    _sign_out(page)

    # The coordinator validates it and reads its history.
    _sign_in(page, coordinator)
    page.goto(f"/alliances/{slug}/assessments/{assessment_id}/")
    page.get_by_role("button", name="Validate self-assessment").click()
    expect(page.locator("h1")).to_contain_text("Validate the self-assessment of")
    page.get_by_role("button", name="Validate self-assessment").click()
    expect(page.locator(".app-notice--success")).to_contain_text("is validated")
    page.get_by_role("link", name="History of this self-assessment").click()
    expect(page.locator(".history-title").first).to_have_text("Validated")  # the page is in
    readme_shot(page, "history")
    titles = page.locator(".history-title").all_inner_texts()
    assert titles == [
        "Validated",
        "Submitted",
        "Answers saved: GOV",
        "Returned for revision",
        "Submitted",
        "Answers saved: MET",
        "Answers saved: QUAL",
        "Answers saved: IMP",
        "Answers saved: DATA",
        "Answers saved: GOV",
        "Answers saved: VIS",
        "Answers saved: VIS",
        "Answers saved: REL",
    ]
    expect(page.get_by_text("Board minute 2026/114 approves the MoU.")).to_be_visible()

    # The same trail in the database: every change, with who made it and the values.
    with live_server.app.app_context():
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "assessment", AuditEvent.entity_id == assessment_id)
            .order_by(AuditEvent.id)
        ).all()
        assert [e.action for e in events] == [
            *["assessment.answers_saved"] * 8,
            "assessment.submit",
            "assessment.return",
            "assessment.answers_saved",
            "assessment.submit",
            "assessment.validate",
        ]
        assert all(e.actor_id is not None and e.request_id for e in events)
        saved = [e for e in events if e.action == "assessment.answers_saved"]
        assert sum(len(e.after["answers"]) for e in saved[:8]) == 91  # every question, once
        assert saved[7].after["answers"]["MET-1.1"]["value"] == "92.5"
        assert events[9].after["comment"] == "Please add the board minute for GOV-1.2."
        final = db.session.get(Assessment, assessment_id)
        assert final.state == AssessmentState.VALIDATED
        assert final.overall_index is not None and final.status
        db.session.remove()
