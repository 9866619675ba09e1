"""Each submission and validation keeps its member PDFs, rendered on the job queue (inline in
tests) and served from storage on the report page, as the live report is guarded."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from selfassess import events
from selfassess.extensions import db
from selfassess.models import (
    Assessment,
    AuditEvent,
    Membership,
    ReportSnapshot,
    Trust,
    User,
)
from selfassess.reports import snapshots
from tests.conftest import FAST_HASH, TEST_PASSWORD, csrf_token
from tests.reports.test_reports_member import OPEN, SLUG, _cycle, _demo, _needs_weasyprint

COORDINATOR = "coordinator.syb@demo.selfassess.example"


@pytest.fixture
def snapshots_on(app, monkeypatch):
    _needs_weasyprint()
    monkeypatch.setitem(app.config, "REPORT_SNAPSHOTS", True)


def _submitted(cycle_id: int) -> tuple[Assessment, str]:
    """A submitted assessment of the open cycle and its trust's code."""
    assessment, code = db.session.execute(
        select(Assessment, Trust.code)
        .join(Membership, Membership.id == Assessment.membership_id)
        .join(Trust, Trust.id == Membership.trust_id)
        .where(Assessment.cycle_id == cycle_id, Assessment.state == "submitted")
        .order_by(Trust.code)
    ).first()
    return assessment, code


def _sign_in(app, email: str):
    """A new client signed in as ``email``."""
    user = db.session.scalars(select(User).where(User.email == email)).one()
    user.password_hash = generate_password_hash(TEST_PASSWORD, method=FAST_HASH)
    db.session.commit()
    client = app.test_client()
    page = client.get("/auth/sign-in")
    client.post(
        "/auth/sign-in",
        data={"email": email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    return client


def test_validating_stores_both_pdfs_and_the_pages_offer_them(runner, client, app, snapshots_on):
    _demo(runner, client, COORDINATOR)
    cycle = _cycle(SLUG, OPEN)
    assessment, code = _submitted(cycle.id)
    token = csrf_token(
        client.get(f"/alliances/{SLUG}/assessments/{assessment.id}/validate/check").text
    )
    response = client.post(
        f"/alliances/{SLUG}/assessments/{assessment.id}/validate", data={"csrf_token": token}
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.scalars(
        select(ReportSnapshot).where(ReportSnapshot.assessment_id == assessment.id)
    ).one()
    assert stored.event == "validated"
    assert stored.event_at == db.session.get(Assessment, assessment.id).validated_at
    assert stored.member_pdf.startswith(b"%PDF") and stored.alliance_pdf.startswith(b"%PDF")
    assert db.session.scalar(
        select(func.count()).where(
            AuditEvent.action == "report.snapshot", AuditEvent.entity_id == assessment.id
        )
    )

    # The coordinator's report page links it; the download is the alliance's stored PDF.
    page = BeautifulSoup(
        client.get(f"/alliances/{SLUG}/cycles/{cycle.id}/members/{code}/report").text,
        "html.parser",
    )
    link = page.find("a", string=lambda s: s and s.startswith("PDF as validated on"))
    assert link is not None
    download = client.get(link["href"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.get_data() == stored.alliance_pdf
    assert "validated" in download.headers["Content-Disposition"]
    # The live PDF still works.
    live = client.get(f"/alliances/{SLUG}/cycles/{cycle.id}/members/{code}/report.pdf")
    assert live.status_code == 200 and live.get_data().startswith(b"%PDF")

    # The trust's own page offers its own version, never the alliance's.
    client = _sign_in(app, f"lead.{code.lower()}@demo.selfassess.example")
    own = f"/trusts/{code}/alliances/{SLUG}/cycles/{cycle.id}/report"
    page = BeautifulSoup(client.get(own).text, "html.parser")
    link = page.find("a", string=lambda s: s and s.startswith("PDF as validated on"))
    assert link is not None and link["href"].startswith(f"/trusts/{code}/")
    download = client.get(link["href"])
    assert download.status_code == 200
    assert download.get_data() == stored.member_pdf != stored.alliance_pdf
    # The coordinators' URL is not the trust's to use.
    assert (
        client.get(
            f"/alliances/{SLUG}/cycles/{cycle.id}/members/{code}/report/stored/{stored.id}.pdf"
        ).status_code
        == 403
    )


def test_submitting_stores_a_snapshot_once_and_only_for_that_moment(
    runner, client, app, snapshots_on, monkeypatch
):
    rendered: list[str] = []

    def fake_pdf(html: str) -> bytes:  # the HTML each PDF would be made from
        rendered.append(html)
        return b"%PDF-" + str(len(rendered)).encode()

    monkeypatch.setattr(snapshots, "html_to_pdf", fake_pdf)
    _demo(runner, client, COORDINATOR)
    cycle = _cycle(SLUG, OPEN)
    assessment, _code = _submitted(cycle.id)
    at = assessment.submitted_at.isoformat()
    # The listener enqueues after the commit; the queue runs inline in tests.
    events.publish(events.AssessmentSubmitted(assessment.id, None))
    db.session.commit()
    count = select(func.count()).where(ReportSnapshot.assessment_id == assessment.id)
    assert db.session.scalar(count) == 1
    # The trust's own report first, then the alliance's; each says which moment it keeps.
    own, alliance = (BeautifulSoup(h, "html.parser").get_text(" ", strip=True) for h in rendered)
    moment = f"{assessment.submitted_at:%-d %B %Y at %H:%M} UTC"
    assert f"This report is stored as submitted on {moment}" in own
    assert f"This report is stored as submitted on {moment}" in alliance
    assert own != alliance and "Your trust" in own
    # Idempotent: the same job again stores nothing more.
    assert snapshots.render_snapshot(assessment.id, "submitted", at) is None
    assert db.session.scalar(count) == 1
    # A moment the assessment no longer records (overtaken by a resubmission): nothing stored.
    assert (
        snapshots.render_snapshot(assessment.id, "submitted", "2020-01-01T00:00:00+00:00") is None
    )
    assert snapshots.render_snapshot(assessment.id, "validated", at) is None
    assert db.session.scalar(count) == 1


def test_nothing_is_enqueued_when_snapshots_are_off(runner, client, app):
    _demo(runner, client, COORDINATOR)
    cycle = _cycle(SLUG, OPEN)
    assessment, _code = _submitted(cycle.id)
    events.publish(events.AssessmentSubmitted(assessment.id, None))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ReportSnapshot)) == 0


def test_another_members_snapshot_is_as_good_as_missing(runner, client, app):
    """A snapshot id only opens under its own member, cycle and alliance."""
    _demo(runner, client, COORDINATOR)
    cycle = _cycle(SLUG, OPEN)
    assessment, code = _submitted(cycle.id)
    other = db.session.scalars(
        select(Trust.code)
        .join(Membership, Membership.trust_id == Trust.id)
        .where(Membership.alliance_id == cycle.alliance_id, Trust.code != code)
    ).first()
    row = ReportSnapshot(
        assessment_id=assessment.id,
        event="submitted",
        event_at=assessment.submitted_at,
        member_pdf=b"%PDF-member",
        alliance_pdf=b"%PDF-alliance",
    )
    db.session.add(row)
    db.session.commit()
    base = f"/alliances/{SLUG}/cycles/{cycle.id}/members"
    assert client.get(f"{base}/{code}/report/stored/{row.id}.pdf").get_data() == b"%PDF-alliance"
    assert client.get(f"{base}/{other}/report/stored/{row.id}.pdf").status_code == 404
    assert client.get(f"{base}/{code}/report/stored/{row.id + 1000}.pdf").status_code == 404
