"""A member's trend crossing from framework 1.0 to 2.0, in a real browser, offline.

Serves its own alliance (two cycles on 1.0, then one on 2.0, built from the real question bank
by ``tests/lineage_world.py``) rather than the demo, which is being re-made separately.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import BaseWSGIServer, make_server

from selfassess.extensions import db
from tests.browser.conftest import LiveServer
from tests.browser.test_dashboards import charts_drawn
from tests.conftest import FAST_HASH, _migrate_once, build_app
from tests.lineage_world import PASSWORD, build_lineage_world

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Seen:
    """What the test needs of the built alliance, read before its session closed."""

    slug: str
    code: str
    name: str
    email: str


@pytest.fixture(scope="module")
def world_and_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Seen, LiveServer]]:
    folder = tmp_path_factory.mktemp("lineage-db")
    url = f"sqlite:///{folder / 'lineage.sqlite3'}"
    app = build_app(url)
    _migrate_once(app, url)
    with app.app_context():
        world = build_lineage_world(Path(app.config["QUESTIONS_DIR"]), 1, password_method=FAST_HASH)
        seen = Seen(
            world.alliance.slug, world.trusts[0].code, world.trusts[0].name, world.trust_user
        )
        db.session.remove()
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="lineage-server", daemon=True)
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
def live_server(world_and_server: tuple[Seen, LiveServer]) -> LiveServer:
    return world_and_server[1]


def test_a_trend_crossing_from_1_0_to_2_0_says_so_on_the_page(
    page: Page, world_and_server: tuple[Seen, LiveServer]
) -> None:
    seen, _ = world_and_server
    page.goto("/auth/sign-in")
    page.get_by_label("Email address").fill(seen.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto(f"/trusts/{seen.code}/alliances/{seen.slug}/dashboard")
    expect(page.locator("h1")).to_have_text(f"{seen.name}: benchmarking")
    charts_drawn(page, {"profile", "standards", "positions", "trend"})
    # The crossing, in words, beside the trend chart.
    crossing = page.locator(".app-notice--crossing").filter(has_text="Framework changed")
    expect(crossing).to_contain_text(
        "2024/25 was assessed on framework 1.0 and 2025/26 on framework 2.0: the overall index "
        "is compared across versions"
    )
    # The chart's own table names each cycle's version and marks the crossing.
    table = page.locator("#trend table")
    expect(table.locator("tr", has_text="2023/24")).to_contain_text("1.0")
    expect(table.locator("tr", has_text="2025/26")).to_contain_text(
        "2.0 changed from 1.0: compared across versions"
    )
    # Change since the last cycle, through lineage.
    expect(page.locator("#change")).to_have_text("Change since 2024/25")
    expect(page.locator("#change-standards tr", has_text="VIS-1")).to_contain_text(
        "VIS-1 and VIS-2 in framework 1.0 (their mean)"
    )
    # And what changed between the versions, one link away.
    with page.expect_navigation():
        crossing.get_by_role("link", name="What changed between the versions").click()
    expect(page.locator("h1")).to_have_text("What changed from framework 1.0 to 2.0")
