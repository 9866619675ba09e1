"""Two leads assigning the mentor's last place at the same moment: only one gets it.

Each assignment runs in its own thread with its own app context, session and database
connection, released together by a barrier. ``open_pair_count`` is slowed down so that both
transactions are certainly between "look at the mentor" and "count its pairs" at once: without a
lock, both would count a free place and the mentor would end up over capacity. Runs on SQLite
and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from selfassess.buddying import services
from selfassess.extensions import db
from selfassess.models import Alliance, AuditEvent, BuddyPair, Cycle, Membership, User
from tests.buddying.conftest import STANDARD_MEMBERS

PAUSE = 0.4  # seconds inside the critical section: far longer than the threads take to start


def _slow_count(monkeypatch: pytest.MonkeyPatch) -> None:
    real = services.open_pair_count

    def slow(mentor_id: int) -> int:
        time.sleep(PAUSE)
        return real(mentor_id)

    monkeypatch.setattr(services, "open_pair_count", slow)


def _assign_at_once(app, scenario, make_user, mentees):  # type: ignore[no-untyped-def]
    """Run one assignment per mentee in parallel; return each thread's outcome."""
    s = scenario
    second_lead = make_user(("buddying_lead", s.alliance))
    leads = [s.lead.id, second_lead.id]
    ids = {"alliance": s.alliance.id, "cycle": s.cycles[1].id, "mentor": s.member_id("S")}
    mentee_ids = [s.member_id(code) for code in mentees]
    db.session.commit()  # the test's own connection holds no transaction while threads write
    barrier = threading.Barrier(len(mentee_ids))
    outcomes: list[str] = [""] * len(mentee_ids)

    def worker(k: int) -> None:
        with app.app_context():
            try:
                alliance = db.session.get(Alliance, ids["alliance"])
                cycle = db.session.get(Cycle, ids["cycle"])
                lead = db.session.get(User, leads[k % 2])
                request = services.NewPair(
                    ids["mentor"], mentee_ids[k], ("DATA-1",), date(2025, 7, 1)
                )
                db.session.commit()
                barrier.wait(timeout=10)
                services.assign_pair(alliance, cycle, request, lead)
                outcomes[k] = "assigned"
            except services.BuddyingRefused as refusal:
                outcomes[k] = f"refused: {refusal}"
            except Exception as error:  # reported, so a crash is not mistaken for a refusal
                outcomes[k] = f"error: {error!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(mentee_ids))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes, time.monotonic() - started


def _open_pairs(mentor_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count())
        .select_from(BuddyPair)
        .where(
            BuddyPair.mentor_membership_id == mentor_id,
            BuddyPair.status.in_(("proposed", "active")),
        )
    )


def test_two_simultaneous_assignments_cannot_exceed_capacity(
    app, make_scenario, make_user, monkeypatch
):
    s = make_scenario(STANDARD_MEMBERS, max_pairs=1)
    _slow_count(monkeypatch)
    outcomes, took = _assign_at_once(app, s, make_user, ["A", "U"])

    assert sorted(o.split(":")[0] for o in outcomes) == ["assigned", "refused"], outcomes
    [refusal] = [o for o in outcomes if o.startswith("refused")]
    assert "no place left: 1 of 1 places" in refusal
    assert _open_pairs(s.member_id("S")) == 1
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "buddy_pair.assign")
        )
        == 1
    )
    # The second waited for the first to commit: the two critical sections did not overlap.
    assert took >= 2 * PAUSE


def test_simultaneous_assignments_fill_exactly_the_places_left(
    app, make_scenario, make_user, monkeypatch
):
    s = make_scenario(STANDARD_MEMBERS, max_pairs=2)
    _slow_count(monkeypatch)
    outcomes, _ = _assign_at_once(app, s, make_user, ["A", "B", "U"])
    assert sorted(o.split(":")[0] for o in outcomes) == ["assigned", "assigned", "refused"]
    assert _open_pairs(s.member_id("S")) == 2


def test_without_the_row_lock_postgresql_would_overbook(app, make_scenario, make_user, monkeypatch):
    """The control experiment: on PostgreSQL the test above fails if the lock is taken away.

    On SQLite the same experiment shows why no row lock is needed there: every write
    transaction starts with BEGIN IMMEDIATE, so the second assignment waits for the first to
    commit and is refused even with the lock removed.
    """

    def no_lock(alliance, membership_id):  # type: ignore[no-untyped-def]
        return db.session.get(Membership, membership_id)

    s = make_scenario(STANDARD_MEMBERS, max_pairs=1)
    if db.engine.dialect.name == "sqlite":
        monkeypatch.setattr(services, "_lock_member", no_lock)
        _slow_count(monkeypatch)
        outcomes, _ = _assign_at_once(app, s, make_user, ["A", "U"])
        assert sorted(o.split(":")[0] for o in outcomes) == ["assigned", "refused"], outcomes
        assert _open_pairs(s.member_id("S")) == 1
        return
    # Without the lock nothing makes one wait for the other, so both can meet before counting:
    # this makes the race certain rather than likely.
    real, meet = services.open_pair_count, threading.Barrier(2)

    def count_together(mentor_id: int) -> int:
        meet.wait(timeout=10)
        return real(mentor_id)

    monkeypatch.setattr(services, "open_pair_count", count_together)
    monkeypatch.setattr(services, "_lock_member", no_lock)
    outcomes, _ = _assign_at_once(app, s, make_user, ["A", "U"])
    assert outcomes == ["assigned", "assigned"], outcomes
    assert _open_pairs(s.member_id("S")) == 2  # over the maximum of 1
