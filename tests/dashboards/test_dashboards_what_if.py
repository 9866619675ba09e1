"""The trust's what-if page: its own scores with chosen levels, by the real rules, saving nothing.

Member 2 of the bench alliance, 2025/26 (validated): GOV-1 2.25, GOV-2 2.75, DATA-1 2.75,
DATA-2 3.25 (targets 3, 4, 3, 3; GOV-1 and DATA-1 core). In 2024/25, validated, GOV-1 was 2.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from selfassess.extensions import db
from selfassess.models import AssessmentScore, AuditEvent, SnapshotStandard


def _page(client, world, query: str = "", status: int = 200) -> BeautifulSoup:
    trust = world.trusts[2]
    response = client.get(f"/trusts/{trust.code}/alliances/{world.alliance.slug}/what-if{query}")
    assert response.status_code == status, response.status_code
    return BeautifulSoup(response.text, "html.parser")


def _cards(page: BeautifulSoup) -> dict[str, str]:
    return {
        card.h2.get_text(strip=True): " ".join(card.get_text(" ").split())
        for card in page.select(".summary-card")
    }


def test_chosen_levels_rescored_by_the_real_rules(scored_alliance, sign_in_as):
    world = scored_alliance(4, named=True)
    client = sign_in_as("trust_user", world.trusts[2])
    stored = db.session.scalar(select(func.count()).select_from(AssessmentScore))
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    # Now: GOV (2.25 + 2.75) / 2 = 2.5, index 37.5; DATA (2.75 + 3.25) / 2 = 3, index 50;
    # overall 43.75, read to 1 place half up: 43.8. Core GOV-1 unmet now and in 2024/25: At risk.
    page = _page(client, world)
    assert _cards(page)["Overall index"] == "Overall index 43.8 out of 100 Now: 43.8"
    assert _cards(page)["Membership status"] == "Membership status At risk Now: At risk"
    # GOV-1 and DATA-1 at 3: GOV (3 + 2.75) / 2 = 2.875 -> 2.88, index 46.875 -> 46.9; DATA
    # (3 + 3.25) / 2 = 3.125 -> 3.13, index 53.125 -> 53.1; overall (46.875 + 53.125) / 2 = 50.
    page = _page(client, world, f"?cycle={world.cycles[1].id}&level-GOV-1=3&level-DATA-1=3")
    cards = _cards(page)
    assert cards["Overall index"] == "Overall index 50.0 out of 100 Now: 43.8"
    assert cards["Membership status"] == "Membership status Meets standards Now: At risk"
    assert cards["Standards met"] == "Standards met 3 of 4 Now: 1"
    domains = [
        [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
        for tr in page.find_all("table")[1].tbody.find_all("tr")
    ]
    assert domains == [
        ["Governance", "2.50", "37.5", "2.88", "46.9"],
        ["Data", "3.00", "50.0", "3.13", "53.1"],
    ]
    assert page.select_one("#level-GOV-1 option[selected]")["value"] == "3"
    # Nothing was stored or audited, and no other member appears (the alliance names members).
    assert db.session.scalar(select(func.count()).select_from(AssessmentScore)) == stored
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    text = page.get_text(" ")
    assert not any(t.name in text for i, t in enumerate(world.trusts) if i != 2)


def test_the_cycles_own_targets_decide_met(scored_alliance, sign_in_as):
    world = scored_alliance(4)
    # The alliance raised DATA-2's target to 4 for this cycle (as its snapshot variant holds).
    standard = db.session.scalar(
        select(SnapshotStandard).where(
            SnapshotStandard.snapshot_id == world.cycles[1].snapshot_id,
            SnapshotStandard.code == "DATA-2",
        )
    )
    standard.target = 4.0
    db.session.commit()
    client = sign_in_as("trust_user", world.trusts[2])
    page = _page(client, world, "?level-DATA-2=3")
    row = next(tr for tr in page.select(".what-if-table tbody tr") if "DATA-2" in tr.th.text)
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[0] == "4" and cells[1] == "3.25" and cells[-1] == "3.00: Not met"


def test_a_bad_level_is_explained_and_the_other_choices_kept(scored_alliance, sign_in_as):
    world = scored_alliance(4)
    client = sign_in_as("trust_user", world.trusts[2])
    page = _page(client, world, "?level-GOV-1=9&level-DATA-1=4&level-NOPE=1", status=400)
    assert page.title.get_text().startswith("Error:")
    summary = [a.get_text(strip=True) for a in page.select(".nhsuk-error-summary a")]
    assert summary == ["Choose a level from 1 to 5 for GOV-1"]
    assert page.select_one("#level-DATA-1 option[selected]")["value"] == "4"
    assert page.select(".summary-card") == []  # no result from a half-valid choice
    assert _page(client, world, "?level-GOV-1=%3Cb%3E", status=400).select(".nhsuk-error-summary")


def test_nothing_submitted_starts_from_no_scores(scored_alliance, sign_in_as):
    world = scored_alliance(4, scored=2)
    client = sign_in_as("trust_user", world.trusts[2])
    page = _page(client, world, "?level-DATA-1=5")
    text = " ".join(page.get_text(" ").split())
    assert "no submitted or validated self-assessment" in text
    assert _cards(page)["Overall index"] == "Overall index 100.0 out of 100 Now: \N{EN DASH}"
