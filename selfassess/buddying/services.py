"""Buddying use cases that change something: assign a pair, move it on, add a note.

Each function checks what it may do, makes the change, writes the audit event and commits, all
in one transaction; a refusal raises ``BuddyingRefused`` with a message for the page and leaves
nothing changed.

Capacity: a mentor holds a place for every *open* pair (proposed or active), because a proposal
is a promise of the mentor's time, and counting only active pairs would let a mentor be proposed
to any number of mentees and then fail at activation. Two leads assigning to one mentor at once
must not both get the last place, so the count runs inside a lock on the mentor's membership row
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite write transactions already run one at a time,
since ``database.py`` starts them with ``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import audit, events
from ..extensions import db
from ..models import (
    Alliance,
    BuddyPair,
    BuddyPairNote,
    Cycle,
    Membership,
    PairStatus,
    SnapshotStandard,
    User,
)
from ..models._types import utcnow

NOTE_MAX = 5000
#: Which statuses each status may move to.
TRANSITIONS: dict[PairStatus, frozenset[PairStatus]] = {
    PairStatus.PROPOSED: frozenset({PairStatus.ACTIVE, PairStatus.ENDED}),
    PairStatus.ACTIVE: frozenset({PairStatus.COMPLETED, PairStatus.ENDED}),
    PairStatus.COMPLETED: frozenset(),
    PairStatus.ENDED: frozenset(),
}
_OPEN = (PairStatus.PROPOSED, PairStatus.ACTIVE)
#: How a closing outcome is headed in the pair's notes.
OUTCOME_LABEL = {PairStatus.COMPLETED: "Completed", PairStatus.ENDED: "Ended"}


class BuddyingRefused(ValueError):
    """The change is not allowed; the message says why, in words for the page."""


class PairChanged(BuddyingRefused):
    """Someone else changed the pair after the lead loaded the page."""


@dataclass(frozen=True)
class NewPair:
    """What a buddying lead asks for when assigning a pair."""

    mentor_id: int
    mentee_id: int
    focus: tuple[str, ...]
    start_date: date
    note: str = ""


def _lock_member(alliance: Alliance, membership_id: int) -> Membership | None:
    """Load an active member of the alliance, holding its row until commit (PostgreSQL)."""
    return db.session.execute(
        select(Membership)
        .where(
            Membership.id == membership_id,
            Membership.alliance_id == alliance.id,
            Membership.active.is_(True),
        )
        .with_for_update()
    ).scalar_one_or_none()


def open_pair_count(mentor_id: int) -> int:
    """How many places the mentor's open pairs hold now."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(BuddyPair)
            .where(BuddyPair.mentor_membership_id == mentor_id, BuddyPair.status.in_(_OPEN))
        )
        or 0
    )


def _check_focus(cycle: Cycle, focus: tuple[str, ...]) -> list[str]:
    if not focus:
        raise BuddyingRefused("Select at least one focus standard")
    known = set(
        db.session.scalars(
            select(SnapshotStandard.code).where(SnapshotStandard.snapshot_id == cycle.snapshot_id)
        )
    )
    unknown = [code for code in focus if code not in known]
    if unknown:
        raise BuddyingRefused(f"{', '.join(unknown)} is not a standard in {cycle.name}")
    return list(dict.fromkeys(focus))


def assign_pair(alliance: Alliance, cycle: Cycle, request: NewPair, actor: User) -> BuddyPair:
    """Propose a pair made from ``cycle``'s results, if the mentor still has a place."""
    if cycle.alliance_id != alliance.id:
        raise BuddyingRefused("That cycle belongs to another alliance")
    if request.mentor_id == request.mentee_id:
        raise BuddyingRefused("A member cannot buddy itself: choose another mentor")
    focus = _check_focus(cycle, request.focus)
    note = request.note.strip()
    if len(note) > NOTE_MAX:
        raise BuddyingRefused(f"Notes must be {NOTE_MAX} characters or fewer")
    mentee = db.session.execute(
        select(Membership).where(
            Membership.id == request.mentee_id,
            Membership.alliance_id == alliance.id,
            Membership.active.is_(True),
        )
    ).scalar_one_or_none()
    mentor = _lock_member(alliance, request.mentor_id)
    if mentee is None or mentor is None:
        db.session.rollback()
        raise BuddyingRefused("Choose a mentor and a mentee who are current members")
    # Counted only now, under the lock: a place taken a moment ago by another lead shows here.
    load, capacity = open_pair_count(mentor.id), alliance.max_active_pairs_per_mentor
    if load >= capacity:
        db.session.rollback()
        raise BuddyingRefused(
            f"{mentor.trust.name} has no place left: {load} of {capacity} places are used "
            "by proposed or active pairs. Choose another mentor, or end one of its pairs first"
        )
    pair = BuddyPair(
        alliance_id=alliance.id,
        mentor_membership_id=mentor.id,
        mentee_membership_id=mentee.id,
        cycle_id=cycle.id,
        focus_standards=focus,
        start_date=request.start_date,
        status=PairStatus.PROPOSED,
        created_by_id=actor.id,
    )
    if note:
        pair.notes.append(BuddyPairNote(body=note, author_id=actor.id))
    db.session.add(pair)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise BuddyingRefused(
            f"{mentor.trust.name} is already buddying {mentee.trust.name}: open that pair instead"
        ) from error
    audit.record(
        "buddy_pair.assign",
        "buddy_pair",
        pair.id,
        after={
            "mentor": mentor.trust.code,
            "mentee": mentee.trust.code,
            "cycle": cycle.name,
            "focus_standards": focus,
            "start_date": request.start_date.isoformat(),
            "status": pair.status,
            "note": note or None,
            "mentor_load": f"{load + 1} of {capacity}",
        },
        alliance_id=alliance.id,
        trust_id=mentee.trust_id,
        actor_id=actor.id,
    )
    events.publish(events.PairChanged(pair.id, PairStatus.PROPOSED, actor.id))
    db.session.commit()
    return pair


def _lock_pair(pair: BuddyPair) -> BuddyPair:
    """Re-read the pair under a row lock so two leads' changes apply one after the other."""
    db.session.refresh(pair, with_for_update=True)
    return pair


def change_status(
    pair: BuddyPair,
    to: str,
    seen: str,
    actor: User,
    *,
    outcome: str = "",
    start_today: bool = False,
    today: date | None = None,
) -> None:
    """Move a pair on (proposed -> active -> completed, or ended early).

    ``seen`` is the status the lead was looking at: if someone changed the pair since, the
    change is refused rather than applied to a pair the lead has not seen. A pair cannot start
    before its start date unless the lead chooses to start it today, which moves the date (the
    audit keeps both). Completing, ending or withdrawing a pair records its ``outcome`` as a
    note, and a pair cannot be completed before it started.
    """
    try:
        target = PairStatus(to)
    except ValueError:
        raise BuddyingRefused("Choose what to do with this pair") from None
    today = today or date.today()
    pair = _lock_pair(pair)
    current = PairStatus(pair.status)
    if seen != current:
        db.session.rollback()
        raise PairChanged(
            f"Someone else changed this pair while you were looking at it: it is now "
            f"{current.label.lower()}. Check it and try again"
        )
    if target not in TRANSITIONS[current]:
        db.session.rollback()
        raise BuddyingRefused(f"A {current.value} pair cannot become {target.value}")
    before: dict[str, object] = {"status": current.value}
    after: dict[str, object] = {"status": target.value}
    if target is PairStatus.ACTIVE and pair.start_date > today:
        if not start_today:
            db.session.rollback()
            raise BuddyingRefused(
                f"This pair is planned to start on {pair.start_date:%-d %B %Y}, so it cannot "
                "start yet. To start it now, choose Start today instead"
            )
        before["start_date"], after["start_date"] = pair.start_date.isoformat(), today.isoformat()
        pair.start_date = today
    if not target.is_open:
        outcome = outcome.strip()
        if not outcome:
            db.session.rollback()
            raise BuddyingRefused("Enter the outcome: what the pair achieved, or why it ends")
        if len(outcome) > NOTE_MAX:
            db.session.rollback()
            raise BuddyingRefused(f"The outcome must be {NOTE_MAX} characters or fewer")
        if target is PairStatus.COMPLETED and today < pair.start_date:
            db.session.rollback()
            raise BuddyingRefused("A pair cannot be completed before its start date")
        db.session.add(
            BuddyPairNote(
                pair_id=pair.id, author_id=actor.id, body=f"{OUTCOME_LABEL[target]}: {outcome}"
            )
        )
        after["outcome"] = outcome
    pair.status = target
    pair.closed_at = None if target.is_open else utcnow()
    audit.record(
        f"buddy_pair.{target.value}",
        "buddy_pair",
        pair.id,
        before=before,
        after=after,
        alliance_id=pair.alliance_id,
        trust_id=pair.mentee.trust_id,
        actor_id=actor.id,
    )
    events.publish(events.PairChanged(pair.id, target.value, actor.id))
    db.session.commit()


def add_note(pair: BuddyPair, body: str, author: User) -> BuddyPairNote:
    """Add a dated note to the pair's history; notes are never edited or removed."""
    body = body.strip()
    if not body:
        raise BuddyingRefused("Enter a note")
    if len(body) > NOTE_MAX:
        raise BuddyingRefused(f"Notes must be {NOTE_MAX} characters or fewer")
    note = BuddyPairNote(pair_id=pair.id, body=body, author_id=author.id)
    db.session.add(note)
    db.session.flush()
    audit.record(
        "buddy_pair.note",
        "buddy_pair",
        pair.id,
        after={"note_id": note.id, "body": body},
        alliance_id=pair.alliance_id,
        trust_id=pair.mentee.trust_id,
        actor_id=author.id,
    )
    db.session.commit()
    return note
