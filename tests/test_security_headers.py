"""Security headers on every kind of response, error pages without internals, CSRF on sign-out."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.models import Cycle, FrameworkSnapshot, InstanceSetting, UserSession
from tests.conftest import build_app, csrf_token

STRICT_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


def _csp(response: Any) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy"
    policy: dict[str, list[str]] = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        assert name not in policy, f"{name} given twice"
        policy[name] = sources
    return policy


def _sign_in(client: FlaskClient, user: Any) -> None:
    from tests.conftest import TEST_PASSWORD

    page = client.get("/auth/sign-in")
    response = client.post(
        "/auth/sign-in",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302


@pytest.fixture
def tenants(make_alliance, make_trust, make_membership, make_user) -> dict[str, Any]:
    alliance, trust_a, trust_b = (
        make_alliance(slug="hdr"),
        make_trust(code="HA1"),
        make_trust(code="HB1"),
    )
    make_membership(alliance, trust_a)
    snapshot = FrameworkSnapshot(
        framework_key="hdr", version="1", title="Headers framework", content_hash="1" * 64, scale=[]
    )
    db.session.add(snapshot)
    db.session.flush()
    cycle = Cycle(
        alliance_id=alliance.id,
        name="2025/26",
        snapshot_id=snapshot.id,
        state="open",
        opens_on=date(2025, 4, 1),
        closes_on=date(2025, 6, 30),
    )
    db.session.add(cycle)
    db.session.commit()
    return {
        "cycle": cycle,
        "coordinator": make_user(("coordinator", alliance)),
        "trust_a_user": make_user(("trust_user", trust_a)),
        "trust_b": trust_b,
    }


# Each case: (how to get the response, expected status, is it static).
CASES: dict[str, tuple[Callable[[FlaskClient, dict[str, Any]], Any], int, bool]] = {
    "html page": (
        lambda c, t: (_sign_in(c, t["coordinator"]), c.get("/alliances/hdr/"))[1],
        200,
        False,
    ),
    "sign-in page": (lambda c, t: c.get("/auth/sign-in"), 200, False),
    "csv download": (
        lambda c, t: (
            _sign_in(c, t["coordinator"]),
            c.get(f"/alliances/hdr/cycles/{t['cycle'].id}/answers.csv"),
        )[1],
        200,
        False,
    ),
    "redirect": (lambda c, t: c.get("/"), 302, False),
    "404 page": (lambda c, t: c.get("/no-such-page"), 404, False),
    "403 page": (
        lambda c, t: (_sign_in(c, t["trust_a_user"]), c.get("/trusts/HB1/"))[1],
        403,
        False,
    ),
    "405 page": (lambda c, t: c.get("/auth/sign-out"), 405, False),
    "400 csrf page": (
        lambda c, t: (_sign_in(c, t["coordinator"]), c.post("/auth/sign-out"))[1],
        400,
        False,
    ),
    "static file": (lambda c, t: c.get("/static/css/report.css"), 200, True),
}


@pytest.fixture(params=list(CASES))
def case(request, client, tenants) -> Any:
    fetch, status, static = CASES[request.param]
    response = fetch(client, tenants)
    response.close()  # static files are streamed; close them so no file handle leaks
    assert response.status_code == status, (request.param, response.status_code)
    return request.param, response, static


def test_content_security_policy_allows_no_inline_or_eval_script(case):
    name, response, _ = case
    policy = _csp(response)
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts is not None, name
    assert "'self'" in scripts
    assert "'unsafe-inline'" not in scripts
    for directive, sources in policy.items():
        assert "'unsafe-eval'" not in sources, f"{name}: {directive} allows 'unsafe-eval'"
        assert "*" not in sources, f"{name}: {directive} allows any origin"
    assert policy.get("frame-ancestors") == ["'none'"]
    assert policy.get("object-src") == ["'none'"]
    assert policy.get("base-uri") in (["'none'"], ["'self'"])


def test_other_security_headers(case):
    name, response, _ = case
    headers = response.headers
    assert headers.get("X-Content-Type-Options") == "nosniff", name
    assert headers.get("Referrer-Policy") in STRICT_REFERRER_POLICIES, name
    assert REQUEST_ID.match(headers.get("X-Request-ID", "")), name


def test_pages_are_never_cached_but_static_files_may_be(case):
    name, response, static = case
    if static:
        assert "no-store" not in response.headers.get("Cache-Control", ""), name
    else:
        assert "no-store" in response.headers.get("Cache-Control", ""), name


def test_downloads_are_attachments_that_browsers_must_not_sniff(client, tenants):
    fetch, _, _ = CASES["csv download"]
    response = fetch(client, tenants)
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/auth/sign-in").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


@pytest.mark.parametrize("name", ["404 page", "403 page", "405 page", "400 csrf page"])
def test_error_pages_show_the_request_id_and_no_internals(client, tenants, name):
    fetch, status, _ = CASES[name]
    response = fetch(client, tenants)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    request_id = response.headers.get("X-Request-ID")
    assert request_id, f"{name} has no X-Request-ID header"
    assert request_id in response.text
    assert "Traceback" not in response.text
    assert "<h1>" in response.text


def test_unexpected_error_is_a_plain_500_page_with_a_reference(tmp_path, caplog):
    database = tmp_path / "errors.sqlite3"
    application = build_app(f"sqlite:///{database}", PROPAGATE_EXCEPTIONS=False)
    assert application.testing  # even under TESTING the handler must answer, not re-raise

    def explode() -> str:
        raise RuntimeError("secret internal detail /etc/passwd")

    explode.access_rule = "public"  # type: ignore[attr-defined]
    application.add_url_rule("/explode", "explode", explode)

    # The tests' client class empties ``g`` before each request, which needs an app context.
    with application.app_context(), caplog.at_level(logging.ERROR):
        response = application.test_client().get("/explode")
        db.engine.dispose()

    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    body = response.text
    assert request_id in body
    assert "Sorry, there is a problem with the service" in body
    for leak in ("Traceback", "RuntimeError", "secret internal detail", "explode"):
        assert leak not in body, leak
    assert "no-store" in response.headers["Cache-Control"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged, "the error is not logged with its request id"
    assert logged[0].exc_info is not None, "the log record has no traceback for the developers"


def _sessions() -> int:
    return db.session.scalar(select(func.count()).select_from(UserSession))


@pytest.mark.parametrize("token", [None, "not-a-valid-token"])
def test_sign_out_without_a_valid_csrf_token_is_refused(client, tenants, token):
    _sign_in(client, tenants["coordinator"])
    assert client.get("/alliances/hdr/").status_code == 200
    data = {} if token is None else {"csrf_token": token}
    response = client.post("/auth/sign-out", data=data)
    assert response.status_code == 400
    assert "Traceback" not in response.text
    assert "the page had expired" in response.text
    assert _sessions() == 1
    assert client.get("/alliances/hdr/").status_code == 200  # still signed in


def test_csrf_token_from_another_session_is_refused(app, client, tenants):
    other = app.test_client()
    _sign_in(other, tenants["trust_a_user"])
    foreign = csrf_token(other.get("/trusts/HA1/").text)
    _sign_in(client, tenants["coordinator"])
    response = client.post("/auth/sign-out", data={"csrf_token": foreign})
    assert response.status_code == 400
    assert _sessions() == 2
    assert client.get("/alliances/hdr/").status_code == 200


def test_an_expired_form_page_reads_the_instance_without_waiting_for_its_own_lock(
    app, client, make_user, caplog
):
    """A form post refused for its CSRF token still shows the demonstration banner.

    The error page reads whether this is a demo instance on a connection of its own, while the
    post's own session holds the write lock; on SQLite that read used to wait out the whole
    30 s busy timeout for the lock its own request held, then give up (no banner, a warning).
    """
    from selfassess import demonstration

    user = make_user()
    db.session.add(InstanceSetting(key=demonstration.DEMO_KEY, value="Demo"))
    db.session.commit()
    app.extensions.pop("selfassess.demonstration", None)  # nothing cached: read the row
    with caplog.at_level(logging.WARNING, logger="selfassess.demonstration"):
        response = client.post("/auth/sign-in", data={"email": user.email, "password": "whatever"})
    assert response.status_code == 400
    assert 'class="demo-banner"' in response.text
    assert "Could not read whether this is a demo instance" not in caplog.text
