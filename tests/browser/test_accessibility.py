"""The accessibility gate (issue #16, point 6): axe-core finds nothing on any type of page.

One page of each type, signed in as the role that sees it through the real sign-in form, at
desktop (1280 x 800) and phone (390 x 844) widths, error states included (forms posted blank or
wrong, a 403 and a 404). axe-core 4.12 (bundled in the ``axe-playwright-python`` package, run in
the page, offline) checks the rules tagged WCAG 2.0 A and AA, 2.1 AA and 2.2 AA; every test must
find 0 violations. Each test is named after its page, so a failure says which page it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from sqlalchemy import select

from selfassess.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Assessment,
    BuddyPair,
    Cycle,
    CycleState,
    Membership,
    Trust,
    User,
)
from selfassess.summaries import services as summaries
from tests.browser.conftest import LiveServer, PageProblems, serve_demo

pytestmark = pytest.mark.browser

WTP = "working-together-partnership"
CODE = "RFF"  # Barnsley: a member of the Working Together Partnership (and of SYB)
EDITING = "RCU"  # Sheffield Children's: its open-cycle self-assessment is not started
ADMIN = "admin"
COORDINATOR = "coordinator.working"
BUDDYING = "buddying.working"
TRUST = f"lead.{CODE.lower()}"
EDITOR = f"lead.{EDITING.lower()}"
TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
AXE = Axe()


@dataclass(frozen=True)
class Demo:
    """Ids in the demo that page addresses need."""

    open_cycle: int
    closed_cycle: int
    assessment: int  # the trust's open-cycle assessment
    closed_assessment: int  # the trust's assessment in the latest closed cycle (validated)
    editable: int  # EDITING's open-cycle assessment, not started
    membership: int  # the trust's membership of the alliance
    pair: int  # a buddying pair in the alliance


@dataclass(frozen=True)
class Visit:
    """One page type: who sees it, where it is, and what is done on it before the check."""

    name: str
    who: str | None
    path: Callable[[Demo], str]
    status: int = 200
    act: Callable[[Page], None] | None = None


def _press(label: str) -> Callable[[Page], None]:
    """Submit the page's form as it stands (blank): the page shows its errors."""

    def act(page: Page) -> None:
        with page.expect_navigation():
            page.locator("main").get_by_role("button", name=label).first.click()

    return act


def _bad_number(page: Page) -> None:
    """A metric answered with words: the section is shown again with its errors."""
    page.locator("main input[inputmode='decimal']").first.fill("about ninety")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()


TRUST_BASE = f"/trusts/{CODE}"
EDITOR_BASE = f"/trusts/{EDITING}"
A = f"/alliances/{WTP}"

VISITS = [
    Visit("sign-in", None, lambda d: "/auth/sign-in"),
    Visit("sign-in-errors", None, lambda d: "/auth/sign-in", 400, _press("Sign in")),
    Visit("forgot-password", None, lambda d: "/auth/forgot-password"),
    Visit("not-found-404", None, lambda d: "/no-such-page", 404),
    Visit("published-summary", None, lambda d: f"/published/{WTP}/{d.closed_cycle}"),
    # A trust user
    Visit("trust-home", TRUST, lambda d: f"{TRUST_BASE}/"),
    Visit("task-list", TRUST, lambda d: f"{TRUST_BASE}/assessments/{d.assessment}/"),
    Visit("section", EDITOR, lambda d: f"{EDITOR_BASE}/assessments/{d.editable}/sections/REL"),
    Visit(
        "section-errors",
        EDITOR,
        lambda d: f"{EDITOR_BASE}/assessments/{d.editable}/sections/MET",
        400,
        _bad_number,
    ),
    Visit("check-answers", TRUST, lambda d: f"{TRUST_BASE}/assessments/{d.assessment}/check"),
    Visit(
        "evidence",
        TRUST,
        lambda d: f"{TRUST_BASE}/assessments/{d.assessment}/evidence/GOV-1.1",
    ),
    Visit("trust-dashboard", TRUST, lambda d: f"{TRUST_BASE}/alliances/{WTP}/dashboard"),
    Visit("what-if", TRUST, lambda d: f"{TRUST_BASE}/alliances/{WTP}/what-if"),
    Visit("own-targets", TRUST, lambda d: f"{TRUST_BASE}/alliances/{WTP}/targets"),
    Visit("trust-plan", TRUST, lambda d: f"{TRUST_BASE}/alliances/{WTP}/plan/"),
    Visit(
        "trust-report",
        TRUST,
        lambda d: f"{TRUST_BASE}/alliances/{WTP}/cycles/{d.closed_cycle}/report",
    ),
    Visit("trust-buddying", TRUST, lambda d: f"{TRUST_BASE}/buddying/"),
    Visit("moderation-panel", TRUST, lambda d: f"{TRUST_BASE}/moderation/"),
    Visit("forbidden-403", TRUST, lambda d: f"{A}/", 403),
    Visit("notifications", TRUST, lambda d: "/notifications/"),
    Visit("notification-choices", TRUST, lambda d: "/notifications/preferences"),
    Visit("api-tokens", TRUST, lambda d: "/settings/api-tokens/"),
    Visit("two-factor-set-up", TRUST, lambda d: "/auth/account/second-factor"),
    Visit(
        "two-factor-errors",
        TRUST,
        lambda d: "/auth/account/second-factor",
        400,
        _press("Turn on the second factor"),
    ),
    # A coordinator
    Visit("coordinator-home", COORDINATOR, lambda d: f"{A}/"),
    Visit("coordinator-cycle", COORDINATOR, lambda d: f"{A}/cycles/{d.open_cycle}/"),
    Visit("coordinator-dashboard-heatmap", COORDINATOR, lambda d: f"{A}/dashboard"),
    Visit("member-dashboard", COORDINATOR, lambda d: f"{A}/members/{CODE}/dashboard"),
    Visit("member-review", COORDINATOR, lambda d: f"{A}/assessments/{d.closed_assessment}/"),
    Visit("member-history", COORDINATOR, lambda d: f"{A}/assessments/{d.assessment}/history"),
    Visit("member-plan", COORDINATOR, lambda d: f"{A}/members/{CODE}/plan"),
    Visit("alliance-report", COORDINATOR, lambda d: f"{A}/cycles/{d.closed_cycle}/report"),
    Visit(
        "member-report",
        COORDINATOR,
        lambda d: f"{A}/cycles/{d.closed_cycle}/members/{CODE}/report",
    ),
    Visit("summary", COORDINATOR, lambda d: f"{A}/cycles/{d.closed_cycle}/summary"),
    Visit("alliance-profile", COORDINATOR, lambda d: f"{A}/cycles/{d.open_cycle}/profile"),
    Visit("moderation-settings", COORDINATOR, lambda d: f"{A}/moderation"),
    Visit("standards", COORDINATOR, lambda d: f"{A}/standards/"),
    Visit("open-cycle", COORDINATOR, lambda d: f"{A}/cycles/new"),
    Visit("member-deadline", COORDINATOR, lambda d: f"{A}/assessments/{d.assessment}/deadline"),
    Visit(
        "member-deadline-errors",
        COORDINATOR,
        lambda d: f"{A}/assessments/{d.assessment}/deadline",
        400,
        _press("Extend the deadline"),
    ),
    Visit("import-members", COORDINATOR, lambda d: f"{A}/members/import"),
    # A buddying lead
    Visit("buddying-home", BUDDYING, lambda d: f"{A}/buddying/"),
    Visit("buddying-pairs", BUDDYING, lambda d: f"{A}/buddying/pairs/"),
    Visit("buddying-outcomes", BUDDYING, lambda d: f"{A}/buddying/outcomes/"),
    Visit(
        "find-a-buddy",
        BUDDYING,
        lambda d: f"{A}/buddying/cycles/{d.closed_cycle}/members/{d.membership}/",
    ),
    Visit("buddying-pair", BUDDYING, lambda d: f"{A}/buddying/pairs/{d.pair}/"),
    # The site administrator
    Visit("admin", ADMIN, lambda d: "/admin/"),
    Visit("frameworks", ADMIN, lambda d: "/frameworks/shared"),
]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Its own demo server: a closed cycle's summary is published for the public page."""
    yield from serve_demo(tmp_path_factory.mktemp("accessibility-db"))


@pytest.fixture(scope="module")
def demo(live_server: LiveServer) -> Demo:
    with live_server.app.app_context():
        cycles = db.session.scalars(
            select(Cycle)
            .join(Alliance, Cycle.alliance_id == Alliance.id)
            .where(Alliance.slug == WTP)
            .order_by(Cycle.opens_on)
        ).all()
        open_cycle = next(c for c in cycles if c.state == CycleState.OPEN)
        closed_cycle = [c for c in cycles if c.state != CycleState.OPEN][-1]

        def assessment_in(cycle: Cycle, code: str = CODE) -> int:
            return db.session.scalars(
                select(Assessment.id)
                .join(Membership, Assessment.membership_id == Membership.id)
                .join(Trust, Membership.trust_id == Trust.id)
                .where(Assessment.cycle_id == cycle.id, Trust.code == code)
            ).one()

        coordinator = db.session.scalars(
            select(User).where(User.email == f"{COORDINATOR}@{DEMO_EMAIL_DOMAIN}")
        ).one()
        summaries.publish(closed_cycle, coordinator)
        found = Demo(
            open_cycle=open_cycle.id,
            closed_cycle=closed_cycle.id,
            assessment=assessment_in(open_cycle),
            closed_assessment=assessment_in(closed_cycle),
            editable=assessment_in(open_cycle, EDITING),
            membership=db.session.scalars(
                select(Membership.id)
                .join(Trust, Membership.trust_id == Trust.id)
                .where(Membership.alliance_id == open_cycle.alliance_id, Trust.code == CODE)
            ).one(),
            pair=db.session.scalars(
                select(BuddyPair.id)
                .where(BuddyPair.alliance_id == open_cycle.alliance_id)
                .order_by(BuddyPair.id)
                .limit(1)
            ).one(),
        )
        db.session.remove()
    return found


@pytest.fixture(params=list(WIDTHS))
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return dict(WIDTHS[request.param])


def _sign_in(page: Page, who: str) -> None:
    page.goto("/auth/sign-in")
    page.get_by_label("Email address").fill(f"{who}@{DEMO_EMAIL_DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_attached()


def violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page, one line per rule and element."""
    results = AXE.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": TAGS},
            "resultTypes": ["violations"],
        },
    )
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} at "
                f"{' '.join(map(str, node['target']))}: {node.get('failureSummary', '')}"
            )
    return found


@pytest.mark.parametrize("visit", VISITS, ids=[v.name for v in VISITS])
def test_page_has_no_axe_violations(
    page: Page,
    live_server: LiveServer,
    page_problems: PageProblems,
    demo: Demo,
    visit: Visit,
) -> None:
    if visit.status != 200:
        # The browser notes a page answered with an error status in its console.
        reasons = {400: "BAD REQUEST", 403: "FORBIDDEN", 404: "NOT FOUND"}
        page_problems.expected_console_errors.append(
            "Failed to load resource: the server responded with a status of "
            f"{visit.status} ({reasons[visit.status]})"
        )
    if visit.who is not None:
        _sign_in(page, visit.who)
    path = visit.path(demo)
    response = page.goto(path)
    assert response is not None
    if visit.act is None:
        assert response.status == visit.status, (path, response.status)
    else:
        assert response.status == 200, (path, response.status)
        visit.act(page)
        assert page.locator("[class*=error-summary], [role=alert]").count() > 0, "no errors shown"
    page.wait_for_load_state("load")
    found = violations(page)
    assert found == [], f"{visit.name} ({path}) at {page.viewport_size}:\n" + "\n".join(found)


def test_the_gate_sees_a_violation(page: Page, live_server: LiveServer) -> None:
    """The check above can fail: an image without alternative text and an unlabelled input,
    put into a real page, are found."""
    page.goto("/auth/sign-in")
    page.evaluate(
        """() => {
          const main = document.querySelector('main');
          const img = document.createElement('img');
          img.src = '/favicon.ico';
          main.appendChild(img);
          main.appendChild(document.createElement('input'));
        }"""
    )
    found = violations(page)
    assert any(line.startswith("image-alt ") for line in found), found
    assert any(line.startswith("label ") for line in found), found
