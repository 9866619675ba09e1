"""Both benchmarking dashboards in a real browser, on the demo data, offline.

The page fixture blocks every request that leaves 127.0.0.1 and fails on console errors and CSP
violations, so a chart that needed a CDN, inline script or eval would fail here. Each chart
container must hold a drawn SVG or canvas. Set SELFASSESS_SCREENSHOTS=1 to refresh the README's
screenshots in docs/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from selfassess.demo.data import ALLIANCES, DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, TRUSTS, demo_cycles
from tests.browser.conftest import LiveServer
from tests.browser.readme_shots import readme_shot

# The demo's cycles are named from the day it is loaded (oldest on 1.0, then 2.0).
FIRST, LATEST, OPEN = (c.name for c in demo_cycles())

pytestmark = pytest.mark.browser

WTP = "working-together-partnership"
SYB = "syb-acute-federation"
COORDINATOR = f"coordinator.working@{DEMO_EMAIL_DOMAIN}"
TRUST_LEAD = f"lead.rff@{DEMO_EMAIL_DOMAIN}"  # Barnsley, in the anonymous SYB federation
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

SignIn = Callable[..., None]


def charts_drawn(page: Page, expected: set[str]) -> None:
    """Every chart on the page is one of ``expected`` and holds a drawn svg or canvas."""
    figures = page.locator("figure.chart")
    expect(figures).to_have_count(len(expected))
    ids = {figures.nth(i).get_attribute("id") for i in range(len(expected))}
    assert ids == expected
    for chart_id in expected:
        drawn = page.locator(f"#{chart_id} .chart-canvas").locator("svg, canvas")
        expect(drawn.first).to_be_attached()
        expect(page.locator(f"#{chart_id}")).to_have_class("chart chart-drawn")
        # Drawn means real marks, not an empty frame.
        marks = page.locator(
            f"#{chart_id} .chart-canvas svg .mark-rect path, "
            f"#{chart_id} .chart-canvas svg .mark-symbol path, "
            f"#{chart_id} .chart-canvas svg .mark-line path"
        )
        assert marks.count() > 0, chart_id


def show_cycle(page: Page, name: str) -> None:
    """Choose a cycle in the dashboard's form (a GET form: works without JavaScript too)."""
    page.get_by_label("Cycle", exact=True).select_option(label=name)
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()


def test_trust_dashboard_draws_every_chart_and_names_no_peer(
    page: Page, live_server: LiveServer, sign_in: SignIn
) -> None:
    sign_in(TRUST_LEAD)
    page.goto(f"/trusts/RFF/alliances/{SYB}/dashboard")
    expect(page.locator("h1")).to_have_text("Barnsley Hospital NHS Foundation Trust: benchmarking")
    # In the demo's open cycle it has a core standard unmet after meeting them all last time.
    expect(page.locator(".summary-card").first).to_contain_text("Improvement required")
    # Where to improve: unmet core standards with the answers behind them.
    expect(page.locator(".improve-list > li").first).to_contain_text("Core")
    # The open cycle: the trust's own results; other members' figures once it has closed.
    expect(page.get_by_role("status")).to_contain_text(
        f"Figures about other members for {OPEN} appear once the cycle has closed"
    )
    charts_drawn(page, {"profile", "standards", "trend"})
    show_cycle(page, LATEST)
    charts_drawn(page, {"profile", "standards", "positions", "trend"})
    readme_shot(page, "trust-dashboard", whole_page=True)
    # Data tables fold away once charts are drawn, and open on request.
    table = page.locator("#profile details.chart-data")
    expect(table).not_to_have_attribute("open", "")
    table.locator("summary").click()
    expect(table.get_by_role("table")).to_be_visible()
    html = page.content()
    others = [
        t
        for t in TRUSTS
        if t.code in next(a for a in ALLIANCES if a.slug == SYB).members and t.code != "RFF"
    ]
    for trust in others:
        assert trust.name not in html, trust.name


def test_coordinator_dashboard_draws_every_chart_and_drills_down(
    page: Page, live_server: LiveServer, sign_in: SignIn
) -> None:
    sign_in(COORDINATOR)
    page.goto(f"/alliances/{WTP}/dashboard")
    expect(page.locator("h1")).to_have_text("Members' benchmarking dashboard")
    charts_drawn(page, {"heatmap", "spread", "weakest"})
    rows = page.locator("#members-table tbody tr")
    expect(rows).to_have_count(7)
    readme_shot(page, "coordinator-dashboard", whole_page=True, phone=True)
    # Sort by overall index, highest first (two clicks), then drill down to the top member.
    page.get_by_role("link", name="Overall index").click()
    page.get_by_role("link", name="Overall index").click()
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("Overall index")
    top = rows.first.locator("a")
    name = top.inner_text()
    top.click()
    expect(page.locator("h1")).to_have_text(f"{name}: benchmarking")
    charts_drawn(page, {"profile", "standards", "positions", "trend"})


def test_filters_recompute_and_a_small_group_keeps_its_named_distributions(
    page: Page, live_server: LiveServer, sign_in: SignIn
) -> None:
    sign_in(COORDINATOR)
    page.goto(f"/alliances/{WTP}/dashboard")
    page.get_by_label("Region").select_option("Midlands")  # Chesterfield alone
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#members-table tbody tr")).to_have_count(1)
    # The heatmap names its one score: hiding the distribution would keep nothing private.
    expect(page.get_by_text("Distributions hidden")).to_have_count(0)
    charts_drawn(page, {"heatmap", "spread", "weakest"})


def test_dashboards_read_in_full_without_javascript(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/auth/sign-in")
        page.get_by_label("Email address").fill(TRUST_LEAD)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        page.goto(f"/trusts/RFF/alliances/{SYB}/dashboard")
        show_cycle(page, LATEST)
        for chart_id in ("profile", "standards", "positions", "trend"):
            expect(page.locator(f"#{chart_id} details.chart-data table")).to_be_visible()
        expect(page.locator(".chart-canvas svg")).to_have_count(0)
    finally:
        context.close()
