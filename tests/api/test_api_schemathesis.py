"""Property-based tests of the running API from its own OpenAPI document (Schemathesis).

A real HTTP server (werkzeug, in a thread) serves an app on the test database with a scored
alliance; Schemathesis loads ``/api/v1/openapi.json`` from it and sends generated requests,
valid and invalid, with a coordinator's token. Every answer must be documented (status, content
type, headers) and match its schema, and none may be a server error. Examples are bounded so
the run stays within about a minute on both databases.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from werkzeug.serving import make_server

from selfassess.api import tokens
from selfassess.api.spec import openapi_document
from selfassess.extensions import db
from selfassess.models import Role, RoleGrant, User
from tests.conftest import BACKENDS, _database_url, _empty_tables, _migrate_once, build_app
from tests.dashboards.conftest import build_scored

EXAMPLES = 25


@dataclass
class Live:
    url: str
    headers: dict[str, str]
    paths: dict[str, str]  # path template -> a real path of the seeded world


@pytest.fixture(scope="module", params=BACKENDS)
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    url = _database_url(request.param, tmp_path_factory)
    # No limit worth hitting: every generated request counts against the one token, and
    # Schemathesis also sends wrong tokens (which count against the address).
    app: Flask = build_app(
        url, API_RATE_LIMIT="1000000/minute", API_BAD_TOKEN_LIMIT="1000000/minute"
    )
    _migrate_once(app, url)
    with app.app_context():
        _empty_tables()
        world = build_scored(6)
        coordinator = User(email="coordinator@example.nhs.uk", name="Live Coordinator")
        coordinator.grants.append(RoleGrant(role=Role.COORDINATOR, alliance_id=world.alliance.id))
        db.session.add(coordinator)
        db.session.commit()
        secret = tokens.create_token(coordinator, "schemathesis", None, 7).secret
        slug, cycle, code = world.alliance.slug, world.cycles[0].id, world.trusts[1].code
        paths = {
            "/api/v1/alliances/{slug}/cycles": f"/api/v1/alliances/{slug}/cycles",
            "/api/v1/alliances/{slug}/cycles/{cycle_id}/standards": (
                f"/api/v1/alliances/{slug}/cycles/{cycle}/standards"
            ),
            "/api/v1/alliances/{slug}/members": f"/api/v1/alliances/{slug}/members",
            "/api/v1/alliances/{slug}/cycles/{cycle_id}/statuses": (
                f"/api/v1/alliances/{slug}/cycles/{cycle}/statuses"
            ),
            "/api/v1/alliances/{slug}/cycles/{cycle_id}/scores": (
                f"/api/v1/alliances/{slug}/cycles/{cycle}/scores"
            ),
            "/api/v1/alliances/{slug}/members/{code}/cycles/{cycle_id}/figures": (
                f"/api/v1/alliances/{slug}/members/{code}/cycles/{cycle}/figures"
            ),
            "/api/v1/alliances/{slug}/buddy-pairs": f"/api/v1/alliances/{slug}/buddy-pairs",
        }
        db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Live(
                url=f"http://127.0.0.1:{server.server_port}",
                headers={"Authorization": f"Bearer {secret}"},
                paths=paths,
            )
        finally:
            server.shutdown()
            thread.join(5)
            db.session.rollback()
            _empty_tables()
            db.session.remove()
            db.engine.dispose()


def _document() -> dict:
    """The document as the app builds it (create_app touches no database). Schemathesis's lazy
    ``from_fixture`` loader does not run under pytest 9, so the schema is loaded here, at
    collection, and ``live`` checks that the running server serves exactly this document."""
    app = build_app("sqlite://")
    with app.app_context():
        return openapi_document()


DOCUMENT = _document()
schema = schemathesis.openapi.from_dict(DOCUMENT)


@pytest.fixture(scope="module")
def api_schema(live: Live) -> schemathesis.schemas.BaseSchema:
    return schema


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_answer_matches_the_openapi_document(case: schemathesis.Case, live: Live) -> None:
    case.call_and_validate(base_url=live.url, headers=_headers_for(case, live))


def _headers_for(case: schemathesis.Case, live: Live) -> dict[str, str]:
    """Our token, unless the case breaks its headers on purpose (one way is leaving out the
    security header): adding the token back turned such a request into a valid one, which the
    server rightly answered 200 and Schemathesis then reported as "schema-violating request
    accepted" (it failed CI once, on both databases, for GET /api/v1/alliances)."""
    meta = case.meta
    headers = meta.components.get(ParameterLocation.HEADER) if meta is not None else None
    if headers is not None and headers.mode == GenerationMode.NEGATIVE:
        return {}
    return live.headers


def test_the_server_serves_the_document_tested(live: Live) -> None:
    import requests

    served = requests.get(f"{live.url}/api/v1/openapi.json", timeout=10)
    assert served.status_code == 200 and served.json() == DOCUMENT
    assert DOCUMENT["openapi"].startswith("3.1")


def test_real_resources_match_the_openapi_document(
    api_schema: schemathesis.schemas.BaseSchema, live: Live
) -> None:
    """Generated slugs and ids rarely exist: each operation is also called on the seeded
    alliance, with JSON, CSV and a repeated ETag, and validated the same way."""
    import requests

    called = 0
    for template, path in live.paths.items():
        operation = api_schema[template]["GET"]
        parameters = dict(
            zip(
                [p for p in template.split("/") if p.startswith("{")],
                [
                    p
                    for p, t in zip(path.split("/"), template.split("/"), strict=True)
                    if t.startswith("{")
                ],
                strict=True,
            )
        )
        values = {k.strip("{}"): v for k, v in parameters.items()}
        case = operation.Case(path_parameters=values, query={"per_page": 3})
        response = case.call_and_validate(base_url=live.url, headers=live.headers)
        assert response.status_code == 200, (template, response.text[:200])
        as_csv = requests.get(
            live.url + path, headers={**live.headers, "Accept": "text/csv"}, timeout=10
        )
        assert as_csv.status_code == 200 and as_csv.headers["Content-Type"].startswith("text/csv")
        again = requests.get(
            live.url + path,
            headers={**live.headers, "If-None-Match": as_csv.headers["ETag"], "Accept": "text/csv"},
            timeout=10,
        )
        assert again.status_code == 304 and again.content == b""
        called += 1
    assert called == len(live.paths)
