"""Query parameters naming records, from another tenant: GET pages must keep to their own.

A page that picks a cycle, member, mentor or filter from the query string offers choices built
for the viewer's own alliance; a value from alliance B is not one of them, so the page shows its
own default instead (with a form error where it has a form), never B's records and never a 500.
``FILTERS`` is the table; ``test_every_reader_of_the_query_string_is_in_the_table`` fails when a
module of the app starts reading ``request.args`` without a row here (or a reason to have none).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

import selfassess
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.cross_tenant.conftest import World


@dataclass(frozen=True)
class Filter:
    """As ``role``, GET ``path`` with ``query``: no 5xx, nothing of B shown but what was typed."""

    endpoint: str
    name: str
    role: str
    path: Callable[[World], str]
    query: Callable[[World], dict[str, str]]


def _lead_home(w: World) -> str:
    return f"/alliances/{w.a.alliance.slug}/buddying/"


def _pairs(w: World) -> str:
    return f"/alliances/{w.a.alliance.slug}/buddying/pairs/"


def _assign(w: World) -> str:
    return (
        f"/alliances/{w.a.alliance.slug}/buddying/cycles/{w.a.old.id}/members/"
        f"{w.a.members['a1'].id}/pairs/new"
    )


def _trust_dashboard(w: World) -> str:
    return f"/trusts/{w.a.trusts['a1'].code}/alliances/{w.a.alliance.slug}/dashboard"


def _member_dashboard(w: World) -> str:
    return f"/alliances/{w.a.alliance.slug}/members/{w.a.trusts['a1'].code}/dashboard"


def _alliance_dashboard(w: World) -> str:
    return f"/alliances/{w.a.alliance.slug}/dashboard"


F = Filter
FILTERS: list[Filter] = [
    F(
        "buddying.home",
        "cycle of another alliance",
        "lead_a",
        _lead_home,
        lambda w: {"cycle": str(w.b.old.id)},
    ),
    F(
        "buddying.home",
        "cycle out of range",
        "lead_a",
        _lead_home,
        lambda w: {"cycle": "99999999999"},
    ),
    F(
        "buddying.list_pairs",
        "trust of another alliance",
        "lead_a",
        _pairs,
        lambda w: {"trust": str(w.b.trusts["b1"].id)},
    ),
    F(
        "buddying.list_pairs",
        "trust of another alliance (coordinator)",
        "coord_a",
        _pairs,
        lambda w: {"trust": str(w.b.trusts["b1"].id), "status": "proposed"},
    ),
    F(
        "buddying.list_pairs",
        "trust who has left",
        "lead_a",
        _pairs,
        lambda w: {"trust": str(w.a.trusts["a3"].id)},
    ),
    F(
        "buddying.assign_pair",
        "suggested mentor of another alliance",
        "lead_a",
        _assign,
        lambda w: {"mentor": str(w.b.members["b2"].id)},
    ),
    F(
        "dashboards.trust_dashboard",
        "cycle of another alliance",
        "user_a1",
        _trust_dashboard,
        lambda w: {"cycle": str(w.b.old.id)},
    ),
    F(
        "dashboards.trust_dashboard",
        "region of another alliance",
        "user_a1",
        _trust_dashboard,
        lambda w: {"cycle": str(w.a.old.id), "region": "Bravo Region"},
    ),
    F(
        "dashboards.member_dashboard",
        "cycle of another alliance",
        "coord_a",
        _member_dashboard,
        lambda w: {"cycle": str(w.b.old.id)},
    ),
    F(
        "dashboards.alliance_dashboard",
        "cycle of another alliance",
        "lead_a",
        _alliance_dashboard,
        lambda w: {"cycle": str(w.b.old.id), "sort": "name"},
    ),
    F(
        "dashboards.alliance_dashboard",
        "open cycle of another alliance",
        "coord_a",
        _alliance_dashboard,
        lambda w: {"cycle": str(w.b.now.id)},
    ),
]

#: Modules that read ``request.args`` for something other than choosing records, and why.
NOT_RECORD_CHOICES = {
    "auth/routes.py": "`next`, a path on this site (see test_next_to_another_tenants_page)",
    "security.py": "reads every value only to refuse NUL",
    "api/answers.py": "the API's page and peer filter, parsed with its pydantic models; a filter "
    "value the alliance's form does not offer is a 400 (tests/api/test_api_resources.py), and the "
    "figures come from the dashboard's own gate",
}


def _b_words(w: World) -> list[str]:
    return ["Bravo", *(t.code for t in w.b.trusts.values())]


@pytest.mark.parametrize("row", FILTERS, ids=[f"{f.endpoint}-{f.name}" for f in FILTERS])
def test_another_tenants_value_in_the_query_is_not_used(client, tw, row):
    tw.sign_in(client, row.role)
    query = row.query(tw)
    response = client.get(f"{row.path(tw)}?{urlencode(query)}")
    assert response.status_code in (200, 400), (row.name, response.status_code)
    shown = response.get_data(as_text=True)
    typed = " ".join(query.values())
    leaked = [word for word in _b_words(tw) if word in shown and word not in typed]
    assert not leaked, f"{row.endpoint}: {row.name} shows {leaked}"
    assert not re.search(r"Bravo 20\d\d/\d\d", shown), "a cycle of B is shown"


def test_every_reader_of_the_query_string_is_in_the_table():
    package = Path(selfassess.__file__).parent
    readers = {
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "request.args" in path.read_text(encoding="utf-8")
    }
    assert "buddying/routes.py" in readers  # the scan sees what it should
    covered = {f.endpoint.split(".")[0] + "/routes.py" for f in FILTERS}
    missing = sorted(readers - covered - NOT_RECORD_CHOICES.keys())
    assert not missing, f"add rows to FILTERS for the pages of: {missing}"


@pytest.mark.parametrize("target", ["b_home", "evil"])
def test_next_to_another_tenants_page(client, tw, target):
    """Signing in with ``next`` naming B's page leads there only to be refused; off-site never."""
    path = f"/trusts/{tw.b.trusts['b1'].code}/" if target == "b_home" else "//evil.example/"
    user = tw.user("user_a1")
    page = client.get(f"/auth/sign-in?{urlencode({'next': path})}")
    response = client.post(
        f"/auth/sign-in?{urlencode({'next': path})}",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert not location.netloc or location.netloc == "localhost"
    followed = client.get(location.path)
    if target == "b_home":
        assert location.path == path
        assert followed.status_code == 403
        assert "Bravo" not in followed.get_data(as_text=True)
    else:
        assert location.path == "/home"
