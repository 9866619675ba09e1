"""CSV exports and the scores rebuild, checked on the demo data."""

from __future__ import annotations

import csv
import io
import re
import statistics

from sqlalchemy import func, select

from selfassess.demo.data import demo_cycles
from selfassess.demonstration import DEMO_NOTICE
from selfassess.exports.csv_writer import NOTICE_COLUMN, safe_cell
from selfassess.exports.services import ANSWER_COLUMNS, SCORE_COLUMNS
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Answer,
    Assessment,
    AssessmentScore,
    Cycle,
    SnapshotStandard,
    Trust,
)

# The demo's cycles are named from the day it is loaded (oldest on 1.0, then 2.0).
FIRST, LATEST, OPEN = (c.name for c in demo_cycles())


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _stored() -> tuple[list[tuple], list[tuple]]:
    scores = db.session.execute(
        select(
            AssessmentScore.assessment_id,
            AssessmentScore.scope,
            AssessmentScore.code,
            AssessmentScore.score,
            AssessmentScore.score_index,
            AssessmentScore.met,
        ).order_by(AssessmentScore.assessment_id, AssessmentScore.scope, AssessmentScore.code)
    ).all()
    statuses = db.session.execute(
        select(
            Assessment.id, Assessment.status, Assessment.overall_index, Assessment.standards_met
        ).order_by(Assessment.id)
    ).all()
    return [tuple(r) for r in scores], [tuple(r) for r in statuses]


def test_scores_rebuild_reproduces_stored_scores_exactly(runner):
    runner.invoke(args=["demo", "load"])
    before = _stored()
    assert len(before[0]) > 1000
    db.session.execute(AssessmentScore.__table__.delete())
    db.session.execute(
        Assessment.__table__.update().values(status=None, overall_index=None, standards_met=None)
    )
    db.session.commit()
    result = runner.invoke(args=["scores", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt scores for 60 assessments" in result.output
    db.session.expire_all()
    assert _stored() == before


def test_each_assessment_keeps_its_count_of_standards_met(runner):
    """Stored beside the score rows by the scoring (the coordinator's member table reads it):
    the number of standard rows met, and none where there is no result."""
    runner.invoke(args=["demo", "load"])
    met = dict(
        db.session.execute(
            select(AssessmentScore.assessment_id, func.count())
            .where(AssessmentScore.scope == "standard", AssessmentScore.met.is_(True))
            .group_by(AssessmentScore.assessment_id)
        ).all()
    )
    scored = set(db.session.scalars(select(AssessmentScore.assessment_id).distinct()))
    kept = dict(db.session.execute(select(Assessment.id, Assessment.standards_met)).all())
    assert len(scored) > 20 and len(kept) > len(scored)  # some have no result yet
    assert kept == {a: (met.get(a, 0) if a in scored else None) for a in kept}


def test_answers_export_columns_and_levels(runner):
    runner.invoke(args=["demo", "load"])
    result = runner.invoke(
        args=["export", "answers", "--alliance", "national-orthopaedic-alliance", "--cycle", LATEST]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # The columns keep their order; a demo instance adds its notice as the last one.
    assert lines[0] == ",".join([*ANSWER_COLUMNS, NOTICE_COLUMN])
    rows = _rows(result.output)
    assert {row[NOTICE_COLUMN] for row in rows} == {DEMO_NOTICE}
    expected = db.session.scalar(
        select(func.count(Answer.id))
        .join(Assessment)
        .join(Cycle)
        .join(Alliance)
        .where(
            Alliance.slug == "national-orthopaedic-alliance",
            Cycle.name == LATEST,
            Assessment.state.in_(["submitted", "validated"]),
            Answer.value.is_not(None),
        )
    )
    assert len(rows) == expected > 0
    assert len(lines) == len(rows) + 1  # one row per line
    for row in rows:
        if row["question_type"] == "maturity":
            assert row["level"] == row["value"]
        elif row["question_type"] == "yes_no":
            assert row["level"] == ""  # a 2.0 criterion caps the claim; it has no level
        elif row["question_type"] == "text":
            assert row["level"] == ""
        else:
            assert row["level"] in {"1", "2", "3", "4", "5"}


def test_scores_export_formats_and_peer_statistics(runner):
    runner.invoke(args=["demo", "load"])
    result = runner.invoke(
        args=["export", "scores", "--alliance", "national-orthopaedic-alliance", "--cycle", LATEST]
    )
    assert result.output.splitlines()[0] == ",".join([*SCORE_COLUMNS, NOTICE_COLUMN])
    rows = _rows(result.output)
    standard_rows = [r for r in rows if r["scope"] == "standard" and r["score"]]
    for row in standard_rows:
        assert re.fullmatch(r"\d\.\d{4}", row["score"])
        assert row["met"] in {"true", "false"}
        assert (row["met"] == "true") == (float(row["score"]) >= float(row["target"]))
    gov1 = [r for r in standard_rows if r["id"] == "GOV-1"]
    values = [float(r["score"]) for r in gov1]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert gov1[0]["peer_n"] == str(len(values))
    assert abs(float(gov1[0]["peer_median"]) - median) < 1e-4
    assert abs(float(gov1[0]["peer_q1"]) - q1) < 1e-4
    assert abs(float(gov1[0]["peer_q3"]) - q3) < 1e-4
    overall = [r for r in rows if r["scope"] == "overall"]
    assert len(overall) == 5
    assert all(r["status"] for r in overall)
    assert all(re.fullmatch(r"\d+\.\d{2}", r["index"]) for r in overall)


def test_scores_export_suppresses_small_peer_groups(runner):
    runner.invoke(args=["demo", "load"])
    # The Acute Hospitals Alliance has two submissions so far in 2026/27.
    result = runner.invoke(
        args=["export", "scores", "--alliance", "acute-hospitals-alliance", "--cycle", OPEN]
    )
    rows = _rows(result.output)
    scored = [r for r in rows if r["score"] or r["index"]]
    assert scored
    for row in scored:
        assert row["peer_n"] == row["peer_median"] == row["percentile"] == ""


def test_export_without_filters_covers_every_alliance_and_cycle(runner):
    runner.invoke(args=["demo", "load"])
    rows = _rows(runner.invoke(args=["export", "scores"]).output)
    assert {(r["alliance"], r["cycle"]) for r in rows} == {
        (a, c) for a, c in db.session.execute(select(Alliance.slug, Cycle.name).join(Cycle))
    }


def test_unknown_cycle_is_a_clear_error(runner):
    runner.invoke(args=["demo", "load"])
    result = runner.invoke(args=["export", "scores", "--alliance", "nope", "--cycle", LATEST])
    assert result.exit_code != 0
    assert "No cycle matches" in result.output


def test_formula_injection_is_neutralised():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-12.5") == "-12.5"
    assert safe_cell("+44 20") == "'+44 20"
    assert safe_cell("line one\nline two") == "line one line two"


def test_coordinator_downloads_only_their_alliance(runner, client, login, make_user):
    runner.invoke(args=["demo", "load"])
    by_slug = {a.slug: a for a in db.session.scalars(select(Alliance))}
    noa = by_slug["national-orthopaedic-alliance"]
    wtp = by_slug["working-together-partnership"]
    noa_cycle = db.session.scalar(select(Cycle).where(Cycle.alliance_id == noa.id))
    wtp_cycle = db.session.scalar(select(Cycle).where(Cycle.alliance_id == wtp.id))
    login(make_user(("coordinator", noa)))
    ok = client.get(f"/alliances/{noa.slug}/cycles/{noa_cycle.id}/scores.csv")
    assert ok.status_code == 200
    assert ok.mimetype == "text/csv"
    assert "attachment" in ok.headers["Content-Disposition"]
    assert ok.headers["Cache-Control"] == "no-store"
    assert {r["alliance"] for r in _rows(ok.text)} == {noa.slug}
    # Another alliance's cycle id under our slug: as good as missing.
    missing = client.get(f"/alliances/{noa.slug}/cycles/{wtp_cycle.id}/answers.csv")
    assert missing.status_code == 404
    # Another alliance's slug: forbidden.
    assert client.get(f"/alliances/{wtp.slug}/cycles/{wtp_cycle.id}/answers.csv").status_code == 403


def test_trust_names_are_neutralised_in_exports(runner, app):
    runner.invoke(args=["demo", "load"])
    trust = db.session.scalar(select(Trust).where(Trust.code == "RAN"))
    trust.name = "=cmd|' /C calc'!A0"
    db.session.commit()
    rows = _rows(
        runner.invoke(
            args=["export", "answers", "--alliance", "national-orthopaedic-alliance"]
        ).output
    )
    names = {r["trust_name"] for r in rows if r["trust_code"] == "RAN"}
    assert names == {"'=cmd|' /C calc'!A0"}


def test_exports_name_each_standard_in_the_cycles_own_framework_version(runner):
    """``standard_title`` is appended (the columns before it keep their order, the demo's
    notice stays last) and holds the wording of the version the cycle used: DATA-2 is worded
    differently in 1.0 and 2.0, and the oldest demo cycle is on 1.0."""
    runner.invoke(args=["demo", "load"])
    slug = "national-orthopaedic-alliance"
    first = db.session.scalars(
        select(Cycle).join(Alliance).where(Alliance.slug == slug, Cycle.name == FIRST)
    ).one()
    latest = db.session.scalars(
        select(Cycle).join(Alliance).where(Alliance.slug == slug, Cycle.name == LATEST)
    ).one()

    def statement(cycle: Cycle, code: str) -> str:
        return db.session.scalars(
            select(SnapshotStandard.statement).where(
                SnapshotStandard.snapshot_id == cycle.snapshot_id, SnapshotStandard.code == code
            )
        ).one()

    assert statement(first, "DATA-2") != statement(latest, "DATA-2")
    assert ANSWER_COLUMNS[-1] == SCORE_COLUMNS[-1] == "standard_title"
    for cycle in (first, latest):
        for kind in ("answers", "scores"):
            result = runner.invoke(args=["export", kind, "--alliance", slug, "--cycle", cycle.name])
            assert result.exit_code == 0, result.output
            header = result.output.splitlines()[0].split(",")
            assert header[-2:] == ["standard_title", NOTICE_COLUMN]
            rows = _rows(result.output)
            code = "standard_id" if kind == "answers" else "id"
            data2 = [r for r in rows if r[code] == "DATA-2"]
            assert data2, (kind, cycle.name)
            assert {r["standard_title"] for r in data2} == {statement(cycle, "DATA-2")}
            if kind == "scores":
                assert {r["standard_title"] for r in rows if r["scope"] != "standard"} == {""}
