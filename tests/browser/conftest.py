"""Browser fixtures: the demo served on a real port, and a headless Chromium driving it.

The live server runs on SQLite only (a fresh file per session) with the demo loaded. Its requests
each push their own app context in the server thread; the test thread never holds one while the
server runs. Every page blocks requests that leave 127.0.0.1 and fails the test if any were
attempted, if the console logged an error or if the Content Security Policy blocked anything.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Route,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import BaseWSGIServer, make_server

from selfassess.demo.data import DEMO_PASSWORD
from selfassess.demo.loader import load_demo
from selfassess.extensions import db
from tests.conftest import _migrate_once, build_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000

# Records each Content Security Policy violation in ``window.__csp`` (read at teardown) and
# also reports it to Python at once, so violations on pages navigated away from are not lost.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const v = {directive: e.violatedDirective, blocked: e.blockedURI, document: e.documentURI,
             source: e.sourceFile, line: e.lineNumber, sample: e.sample};
  window.__csp.push(v);
  if (window.__reportCsp) { window.__reportCsp(v); }
});
"""


@dataclass
class LiveServer:
    """The running app: its base URL and the Flask app (for reading config only)."""

    url: str
    app: Flask

    def __call__(self, path: str) -> str:
        return self.url + path


@dataclass
class PageProblems:
    """What went wrong on the page during one test; each list must end empty."""

    outside_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[object] = field(default_factory=list)
    #: Console errors a test expects (exact text, e.g. the browser's note of a 404 response).
    expected_console_errors: list[str] = field(default_factory=list)

    def unexpected_console_errors(self) -> list[str]:
        return [e for e in self.console_errors if e not in self.expected_console_errors]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from serve_demo(tmp_path_factory.mktemp("browser-db"))


def serve_demo(folder: Path) -> Iterator[LiveServer]:
    """Serve the demo on a fresh SQLite file in ``folder`` until the generator is closed
    (a module whose tests change the demo's data serves its own)."""
    url = f"sqlite:///{folder / 'selfassess-browser.sqlite3'}"
    app = build_app(url)
    _migrate_once(app, url)
    with app.app_context():
        load_demo()
        db.session.remove()
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    chromium = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def viewport() -> dict[str, int]:
    """The window size of the test's page; override in a test module or with parametrize."""
    return dict(DEFAULT_VIEWPORT)


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(
    browser: Browser,
    live_server: LiveServer,
    viewport: dict[str, int],
    page_problems: PageProblems,
) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies), checked for problems at teardown."""
    context = browser.new_context(
        viewport=viewport,  # type: ignore[arg-type]
        base_url=live_server.url,
        locale="en-GB",
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    allowed_host = urlsplit(live_server.url).hostname

    def only_local(route: Route) -> None:
        request_url = route.request.url
        parts = urlsplit(request_url)
        local = parts.scheme in ("http", "https") and parts.hostname == allowed_host
        if local or parts.scheme in ("data", "blob", "about"):
            route.continue_()
        else:
            page_problems.outside_requests.append(request_url)
            route.abort("blockedbyclient")

    context.route("**/*", only_local)
    context.expose_binding(
        "__reportCsp", lambda _source, violation: page_problems.csp_violations.append(violation)
    )
    context.add_init_script(CSP_LISTENER)
    new_page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            page_problems.console_errors.append(message.text)

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: page_problems.page_errors.append(str(error)))
    try:
        yield new_page
        last_document = _csp_violations(new_page)
    finally:
        context.close()
    assert page_problems.outside_requests == [], "requests left 127.0.0.1"
    assert page_problems.unexpected_console_errors() == [], "the browser console logged errors"
    assert page_problems.page_errors == [], "scripts threw errors"
    assert last_document == [], "the Content Security Policy blocked something on the last page"
    assert page_problems.csp_violations == [], "the Content Security Policy blocked something"


def _csp_violations(page: Page) -> list[dict[str, object]]:
    """Read the violations the current document recorded.

    A page that is closed or showing the browser's own error page (say, after a blocked request)
    has nothing to read; the binding has already reported anything those pages saw.
    """
    if page.is_closed():
        return []
    try:
        return page.evaluate("() => window.__csp || []")
    except PlaywrightError:
        return []


@pytest.fixture
def sign_in(page: Page, live_server: LiveServer):  # type: ignore[no-untyped-def]
    """Sign in through the real form; return after the post-sign-in page has loaded."""

    def do_sign_in(email: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/auth/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()

    return do_sign_in


@pytest.fixture
def screenshot(page: Page, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Save a full-page screenshot into the test's tmp folder and return its path."""

    def take(name: str) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0
        return path

    return take
