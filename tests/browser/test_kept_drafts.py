"""Kept drafts in a real browser (issue #13, finding 6): Chromium's own cookies and headers.

What was typed survives a session that ends while the page is open; a form on another site,
which Chromium sends without the SameSite=Lax cookie, plants nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Route, expect
from sqlalchemy import delete, select

from selfassess.demo.data import DEMO_EMAIL_DOMAIN
from selfassess.extensions import db
from selfassess.models import User, UserSession
from tests.browser.conftest import LiveServer, PageProblems, serve_demo
from tests.browser.test_assessment_journey import _sign_in, _target

pytestmark = pytest.mark.browser
KEPT = "We kept what you typed before your session ended"
ENDED = "Your session has ended"
UNAUTHORIZED = "Failed to load resource: the server responded with a status of 401 (UNAUTHORIZED)"
EVIL = "http://evil.example/"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Its own demo server: these tests end sessions and type answers."""
    yield from serve_demo(tmp_path_factory.mktemp("kept-drafts-db"))


def _section(live_server: LiveServer) -> tuple[str, str]:
    """The Relationships section of a not-started assessment, and its trust user's email."""
    assessment_id, code, _slug, _cycle = _target(live_server)
    return (
        f"/trusts/{code}/assessments/{assessment_id}/sections/REL",
        f"lead.{code.lower()}@{DEMO_EMAIL_DOMAIN}",
    )


def _end_sessions_of(live_server: LiveServer, email: str) -> None:
    with live_server.app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        db.session.execute(delete(UserSession).where(UserSession.user_id == user_id))
        db.session.commit()
        db.session.remove()


def _sign_in_here(page: Page, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("demo-selfassess-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_what_was_typed_survives_a_session_that_ends(
    page: Page, live_server: LiveServer, page_problems: PageProblems
) -> None:
    page_problems.expected_console_errors.append(UNAUTHORIZED)
    section, email = _section(live_server)
    _sign_in(page, email)
    page.goto(section)
    comment = page.locator("textarea[name^='c_']").first
    name = comment.get_attribute("name")
    comment.fill("Typed while the session ran out")
    _end_sessions_of(live_server, email)

    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text(ENDED)).to_be_visible()
    _sign_in_here(page, email)
    assert page.url == live_server(section)
    expect(page.get_by_text(KEPT)).to_be_visible()
    expect(page.locator(f"textarea[name='{name}']")).to_have_value(
        "Typed while the session ran out"
    )


def test_a_form_on_another_site_plants_nothing(
    page: Page, live_server: LiveServer, page_problems: PageProblems
) -> None:
    page_problems.expected_console_errors.append(UNAUTHORIZED)
    section, email = _section(live_server)
    _sign_in(page, email)  # the victim is signed in; the cookie stays behind on a cross-site POST
    page.goto(section)
    name = page.locator("textarea[name^='c_']").first.get_attribute("name")
    attack = (
        f'<form method="post" action="{live_server(section)}">'
        f'<input name="{name}" value="Planted by another site">'
        '<input name="action" value="later"></form>'
        "<script>document.forms[0].submit()</script>"
    )

    def evil_site(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=attack)

    page.route(EVIL + "**", evil_site)
    with page.expect_navigation(url=live_server(section)):
        page.goto(EVIL)
    expect(page.locator("h1")).to_have_text("Sign in to selfassess")
    expect(page.get_by_text(ENDED)).to_have_count(0)
    _sign_in_here(page, email)
    assert page.url == live_server(section)
    expect(page.get_by_text(KEPT)).to_have_count(0)
    expect(page.locator(f"textarea[name='{name}']")).not_to_have_value("Planted by another site")
