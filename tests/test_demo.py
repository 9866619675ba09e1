"""Loading the demo (#15 point 3): the status mix stated and printed, dates that follow the day
of loading, and no notice on a real instance. What the loaded demo holds is read in
``test_demo_contents.py``, which loads it once for all its tests."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from sqlalchemy import select

from selfassess.alliance_profile.facts import load_profile, stored_facts
from selfassess.demo.data import demo_cycles
from selfassess.demo.loader import load_demo
from selfassess.exports.csv_writer import NOTICE_COLUMN
from selfassess.extensions import db
from selfassess.models import Assessment, AuditEvent, Cycle, FrameworkSnapshot, User

FIRST, LATEST, OPEN = (c.name for c in demo_cycles())
#: The status mix the README states and `flask demo load` prints.
EXPECTED_MIX = {
    FIRST: {"Meets standards": 4, "Improvement required": 14, "Not submitted": 2},
    LATEST: {"Meets standards": 12, "Improvement required": 3, "At risk": 5},
    OPEN: {"Meets standards": 8, "Improvement required": 2, "At risk": 2, "Awaiting submission": 8},
}


def _statuses() -> dict[str, Counter[str]]:
    mix: dict[str, Counter[str]] = defaultdict(Counter)
    for name, status in db.session.execute(
        select(Cycle.name, Assessment.status).join(Cycle, Assessment.cycle_id == Cycle.id)
    ):
        mix[name][status] += 1
    return mix


def test_status_mix_is_the_one_stated_and_printed(runner):
    """`flask demo load` makes and prints the stated mix; framework 2.0's alliance-level facts
    are answered on each demo alliance's profile, by its coordinator, and read the same from
    the profile a member sees. (One test: each load takes seconds.)"""
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert {k: dict(v) for k, v in _statuses().items()} == EXPECTED_MIX
    latest = EXPECTED_MIX[LATEST]
    # Most members meet the standards or are improving; a few are at risk.
    assert latest["At risk"] <= 0.3 * sum(latest.values())
    assert (
        f"{LATEST} (framework 2.0, closed): 12 Meets standards, 3 Improvement required, "
        "5 At risk" in result.output
    )
    assert f"{FIRST} (framework 1.0, closed)" in result.output

    assert "alliance facts answered by coordinators" in result.output
    cycles = db.session.scalars(
        select(Cycle).join(FrameworkSnapshot).where(FrameworkSnapshot.scoring == "gated")
    ).all()
    assert cycles
    for cycle in cycles:
        questions = load_profile(cycle).questions
        stored = stored_facts(cycle, questions)
        assert len(stored) == len(questions), cycle.name
        assert {s.entry.value for s in stored.values()} <= {"yes", "no"}
    assert (
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("alliance_profile%"))
        ).first()
        is not None
    )


def test_dates_follow_the_day_of_loading(app):
    today = date(2027, 4, 20)
    load_demo(today=today)
    cycles = {c.name: c for c in db.session.scalars(select(Cycle))}
    assert sorted(cycles) == ["2025/26", "2026/27", "2027/28"]
    for cycle in cycles.values():
        assert cycle.opens_on < cycle.closes_on
        if cycle.state == "open":
            assert cycle.opens_on <= today < cycle.closes_on
        else:
            assert cycle.closes_on < today
    for assessment in db.session.scalars(select(Assessment)):
        for stamp in (assessment.submitted_at, assessment.validated_at):
            assert stamp is None or stamp.date() <= today


def test_a_real_instance_shows_no_notice(app, client, make_user, make_alliance):
    alliance = make_alliance()
    user = make_user(("coordinator", alliance))
    assert "Demonstration data" not in client.get("/auth/sign-in").text
    assert db.session.scalar(select(User).where(User.id == user.id)) is not None
    from selfassess.exports.services import answers_csv, scores_csv

    assert NOTICE_COLUMN not in answers_csv([]) and NOTICE_COLUMN not in scores_csv([])


def test_the_readme_states_the_same_mix():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for label, name in (
        ("oldest (1.0, closed)", FIRST),
        ("middle (2.0, closed)", LATEST),
        ("latest (2.0, open)", OPEN),
    ):
        mix = EXPECTED_MIX[name]
        cells = [
            str(mix.get(s, "\N{EN DASH}"))
            for s in (
                "Meets standards",
                "Improvement required",
                "At risk",
                "Not submitted",
                "Awaiting submission",
            )
        ]
        assert f"| {label} | {' | '.join(cells)} |" in readme
