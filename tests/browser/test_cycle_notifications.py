"""Issue #17's "Done when" walk in a real browser, with the mail going to a local SMTP sink:

coordinator opens a cycle → the trust receives the email (and follows its link) → the trust
submits → the coordinator sees it under "What needs doing" → returns it with a comment → the
trust sees the notification and the comment.

It runs on its own demo server with a small alliance of its own (one member trust, one trust
user, one coordinator, no cycle yet), so the demo's open cycles and the other browser tests are
untouched. The trust's answers are stored before it submits: filling every section in the
browser is the assessment journey's test, not this one's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from selfassess.demo.data import DEMO_PASSWORD
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Answer,
    Assessment,
    Cycle,
    Membership,
    RoleGrant,
    SnapshotQuestion,
    Trust,
    User,
)
from tests.browser.conftest import LiveServer, serve_demo
from tests.browser.dates import fill_date
from tests.conftest import FAST_HASH
from tests.smtp_sink import SmtpSink, free_port

pytestmark = pytest.mark.browser

SLUG = "walk-alliance"
TRUST_CODE = "RWK"
TRUST_NAME = "Walkthrough Hospitals NHS Foundation Trust"
COORDINATOR = "coordinator@walk.example.nhs.uk"
TRUST_USER = "lead@walk.example.nhs.uk"
CYCLE = "2027/28"
COMMENT = "Please add the board minutes as evidence for governance."
ANSWER_BY_KIND = {"maturity": "3", "yes_no": "yes", "metric": "50", "text": "Evidence"}
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/\S+)")


@pytest.fixture(scope="module")
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, sink: SmtpSink) -> Iterator[LiveServer]:
    """Its own demo server, mailing the sink, with links in emails that lead back to it."""
    for server in serve_demo(tmp_path_factory.mktemp("walk-db")):
        server.app.config.update(
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=sink.port,
            MAIL_STARTTLS=False,
            MAIL_TIMEOUT=5,
            BASE_URL=server.url,
        )
        with server.app.app_context():
            _small_alliance()
        yield server


def _small_alliance() -> None:
    alliance = Alliance(slug=SLUG, name="Walkthrough Alliance", collaboration_type="multi_service")
    trust = Trust(code=TRUST_CODE, name=TRUST_NAME, trust_type="Acute", region="London")
    db.session.add_all([alliance, trust])
    db.session.flush()
    db.session.add(
        Membership(
            alliance_id=alliance.id,
            trust_id=trust.id,
            collaboration_type="multi_service",
            joined_on=date(2024, 4, 1),
        )
    )
    hashed = generate_password_hash(DEMO_PASSWORD, method=FAST_HASH)
    for email, name, grant in (
        (COORDINATOR, "Casey Coordinator", RoleGrant(role="coordinator", alliance_id=alliance.id)),
        (
            TRUST_USER,
            "Tamsin Trust-Lead",
            RoleGrant(role="trust_user", alliance_id=alliance.id, trust_id=trust.id),
        ),
    ):
        user = User(email=email, name=name, password_hash=hashed)
        user.grants.append(grant)
        db.session.add(user)
    db.session.commit()
    db.session.remove()


def _answer_everything(live_server: LiveServer) -> None:
    """Store an answer to every member question of the trust's new assessment."""
    with live_server.app.app_context():
        assessment = db.session.scalars(
            select(Assessment)
            .join(Cycle, Assessment.cycle_id == Cycle.id)
            .join(Alliance, Cycle.alliance_id == Alliance.id)
            .where(Alliance.slug == SLUG)
        ).one()
        questions = db.session.scalars(
            select(SnapshotQuestion).where(
                SnapshotQuestion.snapshot_id == assessment.cycle.snapshot_id,
                SnapshotQuestion.answered_by == "member",
            )
        ).all()
        for question in questions:
            db.session.add(
                Answer(
                    assessment_id=assessment.id,
                    question_id=question.id,
                    value=ANSWER_BY_KIND[question.kind],
                )
            )
        db.session.commit()
        db.session.remove()


def _sign_in(page: Page, email: str) -> None:
    page.goto("/auth/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def test_open_email_submit_needs_doing_return_notification(
    page: Page, live_server: LiveServer, sink: SmtpSink
) -> None:
    # The coordinator opens a cycle.
    _sign_in(page, COORDINATOR)
    expect(page.locator("h1")).to_contain_text("Walkthrough Alliance")
    page.get_by_role("button", name="Open a new cycle").click()
    page.get_by_label("Cycle name").fill(CYCLE)
    page.get_by_label("Framework version").select_option("alliance-maturity-1.0")
    closes = date.today() + timedelta(days=30)
    fill_date(page, "Closing date", closes)
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.locator("h1")).to_have_text(CYCLE)
    _sign_out(page)

    # The trust receives the email, and its link leads to the assessment once signed in.
    emails = sink.to(TRUST_USER)
    assert [m["Subject"].strip() for m in emails] == [f"The {CYCLE} assessment cycle is open"]
    text = emails[0].get_content()
    assert f"by {closes:%-d %B %Y}" in text
    link = LINK.search(text.split("Why you got this email")[0])
    assert link and link.group(1).startswith(f"{live_server.url}/trusts/{TRUST_CODE}/")
    page.goto(link.group(1))
    expect(page).to_have_url(re.compile(r"/auth/sign-in"))
    page.get_by_label("Email address").fill(TRUST_USER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text(f"{CYCLE} self-assessment")

    # The trust submits (answers stored beforehand: see the module's docstring).
    _answer_everything(live_server)
    page.reload()
    page.get_by_role("button", name="Check your answers").click()
    page.get_by_role("button", name="Submit self-assessment").click()
    expect(page.locator(".app-notice--success")).to_contain_text("has been submitted")
    _sign_out(page)

    # The coordinator sees it under "What needs doing" (and was emailed), and returns it. (A
    # long subject is folded onto its own line; Python's parser keeps the fold's space.)
    assert [m["Subject"].strip() for m in sink.to(COORDINATOR)] == [
        f"{TRUST_NAME} submitted its {CYCLE} assessment"
    ]
    _sign_in(page, COORDINATOR)
    needs = page.locator(".needs-doing")
    expect(needs).to_contain_text(f"1 self-assessment is waiting for your review in {CYCLE}")
    needs.get_by_role("link", name=re.compile("waiting for your review")).click()
    expect(page.locator("h1")).to_have_text(CYCLE)
    page.get_by_role("link", name=f"Review {TRUST_NAME}").click()
    page.get_by_label("What does the trust need to revise?").fill(COMMENT)
    page.get_by_role("button", name=f"Return to {TRUST_NAME}").click()
    expect(page.locator(".app-notice--success")).to_contain_text("returned")
    page.goto(f"/alliances/{SLUG}/")
    expect(page.locator(".needs-doing")).not_to_contain_text("waiting for your review")
    _sign_out(page)

    # The trust sees the notification (and got the email), with the comment, then the page.
    returned = [m for m in sink.to(TRUST_USER) if "returned" in m["Subject"]]
    assert len(returned) == 1 and COMMENT in returned[0].get_content()
    _sign_in(page, TRUST_USER)
    expect(page.locator(".needs-doing")).to_contain_text("Returned for revision")
    header_link = page.get_by_role("link", name=re.compile(r"^Notifications"))
    expect(header_link).to_contain_text("unread")
    header_link.click()
    note = page.locator(".notification-list li").filter(has_text="returned for revision")
    expect(note).to_contain_text(f"Your {CYCLE} assessment was returned for revision")
    expect(note).to_contain_text(COMMENT)
    expect(note.locator(".nhsuk-tag")).to_have_text("Unread")
    note.get_by_role("button", name=re.compile("^Open")).click()
    expect(page.locator("h1")).to_have_text(f"{CYCLE} self-assessment")
    notice = page.locator(".app-notice--error")
    expect(notice).to_contain_text("Returned for revision")
    expect(notice).to_contain_text(COMMENT)
