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
