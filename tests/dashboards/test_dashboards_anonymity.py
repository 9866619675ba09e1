"""A trust user never sees another member's name or code unless the alliance benchmarks by name.

Checked in the page's HTML and text, and in every chart's embedded data (the dashboards offer no
downloads to trust users; the coordinators' CSV downloads are tested in tests/exports).
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from tests.dashboards.conftest import REGIONS

NAMES = (
    "Zebra Crossing NHS Trust",
    "Yellowhammer Hospitals NHS Trust",
    "Xylophone Health",
    "Wren Valley NHS Foundation Trust",
    "Vole Meadow Hospitals",
    "Umber Hill NHS Trust",
)


def _name(i: int) -> str:
    return NAMES[i]


def _chart_data(html: str) -> list[dict]:
    page = BeautifulSoup(html, "html.parser")
    rows = []
    for tag in page.find_all("script", attrs={"type": "application/json"}):
        for dataset in json.loads(tag.string)["datasets"].values():
            rows.extend(dataset)
    return rows


@pytest.mark.parametrize("query", ["", f"?region={REGIONS[0]}", "?cycle=abc"])
def test_anonymous_alliance_hides_other_members(scored_alliance, sign_in_as, query):
    world = scored_alliance(6, names=_name)
    me, others = world.trusts[2], [t for t in world.trusts if t is not world.trusts[2]]
    client = sign_in_as("trust_user", me)
    response = client.get(f"/trusts/{me.code}/alliances/{world.alliance.slug}/dashboard{query}")
    assert response.status_code == 200
    html = response.text
    for other in others:
        assert other.name not in html, other.name
        assert other.code not in html, other.code
        for word in other.name.split()[:1]:  # "Zebra", "Yellowhammer"...
            assert word not in html, word
    rows = _chart_data(html)
    assert rows, "the page has chart data to check"
    positions = [r for r in rows if "who" in r]
    if not query.startswith("?region"):
        assert {r["who"] for r in positions} == {"Your trust", "Another member"}
    assert me.name in html  # its own name, in the heading


def test_anonymous_peer_dots_are_in_value_order_not_member_order(scored_alliance, sign_in_as):
    world = scored_alliance(6, names=_name)
    client = sign_in_as("trust_user", world.trusts[0])
    html = client.get(
        f"/trusts/{world.trusts[0].code}/alliances/{world.alliance.slug}/dashboard"
    ).text
    positions = [r for r in _chart_data(html) if "who" in r]
    for domain in {r["domain"] for r in positions}:
        values = [r["value"] for r in positions if r["domain"] == domain]
        assert values == sorted(values)


def test_named_alliance_names_its_members(scored_alliance, sign_in_as):
    world = scored_alliance(6, names=_name, named=True)
    client = sign_in_as("trust_user", world.trusts[2])
    html = client.get(
        f"/trusts/{world.trusts[2].code}/alliances/{world.alliance.slug}/dashboard"
    ).text
    who = {r["who"] for r in _chart_data(html) if "who" in r}
    assert who == {"Your trust"} | {t.name for i, t in enumerate(world.trusts) if i != 2}
    assert "benchmarks anonymously" not in html


def test_hostile_names_are_escaped_in_chart_data(scored_alliance, sign_in_as):
    hostile = "</script><script>alert(1)</script>"
    world = scored_alliance(4, names=lambda i: f"{hostile} {i}", named=True)
    client = sign_in_as("coordinator", world.alliance)
    html = client.get(f"/alliances/{world.alliance.slug}/dashboard").text
    assert hostile not in html
    assert any(hostile in str(r.get("member")) for r in _chart_data(html))
