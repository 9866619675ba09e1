"""An alliance's own standards in a real browser (issue #22's walk): the coordinator writes a
specialty standard into a new version of the alliance's framework, publishes it, sets a target
on it, opens a cycle with it, and the member sees "your alliance's target" and the new standard.

Runs on its own server with the lineage alliance (three closed cycles, none open), so opening a
cycle here changes nothing another test sees.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import BaseWSGIServer, make_server

from selfassess.extensions import db
from tests.browser.conftest import LiveServer, PageProblems
from tests.browser.dates import fill_date
from tests.conftest import FAST_HASH, _migrate_once, build_app
from tests.lineage_world import PASSWORD, build_lineage_world

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world_and_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, str], LiveServer]]:
    folder = tmp_path_factory.mktemp("alliance-standards-db")
    url = f"sqlite:///{folder / 'standards.sqlite3'}"
    app = build_app(url)
    _migrate_once(app, url)
    with app.app_context():
        world = build_lineage_world(Path(app.config["QUESTIONS_DIR"]), 7, password_method=FAST_HASH)
        seen = {
            "slug": world.alliance.slug,
            "code": world.trusts[0].code,
            "coordinator": world.coordinator,
            "member": world.trust_user,
        }
        db.session.remove()
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="standards-server", daemon=True)
    thread.start()
    try:
        yield seen, LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(world_and_server: tuple[dict[str, str], LiveServer]) -> LiveServer:
    return world_and_server[1]


def _sign_in(page: Page, email: str) -> None:
    page.goto("/auth/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_a_coordinator_sets_a_target_and_adds_a_standard_and_the_member_sees_both(
    page: Page,
    world_and_server: tuple[dict[str, str], LiveServer],
    page_problems: PageProblems,
) -> None:
    # The standard sent with a mistake answers 400, which the browser notes in its console.
    page_problems.expected_console_errors.append(
        "Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"
    )
    seen, _ = world_and_server
    _sign_in(page, seen["coordinator"])
    page.get_by_role("link", name="Your alliance's standards").click()
    expect(page.locator("h1")).to_have_text("Your alliance's standards")

    # A new version with a specialty domain and one standard of the alliance's own.
    page.get_by_role("button", name="Write a new version").click()
    page.get_by_label("Start from").select_option("alliance-maturity-2.0")
    page.get_by_label("Version number").fill("2.1")
    page.get_by_label("Title").fill("Our membership standards")
    page.get_by_role("button", name="Start the draft").click()
    page.get_by_role("link", name="Add a domain").click()
    page.get_by_label("Domain code").fill("ORTH")
    page.get_by_label("Name").fill("Orthopaedic clinical standards")
    page.get_by_label("Description").fill("The alliance's specialty standards for orthopaedics.")
    page.get_by_role("button", name="Add the domain").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "add a standard to the ORTH domain"
    )

    page.get_by_role("button", name="Add a standard").click()
    page.get_by_label("Domain").select_option("ORTH")
    page.get_by_label("Standard code").fill("ORTH-1")
    page.get_by_label("Statement").fill(
        "Your trust meets the alliance's clinical standards for elective hip replacement."
    )
    page.locator("#core-2").check()  # "No" (the design system numbers items core, core-2, ...)
    page.get_by_label("Level 3: Developing").check()
    page.locator("#guidance").fill(
        "Members adhere to a codified set of standards, protocols and processes."
    )
    page.get_by_label("Source", exact=True).fill("ACC-2018 3.15")
    question = page.locator("fieldset.draft-question").first
    question.locator("#questions-0-type").select_option("maturity")
    question.locator("#questions-0-id").fill("ORTH-1.1")
    question.locator("#questions-0-text").fill(
        "How far does your trust meet the alliance's hip replacement standards?"
    )
    question.locator("#questions-0-guidance").fill("Your latest audit against the standards.")
    question.locator("summary", has_text="What each level looks like").click()
    # A mistake first: level descriptors missing. The checker's words sit by the field.
    question.locator("#questions-0-level_1").fill("The standards are not yet used.")
    page.get_by_role("button", name="Save the standard").click()
    expect(page).to_have_title(re.compile(r"^Error: Add a standard"))
    expect(page.locator("#questions-0-level_2-error")).to_contain_text("Level 2 has no descriptor")
    expect(page.get_by_label("Statement")).to_have_value(
        "Your trust meets the alliance's clinical standards for elective hip replacement."
    )
    question = page.locator("fieldset.draft-question").first
    for level in (2, 3, 4, 5):
        question.locator(f"#questions-0-level_{level}").fill(f"Level {level}: more standards met.")
    page.get_by_role("button", name="Save the standard").click()
    expect(page.get_by_role("status").filter(has_text="passes every check")).to_be_visible()
    page.get_by_role("button", name="Publish version 2.1").click()

    # The alliance's target on the new version: QUAL-2 raised to level 4, with the reason.
    expect(page.locator("h1")).to_have_text("Our membership standards (version 2.1)")
    page.get_by_role("link", name="Change QUAL-2").click()
    page.get_by_label("Level 4: Established").check()
    page.get_by_label("Reason for the change").fill("Agreed by the alliance board")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("tr:has(#std-QUAL-2)")).to_contain_text("Agreed by the alliance board")

    # A cycle on the alliance's own version.
    page.goto(f"/alliances/{seen['slug']}/cycles/new")
    page.get_by_label("Cycle name").fill("2027/28")
    page.get_by_label("Framework version").select_option(
        label=("Our membership standards (version 2.1), your alliance's own")
    )
    fill_date(page, "Closing date", date.today() + timedelta(days=60))
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.locator(".app-notice--success, .flash-success").first).to_contain_text("is open")
    page.get_by_role("button", name="Sign out").click()

    # The member: the task list says what the alliance set; the new section asks ORTH-1.
    _sign_in(page, seen["member"])
    page.goto(f"/trusts/{seen['code']}/")
    page.get_by_role("link", name="2027/28").first.click()
    settings = page.locator("section.alliance-settings")
    expect(settings).to_contain_text("QUAL-2")
    expect(settings).to_contain_text(
        "your alliance's target is level 4 (the framework's is level 3)"
    )
    page.get_by_role("link", name="Orthopaedic clinical standards", exact=True).click()
    expect(page.locator("#std-ORTH-1")).to_contain_text("elective hip replacement")
    expect(page.locator("section.standard").first).to_contain_text(
        "Your alliance's target: level 3"
    )
