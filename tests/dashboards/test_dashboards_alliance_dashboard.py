"""The coordinator's alliance dashboard: status table, sorting, filters, heatmap, drill-down."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from selfassess.charts.alliance import cells_of
from selfassess.scoring.formatting import fmt_change
from tests.dashboards.conftest import REGIONS

DASH = "\N{EN DASH}"  # what the table shows for no figure


def _page(client, world, query: str = "") -> BeautifulSoup:
    response = client.get(f"/alliances/{world.alliance.slug}/dashboard{query}")
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.text, "html.parser")


def _member_rows(page: BeautifulSoup) -> list[str]:
    return [row.find("th").find("a").text for row in page.select("#members-table tbody tr")]


def _specs(page: BeautifulSoup) -> dict[str, dict]:
    return {
        tag["id"].removesuffix("-spec"): json.loads(tag.string)
        for tag in page.find_all("script", attrs={"type": "application/json"})
    }


def test_status_table_lists_every_member_worst_first(scored_alliance, sign_in_as):
    world = scored_alliance(6, scored=5)
    client = sign_in_as("coordinator", world.alliance)
    page = _page(client, world)
    rows = page.select("#members-table tbody tr")
    assert len(rows) == 6
    statuses = [row.select_one(".nhsuk-tag").get_text(strip=True) for row in rows]
    assert statuses[0] == "Improvement required"
    assert statuses[-1] == "Meets standards"
    assert "Awaiting submission" in statuses
    # Drill-down to each member's dashboard, in the cycle shown.
    link = rows[0].find("a")["href"]
    assert link.startswith(f"/alliances/{world.alliance.slug}/members/")
    assert client.get(link).status_code == 200


def test_sorting_by_index_and_name(scored_alliance, sign_in_as):
    world = scored_alliance(6)
    client = sign_in_as("coordinator", world.alliance)
    by_index = _member_rows(_page(client, world, "?sort=-index"))
    expected = [world.trusts[i].name for i in sorted(range(6), key=lambda i: -world.index(i, 1))]
    assert by_index == expected
    ascending = _member_rows(_page(client, world, "?sort=index"))
    assert ascending == expected[::-1]
    assert _member_rows(_page(client, world, "?sort=name")) == sorted(t.name for t in world.trusts)
    assert len(_member_rows(_page(client, world, "?sort=%3Cjunk%3E"))) == 6


def test_change_since_previous_cycle(scored_alliance, sign_in_as):
    world = scored_alliance(3)
    client = sign_in_as("coordinator", world.alliance)
    page = _page(client, world, "?sort=name")
    first = page.select("#members-table tbody tr")[0]
    change = world.index(0, 1) - world.index(0, 0)
    assert fmt_change(change) in first.get_text(" ", strip=True)
    assert fmt_change(change) == f"+{change:.1f}"  # one decimal place, with its sign


def test_region_filter_narrows_members_and_heatmap(scored_alliance, sign_in_as):
    world = scored_alliance(9)
    client = sign_in_as("coordinator", world.alliance)
    page = _page(client, world, f"?region={REGIONS[2].replace(' ', '+')}")
    assert sorted(_member_rows(page)) == sorted(world.trusts[i].name for i in (2, 5, 8))
    cells = cells_of(_specs(page)["heatmap"])
    assert {c["member"] for c in cells} == {world.trusts[i].name for i in (2, 5, 8)}
    assert len(cells) == 3 * 4


def test_heatmap_names_each_standard_by_code_and_title(scored_alliance, sign_in_as):
    world = scored_alliance(3)
    client = sign_in_as("coordinator", world.alliance)
    page = _page(client, world)
    spec = _specs(page)["heatmap"]
    columns = {c["standard"]: c for c in spec["datasets"]["standards"]}
    assert columns["GOV-1"]["column"] == "GOV-1 Statement of GOV-1"  # the axis label
    assert columns["GOV-1"]["title"] == "GOV-1 Statement of GOV-1"  # the tooltip: all of it
    assert columns["GOV-1"]["target_text"] == "3"
    assert spec["layer"][0]["encoding"]["x"]["field"] == "column"
    gov1 = next(c for c in cells_of(spec) if c["standard"] == "GOV-1")
    assert gov1["score_text"] == f"{gov1['score']:.2f}"
    header = page.find(id="heatmap").find("thead").find("abbr", string="GOV-1")
    assert header["title"] == "Statement of GOV-1"
    key = page.select_one(".standards-key")
    assert key.summary.get_text(strip=True) == "What each standard code means"
    assert "GOV-1 (core): Statement of GOV-1" in " ".join(key.get_text(" ").split()).replace(
        " :", ":"
    )


def test_heatmap_marks_unmet_cells_in_words_and_symbol(scored_alliance, sign_in_as):
    world = scored_alliance(4)
    client = sign_in_as("coordinator", world.alliance)
    page = _page(client, world)
    cells = cells_of(_specs(page)["heatmap"])
    unmet = [c for c in cells if c["result"] == "Not met"]
    assert unmet and all(c["mark"] == "\N{BALLOT X}" for c in unmet)
    assert all(c["score"] < c["target"] for c in unmet)
    table = page.find(id="heatmap").find("table")
    assert len(table.select(".not-met")) == len(unmet)


def test_small_groups_keep_their_distributions_and_no_privacy_notice(scored_alliance, sign_in_as):
    """The heatmap names every compared member's score, so hiding their median "to keep each
    member's scores private" would hide nothing: no notice, and the distributions are drawn."""
    world = scored_alliance(5, scored=2)
    client = sign_in_as("coordinator", world.alliance)
    page = _page(client, world)
    specs = _specs(page)
    assert {"heatmap", "spread", "weakest"} <= set(specs)
    text = page.get_text(" ", strip=True)
    assert "Distributions hidden" not in text and "private" not in text
    assert not page.select(".app-notice--suppressed")
    # The spread's median is the two members' own figures' median, as the table says.
    stats = {row["domain"]: row for row in specs["spread"]["datasets"]["stats"]}
    dots = specs["spread"]["datasets"]["dots"]
    domain = dots[0]["domain"]
    values = sorted(d["value"] for d in dots if d["domain"] == domain)
    assert len(values) == 2
    assert abs(stats[domain]["median"] - sum(values) / 2) < 0.01
    row = (
        page.find(id="spread")
        .find("th", string=lambda s: s is not None and s.strip() == domain)
        .parent
    )
    assert stats[domain]["median_text"] in [td.get_text(strip=True) for td in row.find_all("td")]


def test_buddying_lead_may_view_trust_user_may_not(scored_alliance, sign_in_as):
    world = scored_alliance(3)
    lead = sign_in_as("buddying_lead", world.alliance)
    assert lead.get(f"/alliances/{world.alliance.slug}/dashboard").status_code == 200
    trust = sign_in_as("trust_user", world.trusts[0])
    assert trust.get(f"/alliances/{world.alliance.slug}/dashboard").status_code == 403
    other = scored_alliance(3)
    assert lead.get(f"/alliances/{other.alliance.slug}/dashboard").status_code == 403


def test_an_alliance_without_cycles_says_so(make_alliance, sign_in_as):
    alliance = make_alliance()
    client = sign_in_as("coordinator", alliance)
    response = client.get(f"/alliances/{alliance.slug}/dashboard")
    assert response.status_code == 200
    assert "no assessment cycles yet" in response.text


def test_member_table_counts_standards_met_and_names_core_standards_not_met(
    scored_alliance, sign_in_as
):
    from sqlalchemy import select

    from selfassess.extensions import db
    from selfassess.models import AssessmentScore
    from tests.dashboards.conftest import STANDARDS, standard_score

    world = scored_alliance(4, scored=3)
    # Member 0 has no answers to score core standard DATA-1 now: the scoring counts that as
    # not shown to be met (ScoreResult.core_not_met), and so does the member table.
    assessment = world.assessments[(1, 0)]
    row = db.session.scalar(
        select(AssessmentScore).where(
            AssessmentScore.assessment_id == assessment.id, AssessmentScore.code == "DATA-1"
        )
    )
    assessment.standards_met -= bool(row.met)
    row.score = row.met = None
    db.session.commit()
    client = sign_in_as("coordinator", world.alliance)
    page = _page(client, world, "?sort=name")
    for heading in page.select("#members-table tbody .nhsuk-table__heading"):
        heading.extract()  # the responsive table's column name before each value
    lines = {
        tr.find("th").find("a").text: [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in page.select("#members-table tbody tr")
    }
    for i, trust in enumerate(world.trusts):
        met_cell, core_cell = lines[trust.name][5:7]
        if i == 3:  # never submitted
            assert (met_cell, core_cell) == (DASH, DASH)
            continue
        scores = {code: standard_score(i, code, 1) for code, _, _ in STANDARDS}
        if i == 0:
            scores["DATA-1"] = None
        met = [c for c, _, target in STANDARDS if scores[c] is not None and scores[c] >= target]
        unmet_core = sorted(
            c for c, core, target in STANDARDS if core and (scores[c] is None or scores[c] < target)
        )
        assert met_cell == f"{len(met)} of {len(STANDARDS)}"
        assert core_cell == (", ".join(unmet_core) or DASH)
    assert "DATA-1" in lines[world.trusts[0].name][6]
    by_met = _member_rows(_page(client, world, "?sort=-met"))
    counts = [int(lines[name][5].split()[0]) for name in by_met[:3]]
    assert counts == sorted(counts, reverse=True)


def test_core_standards_not_met_are_named_on_every_page(scored_alliance, sign_in_as):
    """Read for the rows shown only: the second page's members have theirs too."""
    from tests.dashboards.conftest import STANDARDS, standard_score

    world = scored_alliance(55)
    client = sign_in_as("coordinator", world.alliance)
    page = _page(client, world, "?sort=name&page=2")
    for heading in page.select("#members-table tbody .nhsuk-table__heading"):
        heading.extract()
    rows = page.select("#members-table tbody tr")
    assert len(rows) == 5
    index_of = {t.name: i for i, t in enumerate(world.trusts)}
    named = 0
    for tr in rows:
        i = index_of[tr.find("th").find("a").text]
        unmet = sorted(
            c for c, core, target in STANDARDS if core and standard_score(i, c, 1) < target
        )
        assert tr.find_all("td")[6].get_text(strip=True) == (", ".join(unmet) or DASH)
        named += bool(unmet)
    assert named  # some member on the page misses a core standard
