"""Dashboards and reports across a framework change: comparisons follow lineage and say so."""

from __future__ import annotations

from itertools import count
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import SnapshotStandard
from tests.conftest import FAST_HASH, csrf_token
from tests.lineage_world import PASSWORD, LineageWorld, build_lineage_world

_n = count(1)


@pytest.fixture
def world(app: Any) -> LineageWorld:
    return build_lineage_world(
        Path(app.config["QUESTIONS_DIR"]), next(_n), password_method=FAST_HASH
    )


def _client(app: Any, email: str) -> Any:
    client = app.test_client()
    token = csrf_token(client.get("/auth/sign-in").text)
    response = client.post(
        "/auth/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def _page(client: Any, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return BeautifulSoup(response.text, "html.parser")


def _row_key(th: Any) -> str:
    """A row header's text without the standard's title (``_titles`` reads that)."""
    return " ".join(
        t.get_text(" ", strip=True)
        for t in th.children
        if not (getattr(t, "get", None) and "standard-statement" in (t.get("class") or []))
    ).strip()


def _table(page: BeautifulSoup, table_id: str) -> dict[str, list[str]]:
    table = page.find("table", id=table_id)
    assert table is not None, table_id
    return {
        _row_key(row.th): [td.get_text(" ", strip=True) for td in row.find_all("td")]
        for row in table.tbody.find_all("tr")
    }


def _titles(page: BeautifulSoup, table_id: str) -> dict[str, str]:
    """Each row's standard title, by the row's key."""
    table = page.find("table", id=table_id)
    return {
        _row_key(row.th): row.th.select_one(".standard-statement").get_text(strip=True)
        for row in table.tbody.find_all("tr")
        if row.th.select_one(".standard-statement")
    }


def _statement(snapshot_id: int, code: str) -> str:
    return db.session.scalars(
        select(SnapshotStandard.statement).where(
            SnapshotStandard.snapshot_id == snapshot_id, SnapshotStandard.code == code
        )
    ).one()


def _text(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ").split())


def test_the_trust_sees_its_trend_cross_from_1_0_to_2_0_in_words(
    app: Any, world: LineageWorld
) -> None:
    client = _client(app, world.trust_user)
    page = _page(
        client, f"/trusts/{world.trusts[0].code}/alliances/{world.alliance.slug}/dashboard"
    )
    text = _text(page)
    assert (
        "2024/25 was assessed on framework 1.0 and 2025/26 on framework 2.0: the overall "
        "index is compared across versions"
    ) in text
    rows = {
        tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr("td")]
        for tr in page.find("figure", id="trend").tbody("tr")
    }
    assert rows["2023/24"][-1] == "1.0"
    assert rows["2024/25"][-1] == "1.0"
    assert rows["2025/26"][-1] == "2.0 changed from 1.0: compared across versions"
    link = page.find("a", string="What changed between the versions")
    assert link["href"] == "/frameworks/alliance-maturity/2.0/changes"
    assert client.get(link["href"]).status_code == 200  # a trust user may read it
    # The chart's rows carry the version, so its line breaks at the change.
    spec = page.find("script", id="trend-spec").string
    assert '"framework": "1.0"' in spec and '"framework": "2.0"' in spec


def test_change_since_the_last_cycle_follows_lineage(app: Any, world: LineageWorld) -> None:
    client = _client(app, world.coordinator)
    page = _page(
        client, f"/alliances/{world.alliance.slug}/members/{world.trusts[0].code}/dashboard"
    )
    text = _text(page)
    assert "Change since 2024/25" in text
    assert (
        "2024/25 was assessed on framework 1.0 and 2025/26 on framework 2.0; standards and "
        "domains are compared through each standard's lineage"
    ) in text
    standards = _table(page, "change-standards")
    # Member 0 answered level 3 in 2024/25 (1.0, every yes counting as its yes_level) and
    # level 4 in 2025/26 (2.0, criteria met): each figure is read from the stored scores.
    assert standards["VIS-1 Core"][0] == "VIS-1 and VIS-2 in framework 1.0 (their mean)"
    assert standards["MET-2"][0] == "MET-1 in framework 1.0"
    assert standards["IMP-1"][0] == "New in framework 2.0: nothing to compare with"
    assert standards["IMP-1"][1:3] == ["\N{EN DASH}", "4.00"]
    assert standards["GOV-1 Core"][0] == "GOV-1 in framework 1.0"
    # Each standard's title is the one of the framework version the cycle used (2.0), not 1.0's.
    titles = _titles(page, "change-standards")
    assert titles["MET-2"] == _statement(world.cycles[-1].snapshot_id, "MET-2")
    assert titles["MET-2"] != _statement(world.cycles[0].snapshot_id, "MET-2")  # 1.0 words it so
    assert titles["VIS-1 Core"] == _statement(world.cycles[-1].snapshot_id, "VIS-1")
    assert titles["IMP-1"] == _statement(world.cycles[-1].snapshot_id, "IMP-1")
    domains = _table(page, "change-domains")
    assert domains["Shared vision"][0] == "Shared vision in framework 1.0"
    assert domains["Improvement strategies"][0] == "New in framework 2.0: nothing to compare with"
    assert domains["Improvement strategies"][3] == "\N{EN DASH}"


def test_a_change_within_one_version_is_not_flagged(app: Any, world: LineageWorld) -> None:
    client = _client(app, world.coordinator)
    cycle = world.cycles[1]
    page = _page(
        client,
        f"/alliances/{world.alliance.slug}/members/{world.trusts[0].code}"
        f"/dashboard?cycle={cycle.id}",
    )
    text = _text(page)
    assert "Change since 2023/24" in text
    assert "Compared across framework versions" not in text
    standards = _table(page, "change-standards")
    assert standards["VIS-2 Core"][0] == "The same"


def test_the_alliance_dashboard_flags_index_changes_across_versions(
    app: Any, world: LineageWorld
) -> None:
    client = _client(app, world.coordinator)
    page = _page(client, f"/alliances/{world.alliance.slug}/dashboard")
    text = _text(page)
    assert (
        "2024/25 was assessed on framework 1.0 and 2025/26 on framework 2.0: each change in "
        "overall index compares indices across versions"
    ) in text
    headers = [th.get_text(" ", strip=True) for th in page.find(id="members-table").thead("th")]
    assert "Change across versions" in headers
    assert "2024/25 (framework 1.0)" in text  # the status table's earlier column
    report = _text(
        _page(client, f"/alliances/{world.alliance.slug}/cycles/{world.cycles[2].id}/report")
    )
    assert "each change in overall index compares indices across versions" in report


def test_the_member_report_says_so_too(app: Any, world: LineageWorld) -> None:
    client = _client(app, world.coordinator)
    report = _text(
        _page(
            client,
            f"/alliances/{world.alliance.slug}/cycles/"
            f"{world.cycles[2].id}/members/{world.trusts[0].code}/report",
        )
    )
    assert "Change since 2024/25" in report
    assert "compared through each standard's lineage" in report
    assert "2.0 (changed from 1.0)" in report
