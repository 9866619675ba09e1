"""A member's printable report: the figures in words and tables, SVG charts drawn on the server,
buddying pairs, and a PDF of the same page."""

from __future__ import annotations

import os
import re
from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from selfassess.demo.data import demo_cycles
from selfassess.extensions import db
from selfassess.models import Alliance, Cycle, SnapshotStandard, User
from tests.conftest import FAST_HASH, TEST_PASSWORD, csrf_token

# The demo's cycles are named from the day it is loaded (oldest on 1.0, then 2.0).
FIRST, LATEST, OPEN = (c.name for c in demo_cycles())

SLUG = "syb-acute-federation"


def _needs_weasyprint() -> None:
    """WeasyPrint and Debian's Pango libraries must be there (``make test`` installs them):
    a missing library fails here, with its name, rather than deep inside a PDF test."""
    import weasyprint  # noqa: F401


def _demo(runner, client, email: str):
    runner.invoke(args=["demo", "load"])
    user = db.session.scalars(select(User).where(User.email == email)).one()
    user.password_hash = generate_password_hash(TEST_PASSWORD, method=FAST_HASH)
    db.session.commit()
    page = client.get("/auth/sign-in")
    client.post(
        "/auth/sign-in",
        data={"email": email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )


def _cycle(slug: str, name: str) -> Cycle:
    alliance = db.session.scalars(select(Alliance).where(Alliance.slug == slug)).one()
    return db.session.scalars(
        select(Cycle).where(Cycle.alliance_id == alliance.id, Cycle.name == name)
    ).one()


def test_coordinators_report_of_a_member(runner, client):
    _demo(runner, client, "coordinator.syb@demo.selfassess.example")
    cycle = _cycle(SLUG, LATEST)
    url = f"/alliances/{SLUG}/cycles/{cycle.id}/members/RFF/report"
    response = client.get(url)
    assert response.status_code == 200, response.text
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text(strip=True).startswith("Barnsley")
    summary = page.select_one(".report-summary").get_text(" ", strip=True)
    assert f"overall index in {LATEST} is" in summary and "standards" in summary
    charts = page.select("img.report-chart")
    assert len(charts) >= 3
    assert all(img["src"].startswith("data:image/svg+xml;base64,") for img in charts)
    headings = [h.get_text(strip=True) for h in page.select("h2")]
    for title in (
        "Summary",
        "Domains against peers",
        "Standards met and not met",
        "Where to improve",
        "Buddying",
    ):
        assert title in headings
    assert page.find("a", href=f"{url}.pdf") is not None
    # The report and the dashboard write the same figure the same way (one formatter).
    dashboard = BeautifulSoup(
        client.get(f"/alliances/{SLUG}/members/RFF/dashboard?cycle={cycle.id}").text,
        "html.parser",
    )
    [card] = [v for v in dashboard.select(".summary-value") if "out of 100" in v.get_text()]
    overall = card.find(string=True, recursive=False).strip()
    assert re.fullmatch(r"\d+\.\d", overall)  # an index to 1 decimal place
    assert f"is {overall} out of 100" in summary
    # Each standard in the report's table carries its title from the cycle's framework.
    titles = dict(
        db.session.execute(
            select(SnapshotStandard.code, SnapshotStandard.statement).where(
                SnapshotStandard.snapshot_id == cycle.snapshot_id
            )
        ).all()
    )
    shown = {
        th.find(string=True, recursive=False).split()[0]: th.select_one(
            ".standard-statement"
        ).get_text()
        for th in page.select("th[scope=row]")
        if th.select_one(".standard-statement")
    }
    assert shown and all(titles[code] == text for code, text in shown.items())


def test_the_pdf_report(runner, client, tmp_path):
    _needs_weasyprint()
    _demo(runner, client, "coordinator.syb@demo.selfassess.example")
    cycle = _cycle(SLUG, LATEST)
    response = client.get(f"/alliances/{SLUG}/cycles/{cycle.id}/members/RFF/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    out = os.environ.get("SELFASSESS_REPORT_PDF")
    if out:
        Path(out).write_bytes(response.data)


def test_a_trust_sees_its_own_report_only(runner, client):
    _demo(runner, client, "lead.rff@demo.selfassess.example")
    cycle = _cycle(SLUG, LATEST)
    own = client.get(f"/trusts/RFF/alliances/{SLUG}/cycles/{cycle.id}/report")
    assert own.status_code == 200
    assert client.get(f"/trusts/RFS/alliances/{SLUG}/cycles/{cycle.id}/report").status_code == 403
    other = _cycle("national-orthopaedic-alliance", LATEST)
    assert client.get(f"/trusts/RFF/alliances/{SLUG}/cycles/{other.id}/report").status_code == 404
    assert (
        client.get(
            f"/trusts/RFF/alliances/national-orthopaedic-alliance/cycles/{other.id}/report"
        ).status_code
        == 404
    )


def test_the_report_lists_the_members_buddying_pairs(runner, client):
    from selfassess.models import BuddyPair, Membership, Trust

    _demo(runner, client, "coordinator.syb@demo.selfassess.example")
    alliance = db.session.scalars(select(Alliance).where(Alliance.slug == SLUG)).one()
    pair = db.session.scalars(select(BuddyPair).where(BuddyPair.alliance_id == alliance.id)).first()
    assert pair is not None

    def trust_of(membership_id: int) -> Trust:
        return db.session.get(Trust, db.session.get(Membership, membership_id).trust_id)

    mentor, mentee = trust_of(pair.mentor_membership_id), trust_of(pair.mentee_membership_id)
    cycle = _cycle(SLUG, LATEST)
    page = BeautifulSoup(
        client.get(f"/alliances/{SLUG}/cycles/{cycle.id}/members/{mentee.code}/report").text,
        "html.parser",
    )
    buddying = page.find("h2", string="Buddying").find_parent("section")
    cells = [td.get_text(strip=True) for td in buddying.select("td")]
    assert mentor.name in cells and mentee.name in cells


def test_review_and_assessment_pages_link_to_the_report(runner, client):
    _demo(runner, client, "coordinator.syb@demo.selfassess.example")
    cycle = _cycle(SLUG, LATEST)
    from selfassess.models import Assessment, Membership, Trust

    assessment = db.session.scalars(
        select(Assessment)
        .join(Membership)
        .join(Trust)
        .where(Assessment.cycle_id == cycle.id, Trust.code == "RFF")
    ).one()
    review = client.get(f"/alliances/{SLUG}/assessments/{assessment.id}/").text
    assert f"/alliances/{SLUG}/cycles/{cycle.id}/members/RFF/report" in review


def test_the_alliance_report(runner, client):
    _demo(runner, client, "coordinator.syb@demo.selfassess.example")
    cycle = _cycle(SLUG, LATEST)
    base = f"/alliances/{SLUG}/cycles/{cycle.id}"
    assert f"{base}/report" in client.get(f"{base}/").text
    response = client.get(f"{base}/report")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text(strip=True) == "South Yorkshire and Bassetlaw Acute Federation"
    summary = page.select_one(".report-summary").get_text(" ", strip=True)
    assert "5 members; 5 submitted or validated" in summary
    members = [th.get_text(strip=True) for th in page.select("tbody th")]
    assert "Barnsley Hospital NHS Foundation Trust" in members
    assert len(page.select("img.report-chart")) == 3
    # What each code means, in the cycle's own wording; no notice of figures hidden, since
    # the report names every member's scores.
    key = " ".join(page.select_one(".standards-key").get_text(" ").split())
    first = db.session.scalars(
        select(SnapshotStandard).where(SnapshotStandard.snapshot_id == cycle.snapshot_id)
    ).first()
    assert f"{first.code}" in key and " ".join(first.statement.split()) in key
    assert "hidden" not in summary.lower()
    _needs_weasyprint()
    pdf = client.get(f"{base}/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    out = os.environ.get("SELFASSESS_ALLIANCE_PDF")
    if out:
        Path(out).write_bytes(pdf.data)
