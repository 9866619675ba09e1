"""The save benchmark's floor route (``bench/floor.py``) exists only in the bench's own app."""

from __future__ import annotations

import pytest
from flask import Flask

from bench import floor
from tests.conftest import TEST_PASSWORD, csrf_token


def test_the_app_has_no_floor_route(app) -> None:  # type: ignore[no-untyped-def]
    assert floor.PATH not in {rule.rule for rule in app.url_map.iter_rules()}


def test_a_production_app_refuses_it() -> None:
    production = Flask(__name__)
    production.config["SELFASSESS_ENV"] = "production"
    with pytest.raises(RuntimeError):
        floor.register(production)


def test_the_floor_inserts_one_audited_row_behind_sign_in_and_csrf(app, make_user) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from selfassess.extensions import db
    from selfassess.models import AuditEvent

    app.register_blueprint(floor.bp)  # this test's app only
    client = app.test_client()
    page = client.get("/auth/sign-in")
    anonymous = client.post(floor.PATH, data={"csrf_token": csrf_token(page.text)})
    assert anonymous.status_code in (302, 401)  # nobody signed in
    assert "/auth/sign-in" in anonymous.headers.get("Location", "/auth/sign-in")
    user = make_user()
    client.post(
        "/auth/sign-in",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert client.post(floor.PATH).status_code == 400  # no CSRF token
    count = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "bench.floor")
    before = db.session.scalar(count)
    home = client.get("/", follow_redirects=True)
    answer = client.post(floor.PATH, data={"csrf_token": csrf_token(home.text)})
    assert answer.status_code == 302
    assert db.session.scalar(count) == before + 1


def test_the_served_benchs_saves_keep_the_cookie_a_browser_would_have() -> None:
    """A save's "saved" message rides in the session cookie until the next page clears it; the
    bench does not fetch that page, so its client must not let the message pile up (it once
    made each save parse a cookie of kilobytes)."""
    import http.server
    import threading

    from bench.served import Browser

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self, cookie: str) -> None:
            self.send_response(302)
            self.send_header("Set-Cookie", f"session={cookie}; Path=/")
            self.send_header("Location", "/")
            self.end_headers()

        def do_GET(self) -> None:
            self._answer("fresh")

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            sent = self.headers.get("Cookie", "")
            self._answer(sent.removeprefix("session=") + "-saved")

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        browser = Browser(f"http://127.0.0.1:{server.server_address[1]}")
        browser.send("/")
        for _ in range(3):
            assert browser.save("/save", {"a": "1"})[0] == 302
        assert [c.value for c in browser.cookies] == ["fresh"]
        browser.send("/save", {"a": "1"})  # a plain post keeps what it was given
        assert [c.value for c in browser.cookies] == ["fresh-saved"]
    finally:
        server.shutdown()
        server.server_close()
