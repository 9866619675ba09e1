"""A pair set up on framework 1.0 results is judged on a later 2.0 cycle through lineage: each
focus standard's later score is that of the 2.0 standards continuing it (#15)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from selfassess.buddying import pairs
from selfassess.extensions import db
from selfassess.models import Assessment, AssessmentScore, BuddyPair, Membership, ScoreScope
from selfassess.scoring.pair_outcomes import scores_through_lineage
from tests.lineage_world import build_lineage_world


def test_scores_follow_the_standards_that_continue_each_focus_standard():
    after = {"VIS-1": 3.0, "GOV-1": 4.0, "GOV-2": 2.0}
    continued_by = {"VIS-1": ("VIS-1",), "VIS-2": ("VIS-1",), "GOV-1": ("GOV-1", "GOV-2")}
    got = scores_through_lineage(["VIS-2", "GOV-1", "DATA-9"], after, continued_by)
    assert got == {"VIS-2": 3.0, "GOV-1": 3.0, "DATA-9": None}  # mean; nothing continues DATA-9


def test_a_pair_from_a_one_point_zero_cycle_is_judged_through_lineage_on_two_point_zero(app):
    world = build_lineage_world(Path(app.config["QUESTIONS_DIR"]), 7)
    one_zero, two_zero = world.cycles[1], world.cycles[2]
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.alliance_id == world.alliance.id)
        .order_by(Membership.id)
    ).all()
    mentee, mentor = memberships[0], memberships[1]
    pair = BuddyPair(
        alliance_id=world.alliance.id,
        mentor_membership_id=mentor.id,
        mentee_membership_id=mentee.id,
        cycle_id=one_zero.id,
        focus_standards=["VIS-2", "GOV-1"],
        start_date=date(2024, 10, 1),
        status="active",
    )
    db.session.add(pair)
    db.session.commit()
    [row] = [r for r in pairs.list_pairs(world.alliance) if r.pair.id == pair.id]
    outcome = pairs.outcomes([row])[pair.id]
    assert (outcome.baseline.id, outcome.latest.id) == (one_zero.id, two_zero.id)
    later = db.session.scalar(
        select(Assessment).where(
            Assessment.cycle_id == two_zero.id, Assessment.membership_id == mentee.id
        )
    )
    scores = dict(
        db.session.execute(
            select(AssessmentScore.code, AssessmentScore.score).where(
                AssessmentScore.scope == ScoreScope.STANDARD,
                AssessmentScore.assessment_id == later.id,
            )
        ).all()
    )
    by_focus = {c.standard_id: c for c in outcome.changes}
    assert set(by_focus) == {"VIS-2", "GOV-1"}
    # 1.0's VIS-2 is continued by 2.0's VIS-1: its later score is VIS-1's, not "no score".
    assert by_focus["VIS-2"].after is not None
    assert by_focus["VIS-2"].after == scores["VIS-1"]
    # 1.0's GOV-1 is continued by 2.0's GOV-1: the same id, found through lineage.
    assert by_focus["GOV-1"].after == scores["GOV-1"]
