"""Confidence flags on the review page and the cycle page: computed from stored scores, evidence,
the previous self-assessment and the alliance profile; they never change a score."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.assessments.flags import flags_for
from selfassess.assessments.scores import refresh_many
from selfassess.assessments.snapshots import import_framework
from selfassess.extensions import db
from selfassess.models import (
    Answer,
    Assessment,
    AssessmentScore,
    AssessmentState,
    Cycle,
    EvidenceBlob,
    EvidenceFile,
    SnapshotQuestion,
)
from selfassess.scoring.flags import FlagKind
from selfassess.scoring.formatting import fmt_score
from tests.stable_page import cell_text

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"


def _answer_all(assessment: Assessment, level: int, comment: str | None = None) -> None:
    for q in db.session.scalars(
        select(SnapshotQuestion).where(
            SnapshotQuestion.snapshot_id == assessment.cycle.snapshot_id,
            SnapshotQuestion.answered_by == "member",
        )
    ):
        value = {
            "maturity": str(level),
            "yes_no": "yes" if level >= 3 else "no",
            "text": "Text",
        }.get(q.kind, str(q.options.get("thresholds", {}).get(str(level), 1)))
        db.session.add(
            Answer(assessment_id=assessment.id, question_id=q.id, value=value, comment=comment)
        )


def _world(make_alliance, make_trust, make_membership, make_user):
    alliance = make_alliance()
    membership = make_membership(alliance, make_trust())
    snapshot = import_framework(QUESTIONS / "alliance-maturity-1.0")
    cycles = []
    for k, state in enumerate(("closed", "open")):
        cycle = Cycle(
            alliance_id=alliance.id,
            name=f"202{6 + k}/2{7 + k}",
            snapshot=snapshot,
            opens_on=date.today() - timedelta(days=365 * (1 - k)),
            closes_on=date.today() + timedelta(days=30 - 365 * (1 - k)),
            state=state,
        )
        db.session.add(cycle)
        cycles.append(cycle)
    db.session.flush()
    before = Assessment(cycle_id=cycles[0].id, membership_id=membership.id, state="validated")
    now = Assessment(cycle_id=cycles[1].id, membership_id=membership.id, state="submitted")
    db.session.add_all([before, now])
    db.session.flush()
    _answer_all(before, 2, comment="Minutes")
    _answer_all(now, 5)
    db.session.flush()
    refresh_many([before, now])
    db.session.commit()
    return alliance, now, make_user(("coordinator", alliance))


def test_generous_answers_are_flagged_for_the_reviewer_and_scores_do_not_move(
    client, login, make_alliance, make_trust, make_membership, make_user
):
    alliance, now, coordinator = _world(make_alliance, make_trust, make_membership, make_user)
    scores_before = sorted(
        (r.code, r.score)
        for r in db.session.scalars(
            select(AssessmentScore).where(AssessmentScore.assessment_id == now.id)
        )
    )
    flags = flags_for([now])[now.id]
    rel1 = {f.kind for f in flags if f.standard == "REL-1"}
    assert rel1 == {FlagKind.UNEVIDENCED, FlagKind.JUMP}  # 5 vs a target of 3, and 2 → 5

    login(coordinator)
    review = client.get(f"/alliances/{alliance.slug}/assessments/{now.id}/")
    items = BeautifulSoup(review.text, "html.parser").select("ul.confidence-flags li")
    texts = [" ".join(li.get_text().split()) for li in items]
    expected = [f"{f.standard} {f.kind.value.capitalize()}: {f.detail}." for f in flags]
    assert texts == expected
    assert any(
        t.startswith("REL-1 Above target without evidence: scored ")
        and t.endswith("against a target of 3 with no evidence file or comment.")
        for t in texts
    )
    assert any(t.startswith("REL-1 Jump from last cycle: up from ") for t in texts)
    cycle_page = BeautifulSoup(
        client.get(f"/alliances/{alliance.slug}/cycles/{now.cycle_id}/").text, "html.parser"
    )
    row = cycle_page.select_one("tbody tr")
    assert str(len(flags)) in [cell_text(td) for td in row.find_all("td")]

    # A file on one of REL-1's questions is evidence: that flag goes, the jump stays.
    db.session.add(
        EvidenceBlob(sha256="ef" * 32, size=4, media_type="application/pdf", content=b"%PDF")
    )
    db.session.add(
        EvidenceFile(
            assessment_id=now.id, question_code="REL-1.1", blob_sha256="ef" * 32, filename="a.pdf"
        )
    )
    db.session.commit()
    rel1 = {f.kind for f in flags_for([now])[now.id] if f.standard == "REL-1"}
    assert rel1 == {FlagKind.JUMP}
    assert scores_before == sorted(
        (r.code, r.score)
        for r in db.session.scalars(
            select(AssessmentScore).where(AssessmentScore.assessment_id == now.id)
        )
    )
    assert AssessmentState(now.state) is AssessmentState.SUBMITTED


def test_the_coordinators_home_counts_the_points_to_check(
    client, login, make_alliance, make_trust, make_membership, make_user
):
    alliance, now, coordinator = _world(make_alliance, make_trust, make_membership, make_user)
    count = len(flags_for([now])[now.id])
    login(coordinator)
    home = " ".join(
        BeautifulSoup(client.get(f"/alliances/{alliance.slug}/").text, "html.parser")
        .get_text()
        .split()
    )
    assert f"{count} points to check in the submissions waiting for review" in home


def test_the_review_page_compares_each_standard_with_the_last_cycle(
    client, login, make_alliance, make_trust, make_membership, make_user
):
    alliance, now, coordinator = _world(make_alliance, make_trust, make_membership, make_user)
    login(coordinator)
    soup = BeautifulSoup(
        client.get(f"/alliances/{alliance.slug}/assessments/{now.id}/").text, "html.parser"
    )
    rows = {
        tr.find("th").get_text(" ", strip=True).split()[0]: [
            td.get_text(strip=True) for td in tr.find_all("td")
        ]
        for tr in soup.select("table.compared tbody tr")
    }
    stored = {
        (r.assessment_id, r.code): r.score
        for r in db.session.scalars(
            select(AssessmentScore).where(AssessmentScore.scope == "standard")
        )
    }
    then = next(s for (a, c), s in stored.items() if c == "REL-1" and a != now.id)
    later = stored[(now.id, "REL-1")]
    assert rows["REL-1"] == [fmt_score(then), fmt_score(later), f"{later - then:+.2f}"]
