"""Sign-in journeys in a real browser: each role's home, errors, sign-out, keyboard, phone, 404."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from selfassess.demo.data import DEMO_EMAIL_DOMAIN, demo_cycles
from tests.browser.conftest import LiveServer, PageProblems

# The demo's cycles are named from the day it is loaded (oldest on 1.0, then 2.0).
FIRST, LATEST, OPEN = (c.name for c in demo_cycles())

pytestmark = pytest.mark.browser

NOA = "national-orthopaedic-alliance"
ADMIN = f"admin@{DEMO_EMAIL_DOMAIN}"
COORDINATOR = f"coordinator.national@{DEMO_EMAIL_DOMAIN}"
BUDDYING_LEAD = f"buddying.national@{DEMO_EMAIL_DOMAIN}"
TRUST_LEAD = f"lead.rhq@{DEMO_EMAIL_DOMAIN}"
DASH = "\N{EN DASH}"  # between the page name and the service name in titles

SignIn = Callable[..., None]
Screenshot = Callable[[str], Path]


def one_h1(page: Page) -> Locator:
    """The page has exactly one h1; return it."""
    heading = page.locator("h1")
    expect(heading).to_have_count(1)
    return heading


def body_rows(table: Locator) -> Locator:
    return table.locator("tbody > tr")


def path_of(page: Page, live_server: LiveServer) -> str:
    assert page.url.startswith(live_server.url), page.url
    return page.url[len(live_server.url) :]


# --- each role lands on its home -------------------------------------------------------------


def test_site_admin_lands_on_site_administration(
    page: Page, live_server: LiveServer, sign_in: SignIn, screenshot: Screenshot
) -> None:
    sign_in(ADMIN)
    assert path_of(page, live_server) == "/admin/"
    expect(one_h1(page)).to_have_text("Site administration")
    expect(page).to_have_title(f"Site administration {DASH} selfassess")
    alliances = page.get_by_role("table", name="Alliances on this instance")
    expect(body_rows(alliances)).to_have_count(4)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot("admin-home")


def test_coordinator_lands_on_alliance_home_with_cycles_and_downloads(
    page: Page, live_server: LiveServer, sign_in: SignIn, screenshot: Screenshot
) -> None:
    sign_in(COORDINATOR)
    assert path_of(page, live_server) == f"/alliances/{NOA}/"
    expect(one_h1(page)).to_have_text("National Orthopaedic Alliance")
    cycles = page.get_by_role("table", name="Assessment cycles, newest first")
    rows = body_rows(cycles)
    expect(rows).to_have_count(3)
    for name in (FIRST, LATEST, OPEN):
        expect(cycles.get_by_role("cell", name=name, exact=True)).to_have_count(1)
        for kind in ("Scores", "Answers"):
            link = cycles.get_by_role("link", name=f"{kind} for {name} (CSV)")
            expect(link).to_have_count(1)
            href = link.get_attribute("href")
            assert href is not None
            assert re.fullmatch(rf"/alliances/{NOA}/cycles/\d+/{kind.lower()}\.csv", href), href
    # The links work for this user: the download is a CSV (same cookies as the page).
    href = cycles.get_by_role("link", name=f"Scores for {LATEST} (CSV)").get_attribute("href")
    response = page.context.request.get(live_server(str(href)))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    members = page.get_by_role("table", name="Member trusts")
    expect(body_rows(members)).to_have_count(5)
    screenshot("coordinator-home")


def test_buddying_lead_lands_on_buddying_home_with_members_and_pairs(
    page: Page, live_server: LiveServer, sign_in: SignIn, screenshot: Screenshot
) -> None:
    sign_in(BUDDYING_LEAD)
    assert path_of(page, live_server) == f"/alliances/{NOA}/buddying/"
    expect(one_h1(page)).to_have_text("Buddying in National Orthopaedic Alliance")
    members = page.get_by_role("table", name="Members and their membership status")
    expect(body_rows(members)).to_have_count(5)
    pairs = page.get_by_role("table", name="Buddying pairs, newest first")
    expect(body_rows(pairs)).to_have_count(1)
    expect(pairs).not_to_contain_text("No buddying pairs yet")
    expect(body_rows(pairs).first.locator("td")).to_have_count(5)
    screenshot("buddying-home")


def test_trust_user_lands_on_trust_home_with_both_alliances(
    page: Page, live_server: LiveServer, sign_in: SignIn, screenshot: Screenshot
) -> None:
    sign_in(TRUST_LEAD)
    assert path_of(page, live_server) == "/trusts/RHQ/"
    expect(one_h1(page)).to_have_text("Sheffield Teaching Hospitals NHS Foundation Trust")
    assessments = page.get_by_role("table", name="Self-assessments by alliance and cycle")
    rows = body_rows(assessments)
    expect(rows).to_have_count(6)  # three cycles in each of two alliances
    for alliance in (
        "Working Together Partnership",
        "South Yorkshire and Bassetlaw Acute Federation",
    ):
        expect(rows.filter(has=page.get_by_role("cell", name=alliance, exact=True))).to_have_count(
            3
        )
    screenshot("trust-home")


# --- wrong password -----------------------------------------------------------------------------


def test_wrong_password_shows_error_summary_and_keeps_the_email(
    page: Page, sign_in: SignIn, screenshot: Screenshot
) -> None:
    sign_in(COORDINATOR, "not-the-password")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(page.get_by_label("Email address")).to_have_value(COORDINATOR)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(one_h1(page)).to_have_text("Sign in to selfassess")
    screenshot("wrong-password")


def test_wrong_password_error_summary_links_to_the_email_field(
    page: Page, sign_in: SignIn, screenshot: Screenshot
) -> None:
    sign_in(COORDINATOR, "not-the-password")
    one_h1(page)
    screenshot("wrong-password-link")
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    link = page.locator(".nhsuk-error-summary").get_by_role("link")
    # The page has loaded: count now rather than wait for a link that will not come.
    assert link.count() == 1, "the error summary's message should link to the email field"
    assert link.get_attribute("href") == "#email"
    link.click()
    expect(page.get_by_label("Email address")).to_be_focused()


def test_empty_form_error_summary_links_focus_their_fields(
    page: Page, screenshot: Screenshot
) -> None:
    page.goto("/auth/sign-in")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    one_h1(page)
    screenshot("empty-form")
    summary.get_by_role("link", name="Enter your email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()
    summary.get_by_role("link", name="Enter your password").click()
    expect(page.get_by_label("Password")).to_be_focused()


# --- sign out -----------------------------------------------------------------------------------


def test_sign_out_returns_to_sign_in_and_protected_pages_need_sign_in_again(
    page: Page, live_server: LiveServer, sign_in: SignIn, screenshot: Screenshot
) -> None:
    sign_in(COORDINATOR)
    home = f"/alliances/{NOA}/"
    assert path_of(page, live_server) == home
    with page.expect_navigation():
        page.get_by_role("navigation", name="Account").get_by_role(
            "button", name="Sign out"
        ).click()
    assert path_of(page, live_server) == "/auth/sign-in"
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("You have signed out.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(one_h1(page)).to_have_text("Sign in to selfassess")
    screenshot("signed-out")

    # Back to the coordinator home: not shown from a cache, sent to sign in instead.
    page.go_back()
    assert urlpath_and_query(page, live_server) == ("/auth/sign-in", f"next={home}")
    expect(one_h1(page)).to_have_text("Sign in to selfassess")
    expect(page.locator("body")).not_to_contain_text("Assessment cycles")

    # Typing the address again: the same.
    page.goto(home)
    assert path_of(page, live_server).startswith("/auth/sign-in?next=")
    expect(one_h1(page)).to_have_text("Sign in to selfassess")


def urlpath_and_query(page: Page, live_server: LiveServer) -> tuple[str, str]:
    path, _, query = path_of(page, live_server).partition("?")
    return path, query


# --- keyboard -----------------------------------------------------------------------------------


def test_skip_link_is_the_first_focusable_element(page: Page, screenshot: Screenshot) -> None:
    page.goto("/auth/sign-in")
    one_h1(page)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown on focus, not left off-screen
    screenshot("skip-link-focused")
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


# --- phone --------------------------------------------------------------------------------------


# Absolutely positioned elements whose right edge is past the viewport: they widen the page even
# inside a table that scrolls, unless an ancestor inside the scroll box is their containing block.
STICKING_OUT = """(width) => [...document.querySelectorAll("body *")]
  .filter(e => getComputedStyle(e).position === "absolute"
               && e.getBoundingClientRect().right > width + 1)
  .map(e => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim()}"`
            + ` right=${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 667}])
def test_coordinator_home_has_no_page_wide_horizontal_scroll_on_a_phone(
    page: Page, sign_in: SignIn, screenshot: Screenshot, viewport: dict[str, int]
) -> None:
    sign_in(COORDINATOR)
    expect(one_h1(page)).to_have_text("National Orthopaedic Alliance")
    screenshot("coordinator-home-phone")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    sticking_out = page.evaluate(STICKING_OUT, viewport["width"])
    assert width <= viewport["width"] + 1, (
        f"page is {width}px wide on a {viewport['width']}px phone; "
        f"absolutely positioned elements past the edge: {sticking_out}"
    )
    # Wide tables scroll inside their own labelled region (the design system's scroll box).
    cycles = page.get_by_role("region", name="Assessment cycles, newest first")
    box = cycles.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= viewport["width"] + 1


# --- not found ----------------------------------------------------------------------------------


def test_unknown_url_shows_the_custom_404_page(
    page: Page, live_server: LiveServer, page_problems: PageProblems, screenshot: Screenshot
) -> None:
    # Chromium notes any 404 document in the console; that one message is expected here.
    page_problems.expected_console_errors.append(
        "Failed to load resource: the server responded with a status of 404 (NOT FOUND)"
    )
    response = page.goto("/no-such-page/anywhere")
    assert response is not None
    assert response.status == 404
    expect(one_h1(page)).to_have_text("Page not found")
    expect(page).to_have_title(f"Page not found {DASH} selfassess")
    reference = page.locator("main code")
    expect(reference).to_have_text(re.compile(r"^[0-9a-f]{32}$"))
    assert reference.inner_text() == response.headers["x-request-id"]
    expect(page.locator("main")).to_contain_text("(error 404)")
    text = page.locator("body").inner_text()
    for leak in ("Traceback", "werkzeug", 'File "', "NotFound", "Exception"):
        assert leak not in text
    expect(page.get_by_role("link", name="Go to the start page")).to_be_visible()
    screenshot("not-found")
