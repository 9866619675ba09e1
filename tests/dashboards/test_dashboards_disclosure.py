"""The attacker test (issue #13): no combination of a trust's views isolates one other member.

For every trust user of every anonymous alliance in the demo, sign in through the real form and
request the dashboard for every cycle and every combination of the filters the form offers, and
the trust's report for every cycle. Parse every peer figure shown (the domain table's n and
statistics, the percentile, the "members meeting it" counts, the anonymous dots, the trend's
medians) and work out, from the database, which members each shown figure is computed over
(leaving out the viewer, who knows its own scores anyway). Then, per viewer, cycle and score:

- every two views A and B with B inside A differ by no member or by at least K members;
- every cell of the Venn diagram of all the views shown (what an attacker gets by adding and
  subtracting them: "all" minus "North" minus "South", say) holds at least K members;
- nothing at all is shown for a cycle whose figures could still change (open, or awaiting review),
  so that watching a group grow by one submission reveals nothing.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from selfassess.api import tokens as api_tokens
from selfassess.assessments.scores import SCORED_STATES
from selfassess.demo.data import ALLIANCES, DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Assessment,
    AssessmentScore,
    CollaborationType,
    Cycle,
    Membership,
    SnapshotDomain,
    Trust,
    User,
)
from tests.conftest import BACKENDS, csrf_token, demo_instance

K = 3
ANONYMOUS = [a.slug for a in ALLIANCES if not a.named_benchmarking]
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class World:
    """What the database says: members and their attributes, and who holds each figure."""

    alliance: Alliance
    members: dict[str, dict[str, str]]  # trust code -> collaboration type, region, trust type
    cycles: list[Cycle]
    domains: dict[str, str]  # domain name -> code
    holders: dict[tuple[int, str, str], set[str]] = field(default_factory=dict)
    settled: dict[int, bool] = field(default_factory=dict)

    def group(self, cycle_id: int, key: tuple[str, str], chosen: dict[str, str]) -> set[str]:
        """Members matching the filter that hold the figure (the viewer not yet left out)."""
        held = self.holders.get((cycle_id, *key), set())
        return {
            code
            for code in held
            if all(not want or self.members[code][name] == want for name, want in chosen.items())
        }


def _world(slug: str) -> World:
    alliance = db.session.scalars(select(Alliance).where(Alliance.slug == slug)).one()
    members = {
        code: {"collaboration_type": ct, "region": region, "trust_type": kind}
        for code, ct, region, kind in db.session.execute(
            select(Trust.code, Membership.collaboration_type, Trust.region, Trust.trust_type)
            .join(Membership, Membership.trust_id == Trust.id)
            .where(Membership.alliance_id == alliance.id)
        )
    }
    cycles = list(
        db.session.scalars(
            select(Cycle).where(Cycle.alliance_id == alliance.id).order_by(Cycle.opens_on)
        )
    )
    # Every cycle's framework: the demo's cycles span versions 1.0 and 2.0.
    domains = {
        name: code
        for name, code in db.session.execute(
            select(SnapshotDomain.name, SnapshotDomain.code).where(
                SnapshotDomain.snapshot_id.in_({c.snapshot_id for c in cycles})
            )
        )
    }
    world = World(alliance, members, cycles, domains)
    rows = db.session.execute(
        select(
            Assessment.cycle_id,
            Trust.code,
            Assessment.state,
            AssessmentScore.scope,
            AssessmentScore.code,
            AssessmentScore.score_index,
            AssessmentScore.met,
        )
        .join(Membership, Assessment.membership_id == Membership.id)
        .join(Trust, Membership.trust_id == Trust.id)
        .join(AssessmentScore, AssessmentScore.assessment_id == Assessment.id)
        .where(Membership.alliance_id == alliance.id, Assessment.state.in_(SCORED_STATES))
    )
    for cycle_id, code, _state, scope, key, index, met in rows:
        held = met is not None if scope == "standard" else index is not None
        if held:
            world.holders.setdefault((cycle_id, scope, key), set()).add(code)
    states = db.session.execute(
        select(Assessment.cycle_id, Assessment.state)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(Cycle.alliance_id == alliance.id)
    )
    submitted = {cycle_id for cycle_id, state in states if state == "submitted"}
    world.settled = {c.id: c.state == "closed" and c.id not in submitted for c in cycles}
    return world


def _spec_uri(spec: dict[str, Any]) -> str:
    """Stands in for drawing a report's chart as SVG: the chart's data itself, to parse."""
    return "data:application/json;base64," + base64.b64encode(json.dumps(spec).encode()).decode(
        "ascii"
    )


@pytest.fixture(scope="module", params=BACKENDS)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The demo, loaded once for the module (the attack only reads). Reports carry their
    charts' data instead of SVG drawn from it, so the test reads every figure in them."""
    patch = pytest.MonkeyPatch()
    patch.setattr("selfassess.reports.services.svg_data_uri", _spec_uri)
    request.addfinalizer(patch.undo)
    with demo_instance(request.param, tmp_path_factory) as app:
        yield app


def _sign_in(app: Flask, code: str) -> Any:
    client = app.test_client()
    token = csrf_token(client.get("/auth/sign-in").text)
    response = client.post(
        "/auth/sign-in",
        data={
            "email": f"lead.{code.lower()}@{DEMO_EMAIL_DOMAIN}",
            "password": DEMO_PASSWORD,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    return client


TABLE = re.compile(r"<table[^>]*>\s*<caption[^>]*>(.*?)</caption>(.*?)</table>", re.S)
ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
CELL = re.compile(r"<t([hd])[^>]*>(.*?)</t[hd]>", re.S)
SPEC = re.compile(r'<script type="application/json" id="[^"]*">(.*?)</script>', re.S)
TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def _rows(page: str, caption: str) -> list[tuple[str, list[str], str]]:
    """Rows of the table whose caption starts with ``caption``: (heading text, cells, raw
    heading), parsed with regular expressions (BeautifulSoup took most of the test's time)."""
    for found in TABLE.finditer(page):
        if _text(found.group(1)).startswith(caption):
            body = re.split(r"<tbody[^>]*>", found.group(2), maxsplit=1)[-1]
            rows = []
            for row in ROW.findall(body):
                cells = CELL.findall(row)
                heading = next((c for kind, c in cells if kind == "h"), "")
                rows.append(
                    (_text(heading), [_text(c) for kind, c in cells if kind == "d"], heading)
                )
            return rows
    return []


def _options(page: str, name: str) -> list[str]:
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert found is not None, name
    return [html.unescape(v) for v in re.findall(r'<option[^>]*value="([^"]*)"', found.group(1))]


@dataclass
class Shown:
    """The figures one page shows: per (cycle id, scope, code), the n it states (or None)."""

    figures: dict[tuple[int, str, str], int | None] = field(default_factory=dict)

    def add(self, cycle_id: int, scope: str, code: str, n: int | None = None) -> None:
        key = (cycle_id, scope, code)
        if self.figures.get(key) is None:
            self.figures[key] = n


def _dashboard_figures(page: str, world: World, cycle: Cycle) -> Shown:
    shown = Shown()
    for name, cells, _ in _rows(page, "Domain index and peer statistics"):
        if len(cells) >= 7 and NUMBER.match(cells[3]):  # index, n, q1, median, q3, %, quartile
            shown.add(cycle.id, "domain", world.domains[name], int(cells[1]))
    for _, cells, heading in _rows(page, "Standards, scores and targets"):
        code = _text(heading.split("<span", 1)[0])
        counted = re.match(r"^(\d+) of (\d+)$", cells[-1])
        if counted:
            shown.add(cycle.id, "standard", code, int(counted.group(2)))
    by_name = {c.name: c for c in world.cycles}
    for name, cells, _ in _rows(page, "Overall index and status in each cycle"):
        if NUMBER.match(cells[1]):
            shown.add(by_name[name].id, "overall", "overall")
    if "Percentile " in page:
        shown.add(cycle.id, "overall", "overall")
    for spec in SPEC.findall(page):
        _chart_figures(json.loads(html.unescape(spec)), world, cycle, shown)
    return shown


def _chart_figures(spec: dict[str, Any], world: World, cycle: Cycle, shown: Shown) -> None:
    """Peer figures in a chart's data: quartiles, anonymous dots, trend medians."""
    by_name = {c.name: c for c in world.cycles}
    for rows in spec.get("datasets", {}).values():
        for row in rows:
            if "q1" in row or row.get("is_member") is False:
                shown.add(cycle.id, "domain", world.domains[row["domain"]])
            if row.get("series") == "Peer median":
                shown.add(by_name[row["cycle"]].id, "overall", "overall")


def _report_figures(page: str, world: World, cycle: Cycle) -> Shown:
    shown = Shown()
    section = page.split("<h2>Domains against peers</h2>", 1)
    if len(section) == 2:
        table = section[1].split("</table>", 1)[0]
        for row in ROW.findall(re.split(r"<tbody[^>]*>", table, maxsplit=1)[-1]):
            cells = CELL.findall(row)
            name, median = _text(cells[0][1]), _text(cells[2][1])  # index, median, quartile
            if NUMBER.match(median):
                shown.add(cycle.id, "domain", world.domains[name])
    for uri in re.findall(r'src="data:application/json;base64,([^"]+)"', page):
        _chart_figures(json.loads(base64.b64decode(uri)), world, cycle, shown)
    return shown


def _atoms(sets: list[frozenset[str]]) -> list[set[str]]:
    """The cells of the Venn diagram of the sets: members that are in exactly the same sets.

    Written here, not imported, so the test checks the app rather than trusting it.
    """
    cells: dict[tuple[bool, ...], set[str]] = defaultdict(set)
    for member in set().union(*sets):
        cells[tuple(member in s for s in sets)].add(member)
    return list(cells.values())


@dataclass
class Attack:
    """Every view one trust saw: (cycle id, scope, code) -> the member sets it saw figures of."""

    viewer: str
    views: dict[tuple[int, str, str], dict[frozenset[str], str]] = field(
        default_factory=lambda: defaultdict(dict)
    )

    def record(self, world: World, shown: Shown, chosen: dict[str, str], where: str) -> None:
        for (cycle_id, scope, code), n in shown.figures.items():
            matching = world.group(cycle_id, (scope, code), chosen)
            members = frozenset(matching - {self.viewer})
            if n is not None:  # the page's own n says which members it counted: the viewer
                # knows its own scores, so counted or not, the others are what it learns about
                held = self.viewer in world.group(cycle_id, (scope, code), {})
                assert n in (len(members), len(members) + held), (where, scope, code, n)
            self.views[(cycle_id, scope, code)].setdefault(members, where)


def _collect(app: Flask, world: World, viewer: str) -> Attack:
    client = _sign_in(app, viewer)
    base = f"/trusts/{viewer}/alliances/{world.alliance.slug}/dashboard"
    first = client.get(base)
    assert first.status_code == 200
    choices = {
        name: _options(first.text, name) for name in ("collaboration_type", "region", "trust_type")
    }
    attack = Attack(viewer)
    for cycle in world.cycles:
        for values in itertools.product(*choices.values()):
            chosen = dict(zip(choices, values, strict=True))
            query = "&".join(f"{k}={v}" for k, v in chosen.items() if v)
            url = f"{base}?cycle={cycle.id}" + (f"&{query}" if query else "")
            response = client.get(url.replace(" ", "+"))
            assert response.status_code == 200, url
            attack.record(world, _dashboard_figures(response.text, world, cycle), chosen, url)
        url = f"/trusts/{viewer}/alliances/{world.alliance.slug}/cycles/{cycle.id}/report"
        response = client.get(url)
        assert response.status_code == 200, url
        attack.record(world, _report_figures(response.text, world, cycle), {}, url)
    return attack


def _breaches(attack: Attack, world: World) -> list[str]:
    found = []
    for (cycle_id, scope, code), views in attack.views.items():
        label = f"{attack.viewer} sees {scope} {code} in cycle {cycle_id}"
        if not world.settled[cycle_id]:
            found.append(f"{label} before the cycle is settled: {next(iter(views.values()))}")
        sets = list(views)
        for a, b in itertools.permutations(sets, 2):
            if b < a and len(a - b) < K:
                found.append(f"{label}: {views[a]} minus {views[b]} isolates {sorted(a - b)}")
        for cell in _atoms(sets):
            if len(cell) < K:
                found.append(f"{label}: the views {sorted(views.values())} isolate {sorted(cell)}")
    return found


_collected: dict[tuple[str, str], tuple[World, list[Attack]]] = {}


def _attacks(app: Flask, slug: str) -> tuple[World, list[Attack]]:
    """Every trust's views of one alliance, collected once per database for both tests."""
    key = (app.config["SQLALCHEMY_DATABASE_URI"], slug)
    if key not in _collected:
        world = _world(slug)
        _collected[key] = (world, [_collect(app, world, v) for v in sorted(world.members)])
    return _collected[key]


@pytest.mark.parametrize("slug", ANONYMOUS)
def test_no_combination_of_views_isolates_a_member(demo: Flask, slug: str) -> None:
    world, attacks = _attacks(demo, slug)
    breaches = [found for attack in attacks for found in _breaches(attack, world)]
    assert not breaches, f"{len(breaches)} ways to isolate a member, e.g.\n" + "\n".join(
        sorted(set(breaches))[:12]
    )
    if len(world.members) > K + 1:
        assert any(a.views for a in attacks), "no peer figure seen: the parsing is broken"


@pytest.mark.parametrize("slug", ANONYMOUS)
def test_two_members_pooling_their_views_cannot_isolate_a_third(demo: Flask, slug: str) -> None:
    _, attacks = _attacks(demo, slug)
    breaches = []
    for first, second in itertools.combinations(attacks, 2):
        pair = {first.viewer, second.viewer}
        for key in set(first.views) | set(second.views):
            sets = list(first.views.get(key, {})) + list(second.views.get(key, {}))
            for cell in _atoms(sets):
                if len(cell - pair) == 1:
                    breaches.append(f"{sorted(pair)} pooling {key} isolate {sorted(cell - pair)}")
    assert not breaches, "\n".join(sorted(breaches)[:12])


# -- The same attack through the API (issue #20): each trust's personal token asks for its own
# figures in every cycle under every filter, alone and pooled with another trust's token.

_api_collected: dict[tuple[str, str], list[Attack]] = {}


def _api_figures(items: list[dict[str, Any]], cycle: Cycle) -> Shown:
    shown = Shown()
    for item in items:
        if item["peer_n"] is not None:
            shown.add(cycle.id, item["scope"], item["id"], item["peer_n"])
        if item["peers_scored"] is not None:
            shown.add(cycle.id, "standard", item["id"], item["peers_scored"])
    return shown


def _collect_api(app: Flask, world: World, viewer: str) -> Attack:
    user = db.session.scalars(
        select(User).where(User.email == f"lead.{viewer.lower()}@{DEMO_EMAIL_DOMAIN}")
    ).one()
    secret = api_tokens.create_token(user, "attack", None, 7).secret
    client = app.test_client()
    values = list(world.members.values())
    choices = {
        "collaboration_type": ["", *(t.value for t in CollaborationType)],
        "region": ["", *sorted({m["region"] for m in values})],
        "trust_type": ["", *sorted({m["trust_type"] for m in values})],
    }
    attack = Attack(viewer)
    base = f"/api/v1/trusts/{viewer}/alliances/{world.alliance.slug}/cycles"
    for cycle in world.cycles:
        for picked in itertools.product(*choices.values()):
            chosen = dict(zip(choices, picked, strict=True))
            query = "".join(f"&{k}={v}" for k, v in chosen.items() if v)
            url = f"{base}/{cycle.id}/figures?per_page=1000{query}".replace(" ", "+")
            response = client.get(url, headers={"Authorization": f"Bearer {secret}"})
            assert response.status_code == 200, (url, response.status_code)
            attack.record(world, _api_figures(response.json["items"], cycle), chosen, url)
    return attack


def _api_attacks(app: Flask, slug: str) -> tuple[World, list[Attack], list[Attack]]:
    world, pages = _attacks(app, slug)
    key = (app.config["SQLALCHEMY_DATABASE_URI"], slug)
    if key not in _api_collected:
        _api_collected[key] = [_collect_api(app, world, v) for v in sorted(world.members)]
    return world, pages, _api_collected[key]


@pytest.mark.parametrize("slug", ANONYMOUS)
def test_a_token_sees_no_peer_figure_its_trusts_pages_do_not(demo: Flask, slug: str) -> None:
    """Each group the API shows figures of is one the trust's own pages show: the API reaches
    the same visibility gate, never around it. And alone, its views isolate no member."""
    world, pages, apis = _api_attacks(demo, slug)
    extra = [
        f"{api.viewer}: {key} over {sorted(members)} ({where})"
        for page, api in zip(pages, apis, strict=True)
        for key, views in api.views.items()
        for members, where in views.items()
        if members not in page.views.get(key, {})
    ]
    assert not extra, "\n".join(extra[:12])
    breaches = [found for attack in apis for found in _breaches(attack, world)]
    assert not breaches, "\n".join(sorted(set(breaches))[:12])
    if len(world.members) > K + 1:
        assert any(a.views for a in apis), "no peer figure through the API: parsing is broken"


@pytest.mark.parametrize("slug", ANONYMOUS)
def test_two_tokens_pooling_their_views_cannot_isolate_a_third(demo: Flask, slug: str) -> None:
    """Two trusts pool everything their tokens and their pages showed them."""
    _, pages, apis = _api_attacks(demo, slug)
    seen = []
    for page, api in zip(pages, apis, strict=True):
        merged = Attack(page.viewer)
        for source in (page, api):
            for key, views in source.views.items():
                for members, where in views.items():
                    merged.views[key].setdefault(members, where)
        seen.append(merged)
    breaches = []
    for first, second in itertools.combinations(seen, 2):
        pair = {first.viewer, second.viewer}
        for key in set(first.views) | set(second.views):
            sets = list(first.views.get(key, {})) + list(second.views.get(key, {}))
            for cell in _atoms(sets):
                if len(cell - pair) == 1:
                    breaches.append(f"{sorted(pair)} pooling {key} isolate {sorted(cell - pair)}")
    assert not breaches, "\n".join(sorted(breaches)[:12])
