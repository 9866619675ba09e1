"""What the resources hold and how they answer: anonymity and suppression as on the pages,
targets an alliance set, pages in a stable order, ETag/304, CSV by Accept, problem details,
and the OpenAPI document and its reference page."""

from __future__ import annotations

import csv
import io

from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import Cycle, FrameworkSnapshot, Membership, SnapshotStandard
from tests.dashboards.conftest import build_scored


def _figures(api_get, secret, trust, world, cycle, **filters):
    query = "".join(f"&{k}={v}" for k, v in filters.items())
    url = (
        f"/api/v1/trusts/{trust.code}/alliances/{world.alliance.slug}/cycles/{cycle.id}/figures"
        f"?per_page=1000{query}"
    )
    return api_get(url.replace(" ", "+"), secret)


def _peer_fields(items):
    return [
        (i["scope"], i["id"])
        for i in items
        if i["peer_n"] is not None or i["peers_scored"] is not None or i["percentile"] is not None
    ]


def test_a_trust_token_gets_no_peer_figure_of_an_unsettled_cycle(make_user, make_token, api_get):
    """Anonymous alliance, latest cycle still open: the trust's own figures only."""
    world = build_scored(8, latest="open")
    trust = world.trusts[0]
    secret = make_token(make_user(("trust_user", trust)))
    answer = _figures(api_get, secret, trust, world, world.cycles[1])
    assert answer.status_code == 200
    items = answer.json["items"]
    assert _peer_fields(items) == []
    assert answer.json["withheld"] and "closed" in answer.json["withheld"]
    assert all(i["withheld"] for i in items if i["scope"] != "standard" or i["peers_met"] is None)
    assert any(i["value"] is not None for i in items)  # its own scores are there
    # The settled cycle before it shows peer figures; a coordinator sees the open one too.
    assert _peer_fields(_figures(api_get, secret, trust, world, world.cycles[0]).json["items"])
    coordinator = make_token(make_user(("coordinator", world.alliance)))
    staff = api_get(
        f"/api/v1/alliances/{world.alliance.slug}/members/{trust.code}/cycles/"
        f"{world.cycles[1].id}/figures?per_page=1000",
        coordinator,
    )
    assert _peer_fields(staff.json["items"])


def test_small_groups_and_differencing_filters_are_withheld_from_a_trust_token(
    make_user, make_token, api_get
):
    world = build_scored(8)
    trust = world.trusts[0]
    secret = make_token(make_user(("trust_user", trust)))
    cycle = world.cycles[0]
    everyone = _figures(api_get, secret, trust, world, cycle).json["items"]
    assert _peer_fields(everyone)
    # London holds 3 of the 8 members (0, 3, 6): two peers for member 0, fewer than three.
    london = _figures(api_get, secret, trust, world, cycle, region="London")
    assert london.status_code == 200 and _peer_fields(london.json["items"]) == []
    assert all(i["withheld"] for i in london.json["items"])
    # Every filter value the form does not offer is refused, as on the page.
    refused = _figures(api_get, secret, trust, world, cycle, region="Atlantis")
    assert refused.status_code == 400
    assert refused.json["errors"][0]["loc"] == ["query", "region"]


def test_named_alliances_and_staff_see_peers_but_never_a_group_under_three(
    make_user, make_token, api_get
):
    world = build_scored(3, named=True)  # two peers for every member
    coordinator = make_token(make_user(("coordinator", world.alliance)))
    figures = api_get(
        f"/api/v1/alliances/{world.alliance.slug}/members/{world.trusts[0].code}/cycles/"
        f"{world.cycles[0].id}/figures",
        coordinator,
    )
    assert _peer_fields(figures.json["items"]) == []
    assert all("fewer than 3" in i["withheld"] for i in figures.json["items"] if i["withheld"])


def test_targets_an_alliance_set_are_marked_and_the_framework_target_kept(
    make_user, make_token, api_get
):
    world = build_scored(4, crossing=True)  # the cycles are on two snapshots
    cycle = world.cycles[0]
    snapshot = db.session.get(FrameworkSnapshot, cycle.snapshot_id)
    snapshot.adjustments = {"GOV-1": {"target": [3.0, 4.0], "reason": "Stretch"}}
    standard = db.session.scalars(
        select(SnapshotStandard).where(
            SnapshotStandard.snapshot_id == snapshot.id, SnapshotStandard.code == "GOV-1"
        )
    ).one()
    standard.target = 4.0
    db.session.commit()
    secret = make_token(make_user(("coordinator", world.alliance)))
    slug = world.alliance.slug
    standards = api_get(f"/api/v1/alliances/{slug}/cycles/{cycle.id}/standards", secret).json
    gov = next(s for s in standards["items"] if s["code"] == "GOV-1")
    assert (gov["target"], gov["framework_target"], gov["target_set_by"]) == (4.0, 3.0, "alliance")
    other = next(s for s in standards["items"] if s["code"] == "GOV-2")
    assert other["target_set_by"] == "framework"
    assert standards["framework"]["alliance_settings"] is True
    cycles = api_get(f"/api/v1/alliances/{slug}/cycles", secret).json["items"]
    assert cycles[0]["framework"]["alliance_settings"] is True
    assert cycles[1]["framework"]["alliance_settings"] is False  # the other cycle's snapshot
    scores = api_get(f"/api/v1/alliances/{slug}/cycles/{cycle.id}/scores?per_page=1000", secret)
    assert {r["target_set_by"] for r in scores.json["items"] if r["id"] == "GOV-1"} == {"alliance"}


def test_pages_are_stable_and_cover_the_list_once(make_user, make_token, api_get):
    world = build_scored(7)
    secret = make_token(make_user(("coordinator", world.alliance)))
    url = f"/api/v1/alliances/{world.alliance.slug}/cycles/{world.cycles[0].id}/scores"
    whole = api_get(f"{url}?per_page=1000", secret).json
    seen, next_url = [], f"{url}?per_page=10"
    while next_url:
        page = api_get(next_url, secret).json
        assert page["total"] == whole["total"]
        seen += page["items"]
        next_url = page["links"]["next"]
    assert seen == whole["items"]
    beyond = api_get(f"{url}?per_page=10&page=999", secret).json
    assert beyond["items"] == [] and beyond["links"]["next"] is None
    for bad in ("page=0", "per_page=1001", "page=x"):
        problem = api_get(f"{url}?{bad}", secret)
        assert problem.status_code == 400
        assert problem.headers["Content-Type"] == "application/problem+json"
        assert set(problem.json) >= {"type", "title", "status", "detail", "instance"}


def test_etag_and_csv(make_user, make_token, api_get):
    world = build_scored(5)
    secret = make_token(make_user(("coordinator", world.alliance)))
    url = f"/api/v1/alliances/{world.alliance.slug}/members"
    first = api_get(url, secret)
    assert first.headers["ETag"] and "Accept" in first.headers["Vary"]
    assert api_get(url, secret, **{"If-None-Match": first.headers["ETag"]}).status_code == 304
    as_csv = api_get(url, secret, Accept="text/csv")
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    assert as_csv.headers["ETag"] != first.headers["ETag"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["trust_code"] for r in rows] == [m["trust_code"] for m in first.json["items"]]
    build_scored(1)  # another alliance: nothing changes here
    assert api_get(url, secret, **{"If-None-Match": first.headers["ETag"]}).status_code == 304
    # A member leaving changes the answer, so the old tag no longer matches.
    membership = db.session.scalars(
        select(Membership).where(Membership.alliance_id == world.alliance.id)
    ).first()
    membership.active = False
    db.session.commit()
    changed = api_get(url, secret, **{"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert api_get(url, secret, Accept="application/xml").status_code == 406
    assert api_get("/api/v1/me", secret, Accept="text/csv").status_code == 406


def test_the_openapi_document_and_its_page_need_no_token_and_no_cdn(client, app):
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200 and document.json["openapi"] == "3.1.0"
    assert "/api/v1/alliances/{slug}/cycles/{cycle_id}/scores" in document.json["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.find("h1") and soup.find("main")
    assert not soup.find_all("script", src=True) or all(
        s["src"].startswith("/") for s in soup.find_all("script", src=True)
    )
    assert "https://" not in page.text.split("<main", 1)[1].split("</main>", 1)[0]
    assert "Authorization: Bearer" in page.text
    assert db.session.scalars(select(Cycle)).all() == []


def test_a_trust_token_lists_only_its_own_trusts_pairs(make_user, make_token, api_get):
    from datetime import date

    from selfassess.models import BuddyPair

    world = build_scored(5)
    memberships = {
        m.trust_id: m
        for m in db.session.scalars(
            select(Membership).where(Membership.alliance_id == world.alliance.id)
        )
    }
    a, b, c = (memberships[t.id] for t in world.trusts[:3])
    db.session.add_all(
        [
            BuddyPair(
                alliance_id=world.alliance.id,
                mentor_membership_id=mentor.id,
                mentee_membership_id=mentee.id,
                focus_standards=["GOV-1"],
                start_date=date(2025, 5, 1),
                status="active",
            )
            for mentor, mentee in ((b, a), (b, c))
        ]
    )
    db.session.commit()
    trust = world.trusts[0]
    secret = make_token(make_user(("trust_user", trust)))
    own = api_get(
        f"/api/v1/trusts/{trust.code}/alliances/{world.alliance.slug}/buddy-pairs", secret
    )
    assert own.status_code == 200
    assert [(p["mentor_trust_code"], p["mentee_trust_code"]) for p in own.json["items"]] == [
        (world.trusts[1].code, trust.code)
    ]
    coordinator = make_token(make_user(("coordinator", world.alliance)))
    every = api_get(f"/api/v1/alliances/{world.alliance.slug}/buddy-pairs", coordinator)
    assert every.json["total"] == 2
