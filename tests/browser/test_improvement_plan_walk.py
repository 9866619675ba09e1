"""Issue #19's "Done when" walk for the improvement plan, in a real browser: the trust sets its own
target → builds a plan from an unmet standard → the buddying lead sees the plan on the pair page.

The trust is the mentee of one of the demo's active buddying pairs (a member below target), signed
in as its demo lead; the buddying lead is the demo's lead of the same alliance. It runs on its own
demo server, so the target and the action never reach the other browser tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from selfassess.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    BuddyPair,
    Membership,
    PairStatus,
    Role,
    RoleGrant,
    Trust,
    User,
)
from tests.browser.conftest import LiveServer, serve_demo
from tests.browser.dates import fill_date

pytestmark = pytest.mark.browser

ACTION = "Board signs the shared-data MoU"
DUE = "2027-03-31"


@dataclass(frozen=True)
class Pair:
    pair_id: int
    slug: str
    code: str
    mentee: str
    lead_email: str


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Its own demo server: the walk sets a target and adds an action."""
    yield from serve_demo(tmp_path_factory.mktemp("improvement-plan-db"))


@pytest.fixture(scope="module")
def pair(live_server: LiveServer) -> Pair:
    """An active demo pair: its mentee trust, alliance and the alliance's buddying lead."""
    with live_server.app.app_context():
        row = db.session.execute(
            select(BuddyPair, Alliance, Trust)
            .join(Alliance, BuddyPair.alliance_id == Alliance.id)
            .join(Membership, BuddyPair.mentee_membership_id == Membership.id)
            .join(Trust, Membership.trust_id == Trust.id)
            .where(BuddyPair.status == PairStatus.ACTIVE)
            .order_by(Alliance.slug, BuddyPair.id)
        ).first()
        assert row is not None, "the demo has no active buddying pair"
        found, alliance, trust = row
        lead = db.session.scalars(
            select(User.email)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == Role.BUDDYING_LEAD, RoleGrant.alliance_id == alliance.id)
        ).first()
        assert lead is not None
        result = Pair(found.id, alliance.slug, trust.code, trust.name, lead)
        db.session.remove()
        return result


def _sign_in(page: Page, email: str) -> None:
    page.goto("/auth/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_targets_then_a_plan_from_an_unmet_standard_seen_on_the_pair_page(
    page: Page, pair: Pair
) -> None:
    _sign_in(page, f"lead.{pair.code.lower()}@{DEMO_EMAIL_DOMAIN}")
    page.goto(f"/trusts/{pair.code}/alliances/{pair.slug}/dashboard")
    first = page.get_by_role("link", name=re.compile(r"^Start an action on ")).first
    standard = (first.text_content() or "").removeprefix("Start an action on ").strip()
    assert standard, "the mentee has no unmet standard on its dashboard"

    # 1. Its own target on that standard, on the dashboard's targets page.
    page.get_by_role("link", name="Set your own targets", exact=True).click()
    expect(page.get_by_role("heading", name="Your own targets", exact=True)).to_be_visible()
    page.get_by_label(f"Your target for {standard}", exact=True).select_option("4")
    with page.expect_navigation():
        page.get_by_role("button", name="Save targets").click()
    expect(page.locator(".own-targets")).to_contain_text(standard)

    # 2. An action started from the unmet standard: prefilled from the standard, then owned,
    #    dated and started.
    page.get_by_role("link", name=f"Start an action on {standard}", exact=True).click()
    title = page.get_by_label("Action", exact=True)
    expect(title).to_have_value(re.compile(rf"^Meet {re.escape(standard)}: "))
    expect(page.get_by_label("Details", exact=True)).not_to_have_value("")
    title.fill(ACTION)
    page.get_by_label("Owner", exact=True).select_option(index=1)
    fill_date(page, "Due date", DUE)
    page.get_by_label("Status", exact=True).select_option("in_progress")
    with page.expect_navigation():
        page.get_by_role("button", name="Add to the plan").click()
    expect(page.get_by_role("heading", name="Improvement plan", exact=True)).to_be_visible()
    row = page.locator(".plan-table tbody tr", has_text=ACTION)
    expect(row).to_contain_text(standard)
    expect(row).to_contain_text("31 March 2027")
    expect(row).to_contain_text("In progress")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()

    # 3. The buddying lead opens the pair and sees the mentee's plan.
    _sign_in(page, pair.lead_email)
    page.goto(f"/alliances/{pair.slug}/buddying/pairs/{pair.pair_id}/")
    expect(
        page.get_by_role("heading", name=f"{pair.mentee}'s improvement plan", exact=True)
    ).to_be_visible()
    row = page.locator(".plan-table tbody tr", has_text=ACTION)
    expect(row).to_contain_text(standard)
    expect(row).to_contain_text("In progress")
    expect(row).to_contain_text("31 March 2027")
