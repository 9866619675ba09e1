"""The published alliance summary: membership status only, public, and 404 unless published."""

from __future__ import annotations

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import AuditEvent, PublishedSummary
from selfassess.scoring.published import public_status, publish_refusal
from tests.conftest import csrf_token
from tests.dashboards.conftest import build_scored


def test_rules_by_hand():
    assert publish_refusal(closed=False, awaiting_review=0).startswith("Only a closed cycle")
    assert "1 submitted self-assessment is still waiting" in publish_refusal(True, 1)
    assert publish_refusal(closed=True, awaiting_review=0) is None
    assert public_status(True, "At risk") == "At risk"
    assert public_status(False, "At risk") == "Not submitted"  # returned: not validated
    assert public_status(True, "Awaiting submission") == "Not submitted"


def _coordinator(client, login, make_user, alliance):
    assert login(make_user(("coordinator", alliance))).status_code == 302


def test_publish_then_withdraw_each_audited_public_page_shows_status_only(
    app, client, login, make_user
):
    world = build_scored(4, scored=3)
    older, latest = world.cycles
    public_url = f"/published/{world.alliance.slug}/{latest.id}"
    assert client.get(public_url).status_code == 404  # never published
    _coordinator(client, login, make_user, world.alliance)
    manage = client.get(f"/alliances/{world.alliance.slug}/cycles/{latest.id}/summary")
    assert manage.status_code == 200 and "Publish the summary" in manage.text
    base = f"/alliances/{world.alliance.slug}/cycles/{latest.id}/summary"
    response = client.post(f"{base}/publish", data={"csrf_token": csrf_token(manage.text)})
    assert response.status_code == 302
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(client.get(base).text)})

    page = client.get(public_url)  # signed out: anyone may read it
    assert page.status_code == 200
    assert "default-src" in page.headers["Content-Security-Policy"]
    for trust in world.trusts:
        assert trust.name in page.text
    assert page.text.count("Not submitted") == 1  # the fourth member never submitted
    assert "Meets standards" in page.text or "Improvement required" in page.text
    for i in range(3):  # no index, in any rounding
        for shown in (f"{world.index(i, 1):.1f}", f"{world.index(i, 1):.0f}%"):
            assert shown not in page.text
    assert "Index" not in page.text and "score" not in page.text.lower().replace(
        "scores and answers are not published", ""
    )
    assert client.get(f"/published/{world.alliance.slug}/{older.id}").status_code == 404

    _coordinator(client, login, make_user, world.alliance)
    token = csrf_token(client.get(base).text)
    assert client.post(f"{base}/withdraw", data={"csrf_token": token}).status_code == 302
    assert client.get(public_url).status_code == 404  # withdrawn: as if never published
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == latest.id).order_by(AuditEvent.id)
    ).all()
    assert [a for a in actions if a.startswith("summary.")] == [
        "summary.published",
        "summary.withdrawn",
    ]


def test_an_unsettled_cycle_is_refused_with_the_reason(app, client, login, make_user):
    world = build_scored(4, latest="open")
    latest = world.cycles[-1]
    _coordinator(client, login, make_user, world.alliance)
    base = f"/alliances/{world.alliance.slug}/cycles/{latest.id}/summary"
    token = csrf_token(client.get("/auth/sign-in", follow_redirects=True).text)
    response = client.post(f"{base}/publish", data={"csrf_token": token}, follow_redirects=True)
    assert "Only a closed cycle can be published" in response.text
    assert db.session.scalars(select(PublishedSummary)).all() == []
    assert client.get(f"/published/{world.alliance.slug}/{latest.id}").status_code == 404
