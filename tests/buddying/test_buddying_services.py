"""Assigning pairs, moving them on and adding notes: the rules, the refusals, the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from selfassess.buddying import services
from selfassess.buddying.services import BuddyingRefused, NewPair, PairChanged
from selfassess.extensions import db
from selfassess.models import AuditEvent, BuddyPair, BuddyPairNote, PairStatus


def _new(s, mentor="S", mentee="A", focus=("GOV-2", "DATA-1"), note=""):  # type: ignore[no-untyped-def]
    return NewPair(s.member_id(mentor), s.member_id(mentee), tuple(focus), date(2025, 7, 1), note)


def _events(action):  # type: ignore[no-untyped-def]
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ).all()


def test_assign_proposes_a_pair_with_its_first_note_and_audits_it(scenario):
    s = scenario
    pair = services.assign_pair(s.alliance, s.cycles[0], _new(s, note="  Monthly calls  "), s.lead)
    db.session.expire_all()
    stored = db.session.get(BuddyPair, pair.id)
    assert stored.status == PairStatus.PROPOSED and stored.closed_at is None
    assert stored.focus_standards == ["GOV-2", "DATA-1"]
    assert stored.cycle_id == s.cycles[0].id and stored.created_by_id == s.lead.id
    assert [(n.body, n.author_id) for n in stored.notes] == [("Monthly calls", s.lead.id)]
    [event] = _events("buddy_pair.assign")
    assert event.entity_id == pair.id and event.actor_id == s.lead.id
    assert event.alliance_id == s.alliance.id and event.trust_id == s.trusts["A"].id
    assert event.after["mentor"] == s.trusts["S"].code
    assert event.after["focus_standards"] == ["GOV-2", "DATA-1"]
    assert event.after["mentor_load"] == "1 of 2"


def test_capacity_counts_proposed_and_active_pairs(make_scenario):
    from tests.buddying.conftest import STANDARD_MEMBERS

    s = make_scenario(STANDARD_MEMBERS, max_pairs=2)
    first = services.assign_pair(s.alliance, s.cycles[0], _new(s, mentee="A"), s.lead)
    services.change_status(first, "active", "proposed", s.lead)
    services.assign_pair(s.alliance, s.cycles[0], _new(s, mentee="B"), s.lead)  # proposed
    with pytest.raises(BuddyingRefused, match=r"no place left: 2 of 2 places"):
        services.assign_pair(s.alliance, s.cycles[0], _new(s, mentee="U"), s.lead)
    assert (
        db.session.scalar(
            select(BuddyPair).where(BuddyPair.mentee_membership_id == s.member_id("U"))
        )
        is None
    )
    assert len(_events("buddy_pair.assign")) == 2
    # Ending a pair frees its place.
    services.change_status(first, "ended", "active", s.lead, outcome="Agreed actions done")
    services.assign_pair(s.alliance, s.cycles[0], _new(s, mentee="U"), s.lead)


def test_capacity_zero_refuses_everyone(make_scenario):
    from tests.buddying.conftest import STANDARD_MEMBERS

    s = make_scenario(STANDARD_MEMBERS, max_pairs=0)
    with pytest.raises(BuddyingRefused, match="0 of 0 places"):
        services.assign_pair(s.alliance, s.cycles[0], _new(s), s.lead)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mentor": "A"}, "cannot buddy itself"),
        ({"focus": ()}, "at least one focus standard"),
        ({"focus": ("GOV-2", "NOPE-1")}, "NOPE-1 is not a standard"),
        ({"note": "x" * 5001}, "5000 characters or fewer"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(scenario, change, message):
    s = scenario
    with pytest.raises(BuddyingRefused, match=message):
        services.assign_pair(s.alliance, s.cycles[0], _new(s, **change), s.lead)
    assert db.session.scalars(select(BuddyPair)).all() == []
    assert _events("buddy_pair.assign") == []


def test_members_of_another_alliance_or_inactive_members_cannot_be_paired(scenario, make_scenario):
    from tests.buddying.conftest import STANDARD_MEMBERS

    s, other = scenario, make_scenario(STANDARD_MEMBERS)
    request = NewPair(other.member_id("S"), s.member_id("A"), ("GOV-2",), date(2025, 7, 1))
    with pytest.raises(BuddyingRefused, match="current members"):
        services.assign_pair(s.alliance, s.cycles[0], request, s.lead)
    with pytest.raises(BuddyingRefused, match="another alliance"):
        services.assign_pair(s.alliance, other.cycles[0], _new(s), s.lead)
    s.members["S"].active = False
    db.session.commit()
    with pytest.raises(BuddyingRefused, match="current members"):
        services.assign_pair(s.alliance, s.cycles[0], _new(s), s.lead)


def test_the_same_couple_cannot_have_two_open_pairs(scenario):
    s = scenario
    first = services.assign_pair(s.alliance, s.cycles[0], _new(s), s.lead)
    with pytest.raises(BuddyingRefused, match="already buddying"):
        services.assign_pair(s.alliance, s.cycles[0], _new(s, focus=("GOV-2",)), s.lead)
    services.change_status(first, "active", "proposed", s.lead)
    services.change_status(first, "completed", "active", s.lead, outcome="Agreed actions done")
    # Once finished, the same two members may be paired again.
    again = services.assign_pair(s.alliance, s.cycles[1], _new(s, focus=("DATA-1",)), s.lead)
    assert again.id != first.id


def test_the_database_itself_refuses_a_second_open_pair_for_a_couple(scenario):
    from sqlalchemy.exc import IntegrityError

    s = scenario
    services.assign_pair(s.alliance, s.cycles[0], _new(s), s.lead)
    db.session.add(
        BuddyPair(
            alliance_id=s.alliance.id,
            mentor_membership_id=s.member_id("S"),
            mentee_membership_id=s.member_id("A"),
            focus_standards=["GOV-2"],
            start_date=date(2025, 7, 1),
            status="active",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_lifecycle_and_audit(scenario):
    s = scenario
    pair = services.assign_pair(s.alliance, s.cycles[0], _new(s), s.lead)
    services.change_status(pair, "active", "proposed", s.lead)
    assert pair.status == "active" and pair.closed_at is None
    services.change_status(pair, "completed", "active", s.lead, outcome="Agreed actions done")
    assert pair.status == "completed" and pair.closed_at is not None
    actions = [
        (e.action, e.before, e.after)
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_type == "buddy_pair").order_by(AuditEvent.id)
        )
    ]
    assert [a for a, _, _ in actions] == [
        "buddy_pair.assign",
        "buddy_pair.active",
        "buddy_pair.completed",
    ]
    assert actions[1][1:] == ({"status": "proposed"}, {"status": "active"})
    assert actions[2][1:] == (
        {"status": "active"},
        {"status": "completed", "outcome": "Agreed actions done"},
    )


@pytest.mark.parametrize(
    ("path", "to", "message"),
    [
        ([], "completed", "A proposed pair cannot become completed"),
        ([], "proposed", "A proposed pair cannot become proposed"),
        (["active"], "proposed", "An? active pair cannot become proposed"),
        (["ended"], "active", "An? ended pair cannot become active"),
        (["active", "completed"], "ended", "completed pair cannot become ended"),
        ([], "paused", "Choose what to do"),
    ],
)
def test_transitions_not_allowed_are_refused(scenario, path, to, message):
    s = scenario
    pair = services.assign_pair(s.alliance, s.cycles[0], _new(s), s.lead)
    for step in path:
        services.change_status(pair, step, pair.status, s.lead, outcome="Agreed actions done")
    before = pair.status
    with pytest.raises(BuddyingRefused, match=message):
        services.change_status(pair, to, before, s.lead, outcome="Agreed actions done")
    db.session.expire_all()
    assert db.session.get(BuddyPair, pair.id).status == before


def test_a_change_made_meanwhile_is_not_overwritten(scenario):
    s = scenario
    pair = services.assign_pair(s.alliance, s.cycles[0], _new(s), s.lead)
    services.change_status(pair, "active", "proposed", s.lead)  # another lead, a moment ago
    with pytest.raises(PairChanged, match="it is now active"):
        services.change_status(
            pair, "ended", "proposed", s.lead, outcome="Agreed actions done"
        )  # page showed "proposed"
    assert pair.status == "active"


def test_notes_are_added_in_order_trimmed_and_audited(scenario):
    s = scenario
    pair = services.assign_pair(s.alliance, s.cycles[0], _new(s), s.lead)
    services.add_note(pair, " First call held. ", s.lead)
    services.add_note(pair, "Second call: DATA-1 plan agreed.", s.lead)
    db.session.expire_all()
    notes = db.session.scalars(
        select(BuddyPairNote).where(BuddyPairNote.pair_id == pair.id).order_by(BuddyPairNote.id)
    ).all()
    assert [n.body for n in notes] == ["First call held.", "Second call: DATA-1 plan agreed."]
    assert [e.after["body"] for e in _events("buddy_pair.note")] == [n.body for n in notes]
    for body, message in (("   ", "Enter a note"), ("y" * 5001, "5000 characters")):
        with pytest.raises(BuddyingRefused, match=message):
            services.add_note(pair, body, s.lead)
    assert len(_events("buddy_pair.note")) == 2
