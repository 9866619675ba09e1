"""Dashboards and reports across a framework change: comparisons follow lineage and say so."""

from __future__ import annotations

from itertools import count
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

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


def _table(page: BeautifulSoup, table_id: str) -> dict[str, list[str]]:
    table = page.find("table", id=table_id)
    assert table is not None, table_id
    return {
        row.th.get_text(" ", strip=True): [
            td.get_text(" ", strip=True) for td in row.find_all("td")
        ]
        for row in table.tbody.find_all("tr")
    }


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
    assert standards["IMP-1"][1:3] == ["\N{EN DASH}", "4.0000"]
    assert standards["GOV-1 Core"][0] == "GOV-1 in framework 1.0"
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
