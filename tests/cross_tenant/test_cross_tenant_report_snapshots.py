"""A stored report PDF opens only under its own alliance, cycle and member, for whoever may read
that member's live report: another tenant's snapshot id is as good as missing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from selfassess.extensions import db
from selfassess.models import ReportSnapshot


@pytest.fixture
def stored(tw):
    """Stored PDFs of B2's submitted assessment in alliance B."""
    row = ReportSnapshot(
        assessment_id=tw.b.assessment("b2").id,
        event="submitted",
        event_at=datetime(2025, 6, 1, 12, 0, tzinfo=UTC),
        member_pdf=b"%PDF-bravo-member",
        alliance_pdf=b"%PDF-bravo-alliance",
    )
    db.session.add(row)
    db.session.commit()
    return row


def _paths(tw, stored):
    a, b = tw.a, tw.b
    b2, a1 = b.trusts["b2"].code, a.trusts["a1"].code
    return {
        "b_coordinator": f"/alliances/{b.alliance.slug}/cycles/{b.now.id}/members/{b2}/report/"
        f"stored/{stored.id}.pdf",
        "b_trust": f"/trusts/{b2}/alliances/{b.alliance.slug}/cycles/{b.now.id}/report/stored/"
        f"{stored.id}.pdf",
        # Alliance A's own URLs naming B's snapshot id.
        "a_coordinator": f"/alliances/{a.alliance.slug}/cycles/{a.now.id}/members/{a1}/report/"
        f"stored/{stored.id}.pdf",
        "a_with_b_member": f"/alliances/{a.alliance.slug}/cycles/{a.now.id}/members/{b2}/report/"
        f"stored/{stored.id}.pdf",
        "a_with_b_cycle": f"/alliances/{a.alliance.slug}/cycles/{b.now.id}/members/{a1}/report/"
        f"stored/{stored.id}.pdf",
        "a_trust": f"/trusts/{a1}/alliances/{a.alliance.slug}/cycles/{a.now.id}/report/stored/"
        f"{stored.id}.pdf",
        "a_trust_b_cycle": f"/trusts/{a1}/alliances/{a.alliance.slug}/cycles/{b.now.id}/report/"
        f"stored/{stored.id}.pdf",
    }


def test_bs_own_people_read_bs_stored_reports(app, tw, stored):
    paths = _paths(tw, stored)
    coordinator = app.test_client()
    tw.sign_in(coordinator, "coord_b")
    assert coordinator.get(paths["b_coordinator"]).get_data() == b"%PDF-bravo-alliance"
    trust = app.test_client()
    tw.sign_in(trust, "user_b2")
    assert trust.get(paths["b_trust"]).get_data() == b"%PDF-bravo-member"
    # B1's user may not read B2's own report.
    other = app.test_client()
    tw.sign_in(other, "user_b1")
    assert other.get(paths["b_trust"]).status_code in (403, 404)


@pytest.mark.parametrize(
    ("role", "key", "status"),
    [
        ("coord_a", "b_coordinator", 403),
        ("lead_a", "b_coordinator", 403),
        ("coord_a", "a_coordinator", 404),
        ("coord_a", "a_with_b_member", 404),
        ("coord_a", "a_with_b_cycle", 404),
        ("user_a1", "a_trust", 404),
        ("user_a1", "a_trust_b_cycle", 404),
        ("user_a1", "b_trust", 403),
    ],
)
def test_alliance_as_people_never_read_bs_stored_reports(app, tw, stored, role, key, status):
    client = app.test_client()
    tw.sign_in(client, role)
    response = client.get(_paths(tw, stored)[key])
    assert response.status_code == status, (role, key, response.status_code)
    assert b"bravo" not in response.get_data()
