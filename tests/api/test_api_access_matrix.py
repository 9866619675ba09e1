"""Every API route x role x token scope, and tokens reaching across alliances.

The world is the page matrix's (``tests/test_access_matrix.py``): alliance X with trust A,
alliance Y with trust B, one user per role. Each role gets a token reaching all its grants and,
for each alliance it holds a role in, a token narrowed to it. URLs always name alliance X and
trust A, so a token narrowed to Y, or a user of Y, must be refused exactly as the pages refuse.
"""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import select

from selfassess.api import tokens
from selfassess.extensions import db
from selfassess.models import Alliance, RoleGrant
from tests.test_access_matrix import ROLES, World, build_world

OK = 200


@pytest.fixture
def world(app) -> World:
    return build_world()


#: Who may read each API resource about alliance X / trust A (with a token reaching X).
MAY = {
    "api.me": set(ROLES),
    "api.alliances": set(ROLES),
    "api.cycles": {"trust_a", "coord_x", "lead_x"},
    "api.standards": {"trust_a", "coord_x", "lead_x"},
    "api.members": {"coord_x", "lead_x"},
    "api.statuses": {"coord_x", "lead_x"},
    "api.scores": {"coord_x"},
    "api.member_figures_view": {"coord_x", "lead_x"},
    "api.trust_figures": {"trust_a"},
    "api.buddy_pairs": {"coord_x", "lead_x"},
    "api.trust_buddy_pairs": {"trust_a"},
    "api.openapi": set(ROLES),
    "api.docs": set(ROLES),
}
#: Answers to everyone, whatever the token: no such resource.
NOWHERE = {"api.no_such_resource": 404}
TOKEN_ROLES = [r for r in ROLES if r != "anonymous"]


def _scopes(role: str) -> list[str]:
    grants = {"trust_a": ["x"], "coord_x": ["x"], "lead_x": ["x"], "trust_b": ["y"]}
    return ["all", *grants.get(role, ["y"] if role == "coord_y" else [])]


def expected(endpoint: str, role: str, scope: str) -> int:
    if endpoint in NOWHERE:
        return NOWHERE[endpoint]
    if role == "anonymous":
        return OK if endpoint in ("api.openapi", "api.docs") else 401
    if endpoint in ("api.me", "api.alliances", "api.openapi", "api.docs"):
        return OK
    reaches_x = scope in ("all", "x")
    if endpoint in ("api.trust_figures", "api.trust_buddy_pairs"):
        # The trust is not the caller's (the page's guard: 403), or the token does not reach
        # the alliance where the caller works for it (404, as for another alliance's page).
        if role != "trust_a":
            return 403
        return OK if reaches_x else 403
    return OK if role in MAY[endpoint] and reaches_x else 403


def _api_rules(app):
    return sorted(
        (r.endpoint, r.rule) for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")
    )


def test_every_api_route_has_an_expectation(app):
    assert {e for e, _ in _api_rules(app)} == set(MAY) | set(NOWHERE)


def _token(world: World, role: str, scope: str) -> str | None:
    if role == "anonymous":
        return None
    alliance = {"x": world.alliance_x, "y": world.alliance_y}.get(scope)
    return tokens.create_token(
        world.users[role], f"{role}-{scope}", alliance.id if alliance else None, 7
    ).secret


CELLS = [
    (role, scope)
    for role in ROLES
    for scope in (_scopes(role) if role != "anonymous" else ["none"])
]


@pytest.mark.parametrize(("role", "scope"), CELLS, ids=[f"{r}-{s}" for r, s in CELLS])
def test_api_matrix(app, client, world, role, scope):
    secret = _token(world, role, scope)
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    failures = []
    for endpoint, rule_text in _api_rules(app):
        rule = next(
            r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == rule_text
        )
        with app.test_request_context():
            path = url_for(endpoint, **world.url_values(endpoint, set(rule.arguments)))
        response = client.get(path, headers=headers)
        want = expected(endpoint, role, scope)
        if response.status_code != want:
            failures.append(f"{endpoint} {path}: {response.status_code}, expected {want}")
        if response.status_code >= 400:
            assert response.headers["Content-Type"] == "application/problem+json", endpoint
            assert response.json["status"] == response.status_code
    assert not failures, "\n".join(failures)


def test_a_token_narrowed_to_x_never_reads_y_even_when_its_owner_may(client, world):
    """The owner coordinates both alliances; the token narrowed to X sees X only."""
    owner = world.users["coord_x"]
    owner.grants.append(RoleGrant(role="coordinator", alliance_id=world.alliance_y.id))
    db.session.commit()
    narrowed = tokens.create_token(owner, "x only", world.alliance_x.id, 7).secret
    wide = tokens.create_token(owner, "both", None, 7).secret
    y = world.alliance_y.slug
    for path in (
        f"/api/v1/alliances/{y}/cycles",
        f"/api/v1/alliances/{y}/members",
        f"/api/v1/alliances/{y}/cycles/{world.cycle_y.id}/scores",
        f"/api/v1/alliances/{y}/cycles/{world.cycle_y.id}/statuses",
        f"/api/v1/alliances/{y}/members/TB1/cycles/{world.cycle_y.id}/figures",
    ):
        assert client.get(path, headers={"Authorization": f"Bearer {narrowed}"}).status_code == 403
        assert client.get(path, headers={"Authorization": f"Bearer {wide}"}).status_code == 200
    listed = client.get("/api/v1/alliances", headers={"Authorization": f"Bearer {narrowed}"})
    assert [a["slug"] for a in listed.json["items"]] == [world.alliance_x.slug]


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        # Another alliance's cycle under one's own alliance: as good as missing.
        ("coord_x", "/api/v1/alliances/alliance-x/cycles/{cycle_y}/scores", 404),
        ("coord_x", "/api/v1/alliances/alliance-x/cycles/{cycle_y}/standards", 404),
        ("coord_x", "/api/v1/alliances/alliance-x/members/TB1/cycles/{cycle_x}/figures", 404),
        ("coord_x", "/api/v1/alliances/alliance-y/cycles/{cycle_y}/scores", 403),
        ("lead_x", "/api/v1/alliances/alliance-x/cycles/{cycle_x}/scores", 403),
        ("trust_a", "/api/v1/trusts/TB1/alliances/alliance-y/cycles/{cycle_y}/figures", 403),
        ("trust_b", "/api/v1/trusts/TB1/alliances/alliance-x/cycles/{cycle_x}/figures", 404),
        ("trust_a", "/api/v1/trusts/TA1/alliances/alliance-x/cycles/{cycle_y}/figures", 404),
        ("trust_a", "/api/v1/alliances/alliance-x/cycles/{cycle_x}/scores", 403),
        ("coord_x", "/api/v1/alliances/no-such-alliance/cycles", 404),
        ("coord_x", "/api/v1/alliances/alliance-x/cycles/999999/statuses", 404),
    ],
)
def test_other_tenants_objects_are_refused(client, world, role, path, status):
    secret = tokens.create_token(world.users[role], "t", None, 7).secret
    path = path.format(cycle_x=world.cycle_x.id, cycle_y=world.cycle_y.id)
    response = client.get(path, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == status, (role, path, response.status_code)


def test_refused_requests_change_nothing_but_the_counters(client, world):
    secret = tokens.create_token(world.users["trust_b"], "t", None, 7).secret
    before = db.session.scalar(select(Alliance.name).where(Alliance.slug == "alliance-x"))
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(
            "/api/v1/alliances/alliance-x/cycles", headers={"Authorization": f"Bearer {secret}"}
        )
        assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert db.session.scalar(select(Alliance.name).where(Alliance.slug == "alliance-x")) == before
