"""A large alliance's dashboard lists one page of members; every figure stays reachable."""

from __future__ import annotations

import gzip
import json

from bs4 import BeautifulSoup

from selfassess.charts.alliance import cells_of
from selfassess.dashboards.listing import PAGE_SIZE, Listing, page_number, paginate


def _get(client, world, query: str = ""):
    response = client.get(f"/alliances/{world.alliance.slug}/dashboard{query}")
    assert response.status_code == 200, response.status_code
    return response, BeautifulSoup(response.text, "html.parser")


def _names(page: BeautifulSoup) -> list[str]:
    return [row.find("th").find("a").text for row in page.select("#members-table tbody tr")]


def _heatmap_members(page: BeautifulSoup) -> set[str]:
    spec = json.loads(page.find("script", id="heatmap-spec").string)
    return {cell["member"] for cell in cells_of(spec)}


def test_pages_hold_the_members_in_order_and_every_member_once(scored_alliance, sign_in_as):
    world = scored_alliance(120)
    client = sign_in_as("coordinator", world.alliance)
    everyone = sorted(t.name for t in world.trusts)
    seen = []
    for number in (1, 2, 3):
        _, page = _get(client, world, f"?sort=name&page={number}")
        names = _names(page)
        assert names == everyone[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        # The heatmap and the dots show the same page's members, no one else.
        assert _heatmap_members(page) == set(names)
        dots = json.loads(page.find("script", id="spread-spec").string)["datasets"]["dots"]
        assert {d["member"] for d in dots} == set(names)
        seen += names
    assert seen == everyone
    text = page.get_text(" ", strip=True)
    assert "Members 101 to 120 of 120" in text and "page 3 of 3" in text


def test_the_page_size_is_bounded_whatever_the_number_of_members(scored_alliance, sign_in_as):
    """At 120 members the page holds one page of rows: no more rows, heatmap rows or dots
    than ``PAGE_SIZE`` members give, and about the size of a 50-member alliance's page."""
    small = scored_alliance(PAGE_SIZE)
    large = scored_alliance(120)
    sizes = []
    for world in (small, large):
        client = sign_in_as("coordinator", world.alliance)
        response, page = _get(client, world)
        assert len(page.select("#members-table tbody tr")) == PAGE_SIZE
        heatmap = page.find(id="heatmap").find("table")
        assert len(heatmap.select("tbody tr")) == PAGE_SIZE
        sizes.append(len(response.get_data()))
    # The same rows; only the pager and a few counts differ.
    assert sizes[1] < sizes[0] * 1.1, sizes
    assert len(gzip.compress(response.get_data())) < 60_000


def test_the_aggregates_cover_every_member_not_only_the_page(scored_alliance, sign_in_as):
    world = scored_alliance(120)
    client = sign_in_as("coordinator", world.alliance)
    _, page = _get(client, world, "?page=2")
    counts = page.find("table")  # the status counts: this cycle's column first
    total = sum(int(row.select("td.num")[0].text) for row in counts.select("tbody tr"))
    assert total == 120, counts.get_text(" ", strip=True)
    summary = page.find(id="standards-summary")
    first = summary.select("tbody tr")[0].get_text(" ", strip=True)
    assert "of 120" in first
    spread = page.find(id="spread").find("table").select("tbody tr")[0]
    assert spread.select("td")[0].get_text(strip=True) == "120"


def test_status_and_name_filters_list_only_matching_members(scored_alliance, sign_in_as):
    world = scored_alliance(60, scored=55)
    client = sign_in_as("coordinator", world.alliance)
    _, page = _get(client, world, "?status=Awaiting+submission")
    names = _names(page)
    assert sorted(names) == sorted(t.name for t in world.trusts[55:])
    statuses = {
        row.select_one(".nhsuk-tag").get_text(strip=True)
        for row in page.select("#members-table tbody tr")
    }
    assert statuses == {"Awaiting submission"}
    target = world.trusts[42]
    _, page = _get(client, world, f"?name={target.code.lower()}")
    assert _names(page) == [target.name]
    # The filters are kept by the sort links and the pager.
    link = page.select_one("#members-table thead a")["href"]
    assert f"name={target.code.lower()}" in link


def test_bad_listing_input_is_clamped_or_explained_never_an_error(scored_alliance, sign_in_as):
    world = scored_alliance(120)
    client = sign_in_as("coordinator", world.alliance)
    everyone = sorted(t.name for t in world.trusts)
    _, page = _get(client, world, "?sort=name&page=999")
    assert _names(page) == everyone[100:]  # the last page
    _, page = _get(client, world, "?sort=name&page=0")
    assert _names(page) == everyone[:PAGE_SIZE]
    for bad in ("abc", "-3", "1e9", "9999999999"):
        _, page = _get(client, world, f"?sort=name&page={bad}")
        assert _names(page) == everyone[:PAGE_SIZE], bad
        assert "Page must be a whole number" in page.find(class_="nhsuk-error-summary").text
    _, page = _get(client, world, "?status=%3Cscript%3E")
    assert "Choose a status from the list" in page.find(class_="nhsuk-error-summary").text
    assert len(_names(page)) == PAGE_SIZE
    _, page = _get(client, world, "?name=" + "x" * 500)
    assert "at most 100 characters" in page.find(class_="nhsuk-error-summary").text
    assert len(_names(page)) == PAGE_SIZE


def test_the_pager_is_the_nhs_pattern_with_an_ellipsis(scored_alliance, sign_in_as):
    world = scored_alliance(400, scored=10)
    client = sign_in_as("coordinator", world.alliance)
    _, page = _get(client, world, "?page=4")
    pager = page.select_one("nav.nhsuk-pagination")
    current = pager.select_one(".nhsuk-pagination__item--current a")
    assert current.text.strip() == "4" and current["aria-current"] == "page"
    numbers = [a.text.strip() for a in pager.select(".nhsuk-pagination__link")]
    assert numbers == ["1", "2", "3", "4", "5", "6", "8"]
    assert pager.select(".nhsuk-pagination__item--ellipsis")
    assert "page=3" in pager.select_one(".nhsuk-pagination__previous")["href"]
    assert "page=5" in pager.select_one(".nhsuk-pagination__next")["href"]


def test_listing_rules():
    assert paginate(0, 5).number == 1 and paginate(0, 5).pages == 1
    assert paginate(101, 9).number == 3 and paginate(101, 9).last == 101
    assert page_number("2") == (2, None)
    assert page_number(" 7 ")[0] == 7
    assert page_number("x")[1] is not None
    assert Listing(name="  ").filtered is False
