"""The demo's contents (#15 point 3), loaded once per database for the module (its tests only
read it): figures spread like national ones, consistent facts, complementary buddies, the
orthopaedic alliance's own standards, and a "Demonstration data" notice on every page, report
and export."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from sqlalchemy import select

from selfassess.buddying.queries import cycle_results, suggestions_for
from selfassess.demo.data import ALLIANCES, demo_cycles
from selfassess.demo.metrics import MEASURE_OF_1_0, MEASURE_OF_2_0
from selfassess.demonstration import DEMO_NOTICE
from selfassess.exports.csv_writer import NOTICE_COLUMN
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Answer,
    Assessment,
    AssessmentScore,
    Cycle,
    Membership,
    ScoreScope,
    SnapshotQuestion,
    Trust,
    User,
)

FIRST, LATEST, OPEN = (c.name for c in demo_cycles())


def test_latest_cycles_are_on_2_0_and_the_oldest_on_1_0(demo):
    versions = dict(db.session.execute(select(Cycle.name, Cycle.snapshot_id)).all())
    snapshots = {c.name: c.snapshot.version for c in db.session.scalars(select(Cycle))}
    assert snapshots == {FIRST: "1.0", LATEST: "2.0", OPEN: "2.0"}
    assert len(set(versions.values())) == 2


def _metric_answers() -> list[tuple[str, str, str, str, str, float]]:
    return [
        (slug, cycle, code, version, question, float(value))
        for slug, cycle, code, version, question, value in db.session.execute(
            select(
                Alliance.slug,
                Cycle.name,
                Trust.code,
                Cycle.snapshot_id,
                SnapshotQuestion.code,
                Answer.value,
            )
            .join(Assessment, Answer.assessment_id == Assessment.id)
            .join(Cycle, Assessment.cycle_id == Cycle.id)
            .join(Alliance, Cycle.alliance_id == Alliance.id)
            .join(Membership, Assessment.membership_id == Membership.id)
            .join(Trust, Membership.trust_id == Trust.id)
            .join(SnapshotQuestion, Answer.question_id == SnapshotQuestion.id)
            .where(SnapshotQuestion.kind == "metric")
        )
    ]


def test_metric_figures_are_spread_like_national_figures(demo):
    by_question: dict[tuple[str, str], list[float]] = defaultdict(list)
    for _slug, cycle, _code, _version, question, value in _metric_answers():
        by_question[(cycle, question)].append(value)
    rtt = by_question[(LATEST, "MET-1.1")]
    assert min(rtt) >= 45 and max(rtt) <= 85  # no 0% performance
    assert 55 <= sorted(rtt)[len(rtt) // 2] <= 66  # national ~58-62%
    for question, low, high, mid_low, mid_high in (
        ("MET-2.1", 87, 99.5, 92, 96.5),  # inpatient FFT ~94%
        ("MET-4.1", 7, 18, 9, 13),  # leaver rate
        ("MET-4.2", 3.5, 7, 4.4, 5.6),  # sickness absence ~5%
        ("MET-4.3", 0.6, 9, 2, 5),  # agency share of the pay bill ~3-4%
        ("MET-5.1", 65, 90, 74, 83),  # capped theatre utilisation
    ):
        values = sorted(by_question[(LATEST, question)])
        assert low <= values[0] and values[-1] <= high, question
        assert mid_low <= values[len(values) // 2] <= mid_high, question
    waiting = sorted(by_question[(FIRST, "MET-1.2")])  # 1.0: % waiting over 18 weeks
    assert 20 <= waiting[len(waiting) // 2] <= 50 and waiting[0] > 10


def test_trust_level_facts_are_the_same_in_every_alliance(demo):
    shared = set(ALLIANCES[0].members) & set(ALLIANCES[1].members)
    assert len(shared) == 5
    seen: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    for slug, cycle, code, _version, question, value in _metric_answers():
        trust_level = MEASURE_OF_1_0 if cycle == FIRST else MEASURE_OF_2_0
        if code in shared and question in trust_level:
            seen[(cycle, code, question)][slug] = value
    compared = [v for v in seen.values() if len(v) == 2]
    assert len(compared) >= 5 * 8
    assert [v for v in compared if len(set(v.values())) != 1] == []


def _domain_scores(cycle: Cycle) -> dict[int, dict[str, float]]:
    scores: dict[int, dict[str, float]] = defaultdict(dict)
    for membership_id, code, score in db.session.execute(
        select(Assessment.membership_id, AssessmentScore.code, AssessmentScore.score)
        .join(Assessment, AssessmentScore.assessment_id == Assessment.id)
        .where(Assessment.cycle_id == cycle.id, AssessmentScore.scope == ScoreScope.DOMAIN)
    ):
        scores[membership_id][code] = score
    return scores


def test_buddying_suggests_a_mentor_strong_where_the_mentee_is_weakest(demo):
    found = []
    for alliance in db.session.scalars(select(Alliance)):
        cycle = db.session.scalar(
            select(Cycle).where(Cycle.alliance_id == alliance.id, Cycle.name == LATEST)
        )
        results = cycle_results(cycle)
        domains = _domain_scores(cycle)
        for mentee in results.members:
            if not mentee.unmet:
                continue
            mine = domains[mentee.membership.id]
            weakest = min((d for d in mine if d != "MET"), key=mine.__getitem__)
            for suggestion in suggestions_for(alliance, results, mentee):
                theirs = domains[int(suggestion.member_id)]
                if theirs[weakest] >= max(3.0, mine[weakest] + 0.75):
                    found.append((alliance.slug, mentee.trust.code, weakest, suggestion.name))
    assert found, "no suggested buddy is strong in a mentee's weakest domain"
    # Profiles are uneven: members' strongest and weakest domains differ.
    assert len({w for _, _, w, _ in found}) >= 2


def _login_demo(client, email: str) -> None:  # type: ignore[no-untyped-def]
    from selfassess.demo.data import DEMO_PASSWORD
    from tests.conftest import csrf_token

    page = client.get("/auth/sign-in")
    response = client.post(
        "/auth/sign-in",
        data={"email": email, "password": DEMO_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302


def test_a_demo_instance_says_so_on_pages_reports_and_exports(demo):
    client = demo.test_client()
    assert DEMO_NOTICE in client.get("/auth/sign-in").text
    _login_demo(client, "coordinator.syb@demo.selfassess.example")
    slug = "syb-acute-federation"
    cycle = db.session.scalar(
        select(Cycle).join(Alliance).where(Alliance.slug == slug, Cycle.name == LATEST)
    )
    assert DEMO_NOTICE in client.get(f"/alliances/{slug}/").text
    report = client.get(f"/alliances/{slug}/cycles/{cycle.id}/members/RFF/report")
    assert report.status_code == 200 and DEMO_NOTICE in report.text
    answers = client.get(f"/alliances/{slug}/cycles/{cycle.id}/answers.csv")
    rows = list(csv.DictReader(io.StringIO(answers.text)))
    assert rows and {r[NOTICE_COLUMN] for r in rows} == {DEMO_NOTICE}


def test_the_notice_survives_a_restart(demo):
    from tests.conftest import build_app

    fresh = build_app(str(db.engine.url.render_as_string(hide_password=False)))
    with fresh.app_context():
        from selfassess.demonstration import is_demo_instance

        # The fresh app reads the row itself (its cache is its own). It shares the process's
        # engine (tests/speedups.py), so it must not dispose of it: that would orphan the
        # module's connection, which psycopg then reports when it is garbage-collected.
        assert is_demo_instance()


def test_the_orthopaedic_alliance_holds_its_members_to_its_own_standards(demo):
    """The NOA's coordinator left out IMP-3 and raised QUAL-2's target for the 2.0 cycles, with
    reasons; its 2.0 cycles use that variant, the other alliances the published version."""
    from selfassess.models import Alliance, Cycle, FrameworkSnapshot, SnapshotStandard

    rows = db.session.execute(
        select(Alliance.slug, Cycle.name, FrameworkSnapshot)
        .join(Cycle, Cycle.alliance_id == Alliance.id)
        .join(FrameworkSnapshot, Cycle.snapshot_id == FrameworkSnapshot.id)
        .where(FrameworkSnapshot.version == "2.0")
    ).all()
    for slug, _name, snapshot in rows:
        if slug != "national-orthopaedic-alliance":
            assert snapshot.variant == "" and snapshot.adjustments is None
            continue
        assert snapshot.alliance_id is not None and snapshot.variant
        assert snapshot.adjustment("IMP-3")["applies"] is False
        assert snapshot.adjustment("QUAL-2")["target"] == [3.0, 4.0]
        assert "003 §3.15" in snapshot.adjustment("QUAL-2")["reason"]
        codes = set(
            db.session.scalars(
                select(SnapshotStandard.code).where(SnapshotStandard.snapshot_id == snapshot.id)
            )
        )
        assert "IMP-3" not in codes and "IMP-2" in codes
    assert any(slug == "national-orthopaedic-alliance" for slug, _, _ in rows)


def test_the_orthopaedic_alliances_report_lists_what_it_set(demo):
    """The alliance report printed for a board says which standards the alliance set itself."""
    client = demo.test_client()
    from selfassess.demo.data import DEMO_PASSWORD
    from selfassess.models import Alliance, Cycle
    from tests.conftest import csrf_token

    noa = db.session.scalar(
        select(Alliance).where(Alliance.slug == "national-orthopaedic-alliance")
    )
    cycle = db.session.scalars(
        select(Cycle).where(Cycle.alliance_id == noa.id).order_by(Cycle.opens_on.desc())
    ).first()
    coordinator = next(
        u for u in db.session.scalars(select(User)) if u.has_role("coordinator", alliance_id=noa.id)
    )
    page = client.get("/auth/sign-in")
    client.post(
        "/auth/sign-in",
        data={
            "email": coordinator.email,
            "password": DEMO_PASSWORD,
            "csrf_token": csrf_token(page.text),
        },
    )
    report = client.get(f"/alliances/{noa.slug}/cycles/{cycle.id}/report")
    assert report.status_code == 200
    assert f"Standards your alliance set for {cycle.name}" in report.text
    assert "IMP-3" in report.text and "left out of this cycle" in report.text
