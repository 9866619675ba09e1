"""Issue #18's "Done when" walk in a real browser: upload → submit → per-question comment →
return → reply → what changed → moderated validation.

The coordinator of the Working Together Partnership turns moderation on. Sheffield Children's
lead answers Governance, attaches a board minute (a PDF) to GOV-1.1 and submits. The coordinator
comments on GOV-1.1 and returns it; the trust replies on that question, lowers the answer and
submits again; the coordinator sees the change and the thread. A peer reviewer from Chesterfield
Royal, nominated to the panel, adjusts GOV-2 with a reason (after being asked for one) and agrees
the rest; the coordinator validates, and the member's report marks GOV-2 as moderated with the
trust's own score beneath; the assessment's history tells all of it in words.

It runs on its own demo server, so the states it changes never reach the other browser tests.
Every member question outside Governance is answered before the trust signs in (filling every
section in the browser is the assessment journey's test, not this one's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from selfassess.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Answer,
    Assessment,
    AssessmentState,
    Cycle,
    CycleState,
    Membership,
    SnapshotQuestion,
    Trust,
)
from tests.browser.conftest import LiveServer, PageProblems, serve_demo

pytestmark = pytest.mark.browser

SLUG = "working-together-partnership"
CODE = "RCU"  # Sheffield Children's: not started in the open cycle
TRUST_NAME = "Sheffield Children's NHS Foundation Trust"
PEER_NAME = "Collaboration lead, RFS"
PEER_TRUST = "Chesterfield Royal Hospital NHS Foundation Trust"  # a member only here
COORDINATOR = f"coordinator.working@{DEMO_EMAIL_DOMAIN}"
TRUST_USER = f"lead.{CODE.lower()}@{DEMO_EMAIL_DOMAIN}"
PEER = f"lead.rfs@{DEMO_EMAIL_DOMAIN}"
ANSWER_BY_KIND = {"maturity": "3", "yes_no": "yes", "metric": "50", "text": "Evidence"}
PDF_NAME = "board-minute-2026-114.pdf"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
QUESTION_COMMENT = "Level 3 needs the signed MoU: the minute attached only notes a draft."
OVERALL_COMMENT = "Please look again at GOV-1.1 against the evidence you attached."
REPLY = "Agreed: the board has not signed it yet, so we have lowered GOV-1.1 to level 2."
REASON = "The forum's minutes are not yet reported to the trust board."


@dataclass(frozen=True)
class Target:
    assessment_id: int
    cycle_id: int
    cycle_name: str


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Its own demo server: the walk returns, moderates and validates."""
    yield from serve_demo(tmp_path_factory.mktemp("evidence-review-db"))


@pytest.fixture(scope="module")
def target(live_server: LiveServer) -> Target:
    """The trust's open-cycle assessment, with every member question outside Governance
    answered (stored before any request touches it)."""
    with live_server.app.app_context():
        assessment = db.session.scalars(
            select(Assessment)
            .join(Cycle, Assessment.cycle_id == Cycle.id)
            .join(Alliance, Cycle.alliance_id == Alliance.id)
            .join(Membership, Assessment.membership_id == Membership.id)
            .join(Trust, Membership.trust_id == Trust.id)
            .where(Alliance.slug == SLUG, Trust.code == CODE, Cycle.state == CycleState.OPEN)
        ).one()
        assert assessment.state == AssessmentState.NOT_STARTED
        questions = db.session.scalars(
            select(SnapshotQuestion).where(
                SnapshotQuestion.snapshot_id == assessment.cycle.snapshot_id,
                SnapshotQuestion.answered_by == "member",
            )
        ).all()
        for question in questions:
            if not question.code.startswith("GOV-"):
                db.session.add(
                    Answer(
                        assessment_id=assessment.id,
                        question_id=question.id,
                        value=ANSWER_BY_KIND[question.kind],
                    )
                )
        assessment.state = AssessmentState.IN_PROGRESS
        db.session.commit()
        found = Target(assessment.id, assessment.cycle_id, assessment.cycle.name)
        db.session.remove()
        return found


def _sign_in(page: Page, email: str) -> None:
    page.goto("/auth/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


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
                "The programme board decided it."
            )
    return count


def _submit(page: Page) -> None:
    page.get_by_role("button", name="Check your answers").click()
    expect(page.locator("h1")).to_have_text("Check your answers before submitting")
    page.get_by_role("button", name="Submit self-assessment").click()
    expect(page.locator(".app-notice--success")).to_contain_text("has been submitted")
    expect(page.locator("p .nhsuk-tag")).to_have_text("Submitted")


def _action(page: Page, heading: str) -> Locator:
    """One of the review page's actions (moderate, validate, return), by its heading."""
    return page.locator(".review-action").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )


def test_upload_submit_comment_return_reply_diff_moderated_validation(
    page: Page, live_server: LiveServer, target: Target, page_problems: PageProblems
) -> None:
    # The panel's page re-shown with a missing reason answers 400, noted in the console.
    page_problems.expected_console_errors.append(
        "Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"
    )
    assessment_id = target.assessment_id
    base = f"/trusts/{CODE}/assessments/{assessment_id}/"
    review = f"/alliances/{SLUG}/assessments/{assessment_id}/"

    # 1. The coordinator turns moderation on for the alliance.
    _sign_in(page, COORDINATOR)
    page.goto(f"/alliances/{SLUG}/moderation")
    expect(page.locator("main")).to_contain_text("Moderation is off for")
    page.get_by_label("Yes, moderate before validating").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".app-notice--success")).to_contain_text(
        "Self-assessments are now moderated before they are validated."
    )
    expect(page.locator("main")).to_contain_text("Moderation is on for")
    expect(page.get_by_label("Yes, moderate before validating")).to_be_checked()
    _sign_out(page)

    # 2. The trust answers Governance, attaches a board minute to GOV-1.1 and submits.
    _sign_in(page, TRUST_USER)
    expect(page).to_have_url(re.compile(rf"/trusts/{CODE}/$"))  # signing in lands here
    page.locator(f".needs-doing a[href='{base}']").click()
    expect(page.locator("h1")).to_have_text(f"{target.cycle_name} self-assessment")
    governance = page.locator(".task-list-item").filter(has_text="Governance")
    expect(governance.locator(".task-status")).to_have_text("Not started")
    page.get_by_role("link", name="Governance", exact=True).click()
    expect(page.locator("h1")).to_have_text("Governance")
    assert _fill_section(page) >= 5
    page.get_by_role("button", name="Save and come back later").click()
    expect(governance.locator(".task-status")).to_have_text("Completed")
    expect(page.locator(".task-status")).to_have_text(["Completed"] * 7)

    page.get_by_role("link", name="Governance", exact=True).click()
    page.get_by_role("button", name="Save and add evidence files for GOV-1.1", exact=True).click()
    expect(page.locator("h1")).to_have_text("Evidence for GOV-1.1")
    expect(page.locator("main")).to_contain_text("No files yet.")
    # The design system's file upload: once its script has run, a "Choose file" button takes
    # the label (and the field's id) in place of the bare input, and opens the file chooser.
    expect(page.locator(".nhsuk-file-upload__drop-button")).to_be_visible()
    with page.expect_file_chooser() as chooser:
        page.get_by_label("Upload a file").click()
    chooser.value.set_files({"name": PDF_NAME, "mimeType": "application/pdf", "buffer": PDF})
    expect(page.locator(".nhsuk-file-upload")).to_contain_text(PDF_NAME)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".app-notice--success")).to_contain_text(
        f"{PDF_NAME} is attached to GOV-1.1."
    )
    expect(page.locator(".evidence-files li")).to_have_count(1)
    expect(page.locator(".evidence-files a")).to_have_text(PDF_NAME)
    page.get_by_role("link", name="Back to Governance").click()
    gov_1_1 = page.locator(".evidence").filter(has_text="evidence files for GOV-1.1")
    expect(gov_1_1.get_by_role("link", name=PDF_NAME)).to_be_visible()
    expect(gov_1_1).to_contain_text("Save and add or remove evidence files for GOV-1.1 (1)")
    page.goto(base)
    _submit(page)
    _sign_out(page)

    # 3. The coordinator sees the file, comments on GOV-1.1 and returns the self-assessment.
    _sign_in(page, COORDINATOR)
    page.goto(review)
    expect(page.locator("h1")).to_have_text(TRUST_NAME)
    expect(_action(page, "Validate")).to_contain_text("Waiting for moderation.")
    row = page.locator("#q-GOV-1\\.1")
    with page.expect_download() as download:
        row.get_by_role("link", name=PDF_NAME).click()
    assert download.value.suggested_filename == PDF_NAME
    assert Path(download.value.path()).read_bytes() == PDF
    page.get_by_label("Comment on GOV-1.1", exact=False).fill(QUESTION_COMMENT)
    page.get_by_label("What does the trust need to revise?").fill(OVERALL_COMMENT)
    page.get_by_role("button", name=f"Return to {TRUST_NAME}").click()
    expect(page.locator(".app-notice--success")).to_contain_text("returned")
    expect(page.locator("p .nhsuk-tag")).to_have_text("Returned")
    thread = page.locator("#q-GOV-1\\.1 .review-thread li")
    expect(thread).to_have_count(1)
    expect(thread).to_contain_text("Reviewer, ")
    expect(thread).to_contain_text(QUESTION_COMMENT)
    _sign_out(page)

    # 4. The trust reads the comment, replies on GOV-1.1, lowers the answer and submits again.
    _sign_in(page, TRUST_USER)
    page.goto(base)
    notice = page.locator(".app-notice--error")
    expect(notice).to_contain_text("Returned for revision")
    expect(notice).to_contain_text(OVERALL_COMMENT)
    notice.get_by_role("link", name="Your reviewer commented on 1 question: read and reply").click()
    expect(page.locator("h1")).to_have_text("Your reviewer's comments")
    thread = page.locator("section.standard").filter(has_text="GOV-1.1")
    expect(thread.locator(".review-thread li")).to_have_text(
        [re.compile(re.escape(QUESTION_COMMENT))]
    )
    thread.get_by_label("Your reply on GOV-1.1").fill(REPLY)
    thread.get_by_role("button", name="Send reply on GOV-1.1").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Your reply on GOV-1.1 is saved."
    )
    replies = page.locator("section.standard").filter(has_text="GOV-1.1").locator("li")
    expect(replies).to_have_count(2)
    expect(replies.nth(0)).to_contain_text("Reviewer")
    expect(replies.nth(1)).to_contain_text("Trust, ")
    expect(replies.nth(1)).to_contain_text(REPLY)
    page.get_by_role("link", name="Back to your self-assessment").click()
    page.get_by_role("link", name="Governance", exact=True).click()
    question = page.locator("form.section-form .question").filter(
        has=page.locator(".question-code", has_text=re.compile(r"^GOV-1\.1$"))
    )
    expect(question.get_by_label("Level 3", exact=False)).to_be_checked()
    question.get_by_label("Level 2", exact=False).check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".app-notice--success")).to_contain_text("saved")
    _submit(page)
    _sign_out(page)

    # 5. The coordinator sees what changed since the return, and the thread with the reply.
    _sign_in(page, COORDINATOR)
    page.goto(review)
    expect(page.locator("#since-returned")).to_contain_text("What changed since it was returned on")
    changed = page.locator("table.revisions tbody tr").filter(has_text="GOV-1.1")
    expect(changed.locator("th")).to_have_text("GOV-1.1 (commented)")
    expect(changed.locator("td")).to_have_text(["3", "2", "\N{EN DASH}"])  # no file changed
    expect(page.locator("table.revisions tbody tr")).to_have_count(1)
    thread = page.locator("#q-GOV-1\\.1 .review-thread li")
    expect(thread).to_have_count(2)
    expect(thread.nth(0)).to_contain_text(QUESTION_COMMENT)
    expect(thread.nth(1)).to_contain_text(REPLY)

    # 6. Moderated validation: the coordinator nominates a peer reviewer from another member.
    expect(_action(page, "Validate")).to_contain_text("Waiting for moderation.")
    expect(page.get_by_role("button", name="Validate self-assessment")).to_have_count(0)
    moderate = _action(page, "Moderate")
    expect(moderate).to_contain_text("The panel has still to agree a level for")
    expect(moderate).to_contain_text("GOV-1, GOV-2")
    moderate.get_by_role("button", name="Moderate self-assessment").click()
    expect(page.locator("h1")).to_have_text(f"Moderate the self-assessment of {TRUST_NAME}")
    expect(page.locator("main")).to_contain_text("No peer reviewer yet.")
    nominate = page.get_by_label("Nominate a peer reviewer")
    options = nominate.locator("option").all_inner_texts()
    assert f"{PEER_NAME} ({PEER_TRUST})" in options
    assert not [o for o in options if TRUST_NAME in o], "never anyone from the assessed trust"
    nominate.select_option(label=f"{PEER_NAME} ({PEER_TRUST})")
    page.get_by_role("button", name="Nominate").click()
    expect(page.locator(".app-notice--success")).to_contain_text(
        f"{PEER_NAME} of {PEER_TRUST} is on the panel."
    )
    expect(page.locator("#panel + p + ul.nhsuk-list")).to_contain_text(
        f"{PEER_NAME} ({PEER_TRUST})"
    )
    _sign_out(page)

    # The peer reviewer finds it on their trust's home page and opens the panel page.
    _sign_in(page, PEER)
    expect(page).to_have_url(re.compile(r"/trusts/RFS/$"))
    moderation = page.locator(".needs-doing li").filter(has_text="Moderation:")
    expect(moderation).to_contain_text("you are a peer reviewer on its panel")
    moderation.get_by_role("link", name=f"{TRUST_NAME}, {target.cycle_name}").click()
    expect(page.locator("h1")).to_have_text(f"Moderate the self-assessment of {TRUST_NAME}")
    gov_2 = page.locator("tr:has(#standard-GOV-2)")
    own_gov_2 = gov_2.locator("td").nth(1).inner_text()
    own_gov_1 = page.locator("tr:has(#standard-GOV-1) td").nth(1).inner_text()
    with page.expect_download() as download:  # the panel reads the evidence too
        page.locator("#q-GOV-1\\.1").get_by_role("link", name=PDF_NAME).click()
    assert Path(download.value.path()).read_bytes() == PDF
    assert own_gov_2 != "\N{EN DASH}" and float(own_gov_2) != 2, "GOV-2 must score, not 2"
    expect(gov_2.locator("td").nth(2)).to_have_text("Not yet agreed")

    # A level without a reason is refused beside its standard; what was typed is kept.
    selects = page.locator("select[id^='level-']")
    scored = 0
    for i in range(selects.count()):
        select_box = selects.nth(i)
        if select_box.locator("option[value='agree']").count():
            select_box.select_option("agree")
            scored += 1
    assert scored > 20
    page.get_by_label("Decision on GOV-2").select_option("2")
    page.get_by_role("button", name="Save the panel's decisions").click()
    expect(page).to_have_title(re.compile(r"^Error: Moderate"))
    message = "Enter the panel's reason for changing the level of GOV-2."
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(message)
    expect(gov_2.locator(".nhsuk-error-message")).to_contain_text(message)
    expect(page.get_by_label("Decision on GOV-2")).to_have_value("2")
    expect(page.get_by_label("Decision on GOV-1", exact=True)).to_have_value("agree")
    expect(page.locator("main")).to_contain_text("the panel has agreed 0 of")

    gov_2.get_by_label("Reason (needed to change the level)").fill(REASON)
    page.get_by_role("button", name="Save the panel's decisions").click()
    expect(page.locator(".app-notice--success")).to_contain_text(
        f"The panel's decision on {scored} standards is recorded."
    )
    expect(gov_2.locator("td").nth(2)).to_contain_text("2.00")
    expect(gov_2.locator("td").nth(2)).to_contain_text("Adjusted")
    expect(gov_2.locator("td").nth(2)).to_contain_text(REASON)
    expect(gov_2.locator("td").nth(2)).to_contain_text(PEER_NAME)
    expect(page.locator("tr:has(#standard-GOV-1) td").nth(2)).to_contain_text("Agreed")
    _sign_out(page)

    # The coordinator validates; the report marks GOV-2 as moderated, with the trust's score.
    _sign_in(page, COORDINATOR)
    page.goto(review)
    expect(_action(page, "Moderate")).to_contain_text(
        "The panel has agreed a level for every scored standard."
    )
    page.get_by_role("button", name="Validate self-assessment").click()
    page.get_by_role("button", name="Validate self-assessment").click()
    expect(page.locator(".app-notice--success")).to_contain_text("is validated")
    page.goto(f"/alliances/{SLUG}/cycles/{target.cycle_id}/members/{CODE}/report")
    standards = page.locator(".report-section").filter(
        has=page.get_by_role("heading", name="Standards met and not met")
    )
    expect(standards).to_contain_text("the trust's own score is shown beneath")
    adjusted = standards.locator("tbody tr").filter(
        has=page.locator("th", has_text=re.compile(r"^\s*GOV-2(?!\d)"))
    )
    expect(adjusted.locator("td").nth(1)).to_have_text(
        re.compile(rf"^\s*2\.00\s*moderated; self-assessed {re.escape(own_gov_2)}\s*$")
    )
    expect(adjusted.locator("td").nth(3)).to_contain_text("(moderated)")
    agreed = standards.locator("tbody tr").filter(
        has=page.locator("th", has_text=re.compile(r"^\s*GOV-1(?!\d)"))
    )
    expect(agreed.locator("td").nth(1)).to_have_text(
        re.compile(
            rf"^\s*{re.escape(own_gov_1)}\s*moderated; self-assessed {re.escape(own_gov_1)}\s*$"
        )
    )

    # The history tells the whole walk in words, newest first.
    page.goto(review)
    page.get_by_role("link", name="History of this self-assessment").click()
    expect(page.locator(".history-title")).to_have_text(
        [
            "Validated",
            "The moderation panel decided",
            "Peer reviewer nominated to the moderation panel",
            "Submitted",
            "Answers saved: GOV",
            "The trust replied to a reviewer's comment",
            "Returned for revision",
            "Submitted",
            "Evidence file attached",
            "Answers saved: GOV",
        ]
    )
    entries = page.locator(".history-entry")
    expect(entries.nth(1).locator("tr").filter(has_text="GOV-2")).to_contain_text(REASON)
    expect(entries.nth(2)).to_contain_text(f"{PEER} (RFS)")
    expect(entries.nth(5)).to_contain_text(f"Reply on GOV-1.1: {REPLY}")
    expect(entries.nth(6)).to_contain_text("Comments on GOV-1.1")
    expect(entries.nth(8)).to_contain_text(f"GOV-1.1: {PDF_NAME}")
