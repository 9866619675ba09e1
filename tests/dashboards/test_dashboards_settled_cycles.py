"""A trust in an anonymous alliance sees a cycle's peer figures only once they cannot change.

While a cycle is open each submission changes the peer groups, so a trust comparing its
dashboard before and after one member submits would get that member's scores by difference.
The figures appear once the cycle is closed and nothing awaits review; from then on no
transition can change who is scored (these tests pin that too).
"""

from __future__ import annotations

import itertools
import json
import re

from bs4 import BeautifulSoup

from selfassess.assessments.transitions import ALLOWED_FROM
from selfassess.extensions import db
from selfassess.models import AssessmentState
from tests.dashboards.conftest import REGIONS


def _url(world, i: int = 0, query: str = "") -> str:
    return f"/trusts/{world.trusts[i].code}/alliances/{world.alliance.slug}/dashboard" + (
        f"?{query}" if query else ""
    )


def _peer_figures(html: str) -> dict[str, object]:
    """Everything on the page that says something about other members."""
    page = BeautifulSoup(html, "html.parser")
    specs = {
        tag["id"]: json.loads(tag.string)
        for tag in page.find_all("script", attrs={"type": "application/json"})
    }
    domain = page.find("caption", string=re.compile("Domain index and peer"))
    standards = page.find("caption", string=re.compile("Standards, scores"))
    return {
        "note": page.select_one(".peer-note").get_text(" ", strip=True),
        "domains": domain.find_parent("table").get_text(" ", strip=True) if domain else "",
        "counts": [
            row.find_all("td")[-1].get_text(strip=True)
            for row in standards.find_parent("table").select("tbody tr")
        ]
        if standards
        else [],
        "peers": specs.get("profile-spec", {}).get("datasets", {}).get("peers"),
        "positions": "positions-spec" in specs,
        "trend": [
            r
            for r in specs.get("trend-spec", {}).get("datasets", {}).get("trend", [])
            if r["series"] != "Your trust"
        ],
    }


def test_open_cycle_peer_figures_wait_until_closed_and_reviewed(scored_alliance, sign_in_as):
    world = scored_alliance(8, latest="open")
    client = sign_in_as("trust_user", world.trusts[0])
    page = client.get(_url(world)).text
    text = BeautifulSoup(page, "html.parser").get_text(" ", strip=True)
    assert (
        "Figures about other members for 2025/26 appear once the cycle has closed "
        "(closing date 30 June 2025)" in text
    )
    figures = _peer_figures(page)
    assert figures["peers"] == [] and not figures["positions"]
    assert set(figures["counts"]) == {"Hidden"}
    assert not re.search(r"Percentile \d", text)
    assert "members, not counting" not in figures["note"]
    # The closed 2024/25 still shows its median on the trend; the open cycle's is left out.
    assert [row["cycle"] for row in figures["trend"]] == ["2024/25"]

    cycle = world.cycles[1]
    cycle.state = "closed"
    world.assessments[(1, 3)].state = AssessmentState.SUBMITTED  # awaiting review
    db.session.commit()
    text = BeautifulSoup(client.get(_url(world)).text, "html.parser").get_text(" ", strip=True)
    assert "appear once the alliance has reviewed every submitted self-assessment" in text
    assert not re.search(r"Percentile \d", text)

    world.assessments[(1, 3)].state = AssessmentState.VALIDATED
    db.session.commit()
    figures = _peer_figures(client.get(_url(world)).text)
    assert figures["peers"] and figures["positions"]
    assert "(7 members, not counting your trust)" in figures["note"]
    assert [row["cycle"] for row in figures["trend"]] == ["2024/25", "2025/26"]


def test_watching_a_member_submit_reveals_nothing(scored_alliance, sign_in_as):
    world = scored_alliance(8, latest="open")
    late = world.assessments[(1, 7)]
    late.state = AssessmentState.IN_PROGRESS  # its stored scores wait, unread, until it submits
    db.session.commit()
    client = sign_in_as("trust_user", world.trusts[0])
    queries = (
        [""]
        + [f"region={r.replace(' ', '+')}" for r in REGIONS]
        + [f"trust_type={t}" for t in ("Acute", "Specialist")]
    )
    before = {q: _peer_figures(client.get(_url(world, query=q)).text) for q in queries}
    late.state = AssessmentState.SUBMITTED
    db.session.commit()
    after = {q: _peer_figures(client.get(_url(world, query=q)).text) for q in queries}
    assert before == after


def test_coordinators_and_named_alliances_see_an_open_cycle(scored_alliance, sign_in_as):
    anonymous = scored_alliance(8, latest="open")
    coordinator = sign_in_as("coordinator", anonymous.alliance)
    page = coordinator.get(
        f"/alliances/{anonymous.alliance.slug}/members/{anonymous.trusts[0].code}/dashboard"
    ).text
    assert _peer_figures(page)["positions"] and "Percentile" in page
    named = scored_alliance(8, latest="open", named=True)
    client = sign_in_as("trust_user", named.trusts[0])
    figures = _peer_figures(client.get(_url(named, query=f"region={REGIONS[1]}")).text)
    assert figures["positions"]  # 3 named peers in the region: no differencing to prevent
    assert "(3 members, not counting your trust)" in figures["note"]


def test_once_settled_no_transition_changes_who_is_scored():
    """What ``visibility.settled`` relies on: only a submitted assessment can be returned,
    nothing can be submitted once the cycle is closed (``workflow._check``), and validating
    leaves the scores as they are."""
    assert ALLOWED_FROM["return"] == {AssessmentState.SUBMITTED}
    assert ALLOWED_FROM["validate"] == {AssessmentState.SUBMITTED}
    assert AssessmentState.VALIDATED not in set(itertools.chain(*ALLOWED_FROM.values()))
