"""Every way a role is given, tried by every role: nobody gives what they do not hold.

The ways: the administrator's invite form, a coordinator's users import (for their own
alliance and, by URL, for another), and accepting an invitation. Each giver tries to give every
role in both alliances of the access matrix's world; afterwards every standing offer and every
grant must be one the giver's own grants allow (``invitations.rules.may_give``), and no grant
exists that nobody accepted.
"""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.invitations.rules import Scope, may_give
from selfassess.invitations.services import held_scopes
from selfassess.models import RoleGrant, RoleInvitation
from tests.conftest import csrf_token
from tests.test_access_matrix import _sign_in, world  # noqa: F401  (fixture)

GIVERS = ["trust_a", "trust_b", "coord_x", "coord_y", "lead_x", "admin", "no_grant"]
TARGET = "path.target@example.nhs.uk"
ROOT = Path(__file__).resolve().parents[2] / "selfassess"


def _offers_and_grants() -> set[tuple[str, Scope]]:
    db.session.expire_all()
    return {
        ("offer", Scope(o.role, o.alliance_id, o.trust_id))
        for o in db.session.scalars(select(RoleInvitation).where(RoleInvitation.email == TARGET))
    }


def _try_admin_form(client, w) -> None:
    page = client.get("/admin/")
    token = (
        csrf_token(page.text)
        if page.status_code == 200
        else csrf_token(client.get("/home", follow_redirects=True).text)
    )
    for role, alliance, trust in (
        ("site_admin", None, None),
        ("coordinator", w.alliance_x, None),
        ("coordinator", w.alliance_y, None),
        ("trust_user", w.alliance_x, w.trust_a),
        ("trust_user", w.alliance_y, w.trust_b),
    ):
        client.post(
            "/admin/users/invite",
            data={
                "email": TARGET,
                "name": "Target",
                "role": role,
                "alliance": str(alliance.id) if alliance else "",
                "trust": str(trust.id) if trust else "",
                "csrf_token": token,
            },
        )


def _try_import(client, w) -> None:
    """One file per line, so a line the giver may give is not held back by one they may not."""
    header = "email,name,role,trust code\n"
    lines = [
        f"{TARGET},T,coordinator,\n",
        f"{TARGET},T,buddying lead,\n",
        f"{TARGET},T,trust user,TA1\n",
        f"{TARGET},T,trust user,TB1\n",
    ]
    for alliance in (w.alliance_x, w.alliance_y):
        url = f"/alliances/{alliance.slug}/users/import"
        for line in lines:
            page = client.get(url)
            token = csrf_token(
                page.text
                if page.status_code == 200
                else client.get("/home", follow_redirects=True).text
            )
            preview = client.post(
                url,
                data={
                    "csrf_token": token,
                    "members": (io.BytesIO((header + line).encode()), "u.csv"),
                },
                content_type="multipart/form-data",
            )
            form = BeautifulSoup(preview.text, "html.parser").find("form", action=url + "/confirm")
            data = (
                {tag["name"]: tag["value"] for tag in form.find_all("input")}
                if form
                else {"csrf_token": token, "csv_text": header + line}
            )
            client.post(url + "/confirm", data=data)


@pytest.mark.parametrize("giver", GIVERS)
@pytest.mark.parametrize("path", [_try_admin_form, _try_import], ids=["admin form", "import"])
def test_nobody_gives_what_they_do_not_hold(app, client, world, giver, path):  # noqa: F811
    user = world.users[giver]
    held = held_scopes(user)
    _sign_in(client, user)
    grants_before = {
        (g.user_id, g.role, g.alliance_id, g.trust_id)
        for g in db.session.scalars(select(RoleGrant))
    }
    path(client, world)
    made = _offers_and_grants()
    assert all(may_give(held, scope) for _kind, scope in made), (giver, made)
    # Offering never grants: the grants are exactly as before.
    db.session.expire_all()
    assert {
        (g.user_id, g.role, g.alliance_id, g.trust_id)
        for g in db.session.scalars(select(RoleGrant))
    } == grants_before
    allowed_through = {"admin"} if path is _try_admin_form else {"coord_x", "coord_y"}
    assert bool(made) == (giver in allowed_through), (giver, made)  # and the allowed ones did


def _constructs_grants(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = (
                node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            )
            if name == "RoleGrant":
                return True
    return False


def test_only_an_accepted_invitation_creates_a_grant():
    """A new way of giving roles cannot appear unnoticed: only the invitations service (and the
    demo's set-up) may construct a grant."""
    allowed = {ROOT / "invitations" / "services.py", ROOT / "demo" / "loader.py"}
    found = {p for p in ROOT.rglob("*.py") if _constructs_grants(p)}
    assert found == allowed, sorted(str(p.relative_to(ROOT)) for p in found ^ allowed)
