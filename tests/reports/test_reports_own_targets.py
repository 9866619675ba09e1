"""A trust's own report shows its own targets and progress; a coordinator's copy does not.

Member 2 of the bench alliance (tests/dashboards/conftest.py): GOV-1 2.0 then 2.25 (target 4:
33.33% then 41.67%, up 8.33 points).
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from selfassess.extensions import db
from selfassess.models import TrustTarget
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.dashboards.conftest import build_scored


def test_own_report_shows_targets_and_progress(app, client, login, make_user):
    world = build_scored(4)
    trust, slug, cycle = world.trusts[2], world.alliance.slug, world.cycles[1]
    membership_id = world.assessments[(1, 2)].membership_id
    db.session.add(TrustTarget(membership_id=membership_id, standard_code="GOV-1", level=4.0))
    db.session.commit()
    login(make_user(("trust_user", trust)))
    page = BeautifulSoup(
        client.get(f"/trusts/{trust.code}/alliances/{slug}/cycles/{cycle.id}/report").text,
        "html.parser",
    )
    section = page.select_one(".own-targets")
    row = [" ".join(c.get_text(" ").split()) for c in section.tbody.tr.find_all(["th", "td"])]
    assert row[1:] == ["4", "2.25", "41.7", "2.00", "+8.3"]
    assert "Percent to target: 41.7% (33.3% in 2024/25)" in " ".join(section.get_text().split())
    assert section.find("a") is None  # a printed page has nothing to follow
    coordinator = app.test_client()
    login_page = coordinator.get("/auth/sign-in")
    user = make_user(("coordinator", world.alliance))
    coordinator.post(
        "/auth/sign-in",
        data={
            "email": user.email,
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token(login_page.text),
        },
    )
    theirs = coordinator.get(f"/alliances/{slug}/cycles/{cycle.id}/members/{trust.code}/report")
    assert theirs.status_code == 200
    assert "own-targets" not in theirs.text
