"""The member dashboard: figures from stored scores, peers, filters, suppression, bad input."""

from __future__ import annotations

import json
import statistics

from bs4 import BeautifulSoup

from selfassess.scoring.formatting import fmt_index
from tests.dashboards.conftest import REGIONS, standard_score


def _url(world, i: int = 0, **query: str) -> str:
    trust, slug = world.trusts[i].code, world.alliance.slug
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/trusts/{trust}/alliances/{slug}/dashboard" + (f"?{qs}" if qs else "")


def _specs(page: BeautifulSoup) -> dict[str, dict]:
    return {
        tag["id"].removesuffix("-spec"): json.loads(tag.string)
        for tag in page.find_all("script", attrs={"type": "application/json"})
    }


def _get(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.text, "html.parser")


def test_trust_sees_its_index_status_and_standards(scored_alliance, sign_in_as):
    world = scored_alliance(5)
    client = sign_in_as("trust_user", world.trusts[2])
    page = _get(client, _url(world, 2))
    text = page.get_text(" ", strip=True)
    assert fmt_index(world.index(2, 1)) in text
    assert "Improvement required: at least one core standard is not met in this cycle." in text
    assert "1 of 4" in text  # member 2 meets DATA-2 only
    assert "2025/26" in page.find("span", class_="nhsuk-caption-l").text  # latest cycle with scores


def test_domain_statistics_match_the_quantile_rule(scored_alliance, sign_in_as):
    world = scored_alliance(5)
    client = sign_in_as("trust_user", world.trusts[0])
    page = _get(client, _url(world))
    values = []
    for i in range(1, 5):  # the other members: member 0 is not among its own peers
        scores = [standard_score(i, c, 1) for c in ("GOV-1", "GOV-2")]
        values.append((sum(scores) / 2 - 1) / 4 * 100)
    # By hand: members 1-4 score (3.25, 3.75), (2.25, 2.75), (1.25, 1.75), (4.75, 5.0) on
    # GOV-1 and GOV-2: indices 62.5, 37.5, 12.5, 96.875. Sorted, q1 sits at rank 0.75:
    # 12.5 + 0.75 x 25 = 31.25; the median at 1.5: 50; q3 at 2.25: 62.5 + 0.25 x 34.375.
    assert sorted(values) == [12.5, 37.5, 62.5, 96.875]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert (q1, median, q3) == (31.25, 50.0, 71.09375)
    row = page.find("th", string=lambda s: s is not None and s.strip() == "Governance").find_parent(
        "tr"
    )
    cells = [td.get_text(strip=True) for td in row.find_all("td")]
    assert cells[0] == "87.5"  # member 0: (4.25, 4.75) -> 4.5 -> 87.5
    assert cells[1] == "4"
    assert cells[2:5] == ["31.3", "50.0", "71.1"]  # half up: 31.25 -> 31.3
    assert cells[5:7] == ["75", "1"]  # ahead of 3 of its 4 peers: 100 x 3 / 4, a whole number
    peers = _specs(page)["profile"]["datasets"]["peers"]
    assert {
        "domain": "Governance",
        "q1": round(q1, 2),
        "median": round(median, 2),
        "q3": round(q3, 2),
        # The tooltips read as the table does.
        "q1_text": "31.3",
        "median_text": "50.0",
        "q3_text": "71.1",
    } in peers


def test_where_to_improve_lists_unmet_core_standards_first_with_answers(
    scored_alliance, sign_in_as
):
    world = scored_alliance(5)
    client = sign_in_as("trust_user", world.trusts[2])
    page = _get(client, _url(world, 2))
    items = page.select(".improve-list > li")
    headings = [item.find("h3").get_text(" ", strip=True) for item in items]
    assert [h.split(":")[0].split()[0] for h in headings] == ["GOV-1", "DATA-1", "GOV-2"]
    first = items[0].get_text(" ", strip=True)
    assert "Level 2: Descriptor 2" in first and "Guidance for GOV-1" in first
    assert "Evidence for GOV-1" in first  # the question's guidance


def test_every_standard_met_says_so(scored_alliance, sign_in_as):
    world = scored_alliance(5)
    client = sign_in_as("trust_user", world.trusts[0])
    page = _get(client, _url(world))
    assert "Every standard is met in 2025/26." in page.get_text(" ", strip=True)
    assert not page.select(".improve-list")


def test_region_filter_recomputes_the_peer_group(scored_alliance, sign_in_as):
    world = scored_alliance(12)
    client = sign_in_as("trust_user", world.trusts[0])
    everyone = _get(client, _url(world))
    assert "(11 members, not counting your trust)" in everyone.get_text(" ", strip=True)
    region = REGIONS[1].replace(" ", "+")
    narrowed = _get(client, _url(world, region=region))
    text = narrowed.get_text(" ", strip=True)
    # Members 1, 4, 7 and 10 are in the region; member 0 is not among its own peers. Each
    # region has 4 members, so every cell of "all" and the three regions keeps 4.
    assert "(4 members, not counting your trust)" in text
    assert f"members with region {REGIONS[1]}" in text
    assert (
        _specs(narrowed)["profile"]["datasets"]["peers"]
        != _specs(everyone)["profile"]["datasets"]["peers"]
    )


def test_fewer_than_three_peers_hides_figures_and_draws_no_distribution(
    scored_alliance, sign_in_as
):
    world = scored_alliance(4, scored=2)
    client = sign_in_as("trust_user", world.trusts[0])
    page = _get(client, _url(world))
    text = page.get_text(" ", strip=True)
    assert "Peer figures hidden" in text
    assert "Fewer than 4 members in this group have results" in text
    assert "members, not counting" not in text  # the group's size is a figure too
    specs = _specs(page)
    assert "positions" not in specs
    assert specs["profile"]["datasets"]["peers"] == []
    other = fmt_index(world.index(1, 1))
    assert other not in page.decode()  # the other member's index appears nowhere
    assert "Percentile" not in page.select_one(".summary-cards").text
    assert (
        "Hidden (see above)"
        in page.find("th", string=lambda s: s is not None and s.strip() == "Governance").parent.text
    )
    trend = _specs(page)["trend"]["datasets"]["trend"]
    assert {row["series"] for row in trend} == {"Your trust"}  # no median of 1


def test_the_hidden_figures_notice_shows_only_when_figures_are_hidden(scored_alliance, sign_in_as):
    world = scored_alliance(6)
    client = sign_in_as("trust_user", world.trusts[0])
    page = _get(client, _url(world))
    text = page.get_text(" ", strip=True)
    assert "Peer figures hidden" not in text and "private" not in text
    assert not page.select(".app-notice--suppressed")
    assert _specs(page)["profile"]["datasets"]["peers"]  # the figures it would hide are shown


def test_a_coordinator_sees_the_same_group_hidden_below_three_peers(scored_alliance, sign_in_as):
    world = scored_alliance(4, scored=3)
    client = sign_in_as("coordinator", world.alliance)
    page = _get(
        client, f"/alliances/{world.alliance.slug}/members/{world.trusts[0].code}/dashboard"
    )
    text = page.get_text(" ", strip=True)
    assert "(2 members, not counting" in text
    assert "Fewer than 3 peers (2 in this group)" in text


def test_bad_filter_values_give_a_message_not_an_error(scored_alliance, sign_in_as):
    world = scored_alliance(4)
    other = scored_alliance(3)
    client = sign_in_as("trust_user", world.trusts[0])
    for query in (
        {"cycle": "abc"},
        {"cycle": str(other.cycles[1].id)},
        {"cycle": "99999999999"},
        {"region": "Atlantis"},
        {"collaboration_type": "%3Cscript%3E"},
        {"trust_type": ""},
    ):
        response = client.get(_url(world, **query))
        assert response.status_code == 200, query
        page = BeautifulSoup(response.text, "html.parser")
        if any(query.values()):
            summary = page.find(class_="nhsuk-error-summary")
            assert summary is not None, query
            assert "from the list" in summary.text
        assert "<script>" not in response.text


def test_no_scores_yet_shows_a_message(scored_alliance, sign_in_as):
    world = scored_alliance(3, scored=2)
    client = sign_in_as("trust_user", world.trusts[2])
    page = _get(client, _url(world, 2))
    assert "has no submitted or validated assessment in" in page.get_text(" ", strip=True)
    assert set(_specs(page)) <= {"trend"}


def test_coordinator_sees_named_member_dashboard(scored_alliance, sign_in_as):
    world = scored_alliance(4)
    client = sign_in_as("coordinator", world.alliance)
    page = _get(
        client, f"/alliances/{world.alliance.slug}/members/{world.trusts[1].code}/dashboard"
    )
    who = {row["who"] for row in _specs(page)["positions"]["datasets"]["positions"]}
    assert {t.name for t in world.trusts} == who


def test_access_is_scoped_to_members(
    scored_alliance, sign_in_as, make_trust, make_alliance, make_membership
):
    world = scored_alliance(3)
    outsider = make_trust()
    make_membership(make_alliance(), outsider)  # a member of another alliance only
    client = sign_in_as("trust_user", outsider)
    assert (
        client.get(f"/trusts/{outsider.code}/alliances/{world.alliance.slug}/dashboard").status_code
        == 404
    )
    assert client.get(_url(world)).status_code == 403  # another trust's code
    assert client.get(f"/trusts/{outsider.code}/alliances/nope/dashboard").status_code == 404
    coordinator = sign_in_as("coordinator", world.alliance)
    assert (
        coordinator.get(
            f"/alliances/{world.alliance.slug}/members/{outsider.code}/dashboard"
        ).status_code
        == 404
    )


def test_position_spread_summarises_each_domain_whatever_the_number_of_members():
    from selfassess.dashboards.member import position_spreads

    rows = [
        {"domain": "Data", "value": v, "who": "Another member", "is_member": v == 40.0}
        for v in (10.0, 20.0, 40.0, 60.0, 70.0)
    ]
    rows += [
        {"domain": "Governance", "value": 50.0, "who": "Your trust", "is_member": True},
        {"domain": "Governance", "value": 30.0, "who": "Another member", "is_member": False},
    ]
    data, governance = position_spreads(rows)
    # The member (40) is not among its peers: the spread is of 10, 20, 60, 70 -> q1 at rank
    # 0.75: 10 + 0.75 x 10 = 17.5; median 40; q3 at 2.25: 60 + 0.25 x 10 = 62.5.
    assert (data.domain, data.peers.n, data.peers.min, data.peers.max) == ("Data", 4, 10.0, 70.0)
    assert (data.peers.q1, data.peers.median, data.peers.q3) == (17.5, 40.0, 62.5)
    assert (data.value, data.rank, data.out_of) == (40.0, 3, 5)
    assert (governance.peers.n, governance.peers.median, governance.rank) == (1, 30.0, 1)
