"""A trust's own targets: set through the real form (audited), shown on its dashboard with
percent to target and progress, refused when stale or off the list.

Member 2 of the bench alliance: GOV-1 2.0 in 2024/25 and 2.25 in 2025/26; DATA-1 2.5, then 2.75.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import AuditEvent, TrustTarget
from tests.conftest import csrf_token


def _url(world, i: int = 2) -> str:
    return f"/trusts/{world.trusts[i].code}/alliances/{world.alliance.slug}/targets"


def _targets() -> dict[str, float]:
    db.session.expire_all()
    return dict(db.session.execute(select(TrustTarget.standard_code, TrustTarget.level)).all())


def _post(client, world, data: dict[str, str]):
    token = csrf_token(client.get(_url(world)).text)
    return client.post(_url(world), data={"csrf_token": token, **data})


def test_set_targets_and_see_progress_on_the_dashboard(scored_alliance, sign_in_as):
    world = scored_alliance(4)
    client = sign_in_as("trust_user", world.trusts[2])
    dashboard = f"/trusts/{world.trusts[2].code}/alliances/{world.alliance.slug}/dashboard"
    page = BeautifulSoup(client.get(dashboard).text, "html.parser")
    assert "You have not set your own targets." in page.select_one(".own-targets").get_text()
    response = _post(client, world, {"target-GOV-1": "4", "target-DATA-1": "3", "seen-GOV-1": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith(dashboard)
    assert _targets() == {"GOV-1": 4.0, "DATA-1": 3.0}
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "trust_targets.changed")
    ).all()
    assert (event.before, event.after) == (
        {"GOV-1": None, "DATA-1": None},
        {"GOV-1": 4.0, "DATA-1": 3.0},
    )
    assert event.trust_id == world.trusts[2].id
    # GOV-1, target 4: 2.25 has climbed 1.25 of 3 -> 41.67%; 2.0 last cycle -> 33.33%: +8.33,
    # read to 1 place: 41.7 and +8.3. DATA-1, target 3: 2.75 -> 1.75 of 2 = 87.5%; 2.5 -> 75%:
    # +12.5.
    # Overall (1.25 + 1.75) / (3 + 2) = 60%; last cycle (1 + 1.5) / 5 = 50%.
    section = BeautifulSoup(client.get(dashboard).text, "html.parser").select_one(".own-targets")
    text = " ".join(section.get_text(" ").split())
    assert "Percent to target: 60.0% (50.0% in 2024/25)" in text
    rows = [
        [" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"])][1:]
        for tr in section.tbody.find_all("tr")
    ]
    assert rows == [
        ["4", "2.25", "41.7", "2.00", "+8.3"],
        ["3", "2.75", "87.5", "2.50", "+12.5"],
    ]


def test_removing_a_target_is_audited(scored_alliance, sign_in_as):
    world = scored_alliance(4)
    client = sign_in_as("trust_user", world.trusts[2])
    _post(client, world, {"target-GOV-1": "4"})
    response = _post(client, world, {"target-GOV-1": "", "seen-GOV-1": "4"})
    assert response.status_code == 302
    assert _targets() == {}
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "trust_targets.changed")
        .order_by(AuditEvent.id)
    ).all()
    assert (events[-1].before, events[-1].after) == ({"GOV-1": 4.0}, {"GOV-1": None})


def test_a_level_off_the_list_is_refused_and_the_rest_kept(scored_alliance, sign_in_as):
    world = scored_alliance(4)
    client = sign_in_as("trust_user", world.trusts[2])
    response = _post(client, world, {"target-GOV-1": "7", "target-DATA-1": "3.5"})
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    assert [a.get_text(strip=True) for a in page.select(".nhsuk-error-summary a")] == [
        "Choose a target for GOV-1 from the list, or no target"
    ]
    assert page.select_one("#target-DATA-1 option[selected]")["value"] == "3.5"
    assert _targets() == {}


def test_a_stale_page_does_not_overwrite_a_colleagues_target(scored_alliance, sign_in_as):
    world = scored_alliance(4)
    mine = sign_in_as("trust_user", world.trusts[2])
    colleague = sign_in_as("trust_user", world.trusts[2])
    token = csrf_token(mine.get(_url(world)).text)  # loaded with no target
    assert _post(colleague, world, {"target-GOV-1": "3"}).status_code == 302
    response = mine.post(
        _url(world), data={"csrf_token": token, "target-GOV-1": "4", "seen-GOV-1": ""}
    )
    assert response.status_code == 409
    text = " ".join(BeautifulSoup(response.text, "html.parser").get_text(" ").split())
    assert "GOV-1 is now 3 (you chose 4)" in text
    assert _targets() == {"GOV-1": 3.0}
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("#target-GOV-1 option[selected]")["value"] == "4"  # kept
    assert page.select_one("input[name=seen-GOV-1]")["value"] == "3"  # saving again wins
