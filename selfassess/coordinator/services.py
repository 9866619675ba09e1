"""The coordinator's use cases: open and close cycles, review assessments, read history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import case, func, select

from .. import audit, events
from ..assessments.snapshots import SnapshotConflict
from ..assessments.transitions import (
    create_assessments,
    return_assessment,
    validate_assessment,
)
from ..assessments.variants import SettingsRefused, snapshot_for_alliance
from ..assessments.versions import UnknownVersion, find_version, snapshot_of
from ..extensions import db
from ..models import (
    Alliance,
    Assessment,
    AssessmentState,
    AuditEvent,
    Cycle,
    CycleState,
    Membership,
    Trust,
    User,
)
from .deadlines import forget_sent_reminders, running_extensions


@dataclass(frozen=True)
class CycleSummary:
    """A cycle and how far its members have got."""

    cycle: Cycle
    total: int
    submitted: int
    validated: int
    #: Submitted and waiting for the coordinator's review.
    waiting: int = 0
    not_started: int = 0

    @property
    def can_close(self) -> bool:
        """Open, and on or after its closing date: closing would work today."""
        return close_refusal(self.cycle) is None


def alliance_members(alliance: Alliance) -> list[tuple[Membership, Trust]]:
    """Every membership of the alliance with its trust, active first, by trust name."""
    rows = db.session.execute(
        select(Membership, Trust)
        .join(Trust, Membership.trust_id == Trust.id)
        .where(Membership.alliance_id == alliance.id)
        .order_by(Membership.active.desc(), Trust.name)
    ).all()
    return [(m, t) for m, t in rows]


def cycle_summaries(alliance: Alliance) -> list[CycleSummary]:
    """The alliance's cycles, newest first, with submission counts (one query)."""
    done = (AssessmentState.SUBMITTED, AssessmentState.VALIDATED)
    rows = db.session.execute(
        select(
            Cycle,
            func.count(Assessment.id),
            func.count(case((Assessment.state.in_(done), 1))),
            func.count(case((Assessment.state == AssessmentState.VALIDATED, 1))),
            func.count(case((Assessment.state == AssessmentState.SUBMITTED, 1))),
            func.count(case((Assessment.state == AssessmentState.NOT_STARTED, 1))),
        )
        .outerjoin(Assessment, Assessment.cycle_id == Cycle.id)
        .where(Cycle.alliance_id == alliance.id)
        .group_by(Cycle.id)
        .order_by(Cycle.opens_on.desc())
    ).all()
    return [CycleSummary(*row) for row in rows]


class CycleRefused(ValueError):
    """A cycle cannot be opened or closed as asked; the message says why, for the page."""


def waiting_for_review(alliance: Alliance) -> list[Assessment]:
    """The alliance's submitted self-assessments, waiting for a coordinator's review."""
    return list(
        db.session.scalars(
            select(Assessment)
            .join(Cycle, Assessment.cycle_id == Cycle.id)
            .where(Cycle.alliance_id == alliance.id, Assessment.state == AssessmentState.SUBMITTED)
        )
    )


def open_cycle_blocker(alliance: Alliance) -> str | None:
    """The alliance's open cycle, whose closing must come before opening another (so the page
    says so before the form is filled), or None."""
    return db.session.scalar(
        select(Cycle.name).where(Cycle.alliance_id == alliance.id, Cycle.state == CycleState.OPEN)
    )


def open_cycle(
    alliance: Alliance, name: str, questions_dir: Path, framework: str, closes_on: date, user: User
) -> Cycle:
    """Open a cycle today: snapshot the chosen framework version now (so later edits to the
    question bank never change it) and create a not-started assessment for every active
    member. Refused while another cycle of the alliance is open, if the name is taken, or if
    ``framework`` is not one of ``framework_choices(questions_dir)``."""
    # The choice is checked here, not only by the form: a folder name becomes a path, and a
    # version in the database must be one this alliance may use.
    try:
        version = find_version(alliance.id, questions_dir, framework)
    except UnknownVersion as missing:
        raise CycleRefused("Choose a framework version from the list.") from missing
    db.session.execute(select(Alliance.id).where(Alliance.id == alliance.id).with_for_update())
    open_now = db.session.scalar(
        select(Cycle.name).where(Cycle.alliance_id == alliance.id, Cycle.state == CycleState.OPEN)
    )
    if open_now:
        raise CycleRefused(f"Close the {open_now} cycle before opening another.")
    name = name.strip()
    if db.session.scalar(
        select(Cycle.id).where(Cycle.alliance_id == alliance.id, Cycle.name == name)
    ):
        raise CycleRefused(f"There is already a cycle called {name}. Choose another name.")
    try:
        snapshot = snapshot_for_alliance(snapshot_of(version, questions_dir), alliance.id)
    except (SnapshotConflict, SettingsRefused) as refused:
        raise CycleRefused(str(refused)) from refused
    today = date.today()
    cycle = Cycle(
        alliance_id=alliance.id,
        name=name,
        snapshot=snapshot,
        opens_on=today,
        closes_on=closes_on,
        state=CycleState.OPEN,
    )
    db.session.add(cycle)
    members = db.session.scalars(
        select(Membership).where(Membership.alliance_id == alliance.id, Membership.active.is_(True))
    ).all()
    create_assessments(cycle, [membership.id for membership in members])
    db.session.flush()
    audit.record(
        "cycle.opened",
        "cycle",
        cycle.id,
        after={
            "name": name,
            "framework": snapshot.framework_key,
            "version": snapshot.version,
            "snapshot_id": snapshot.id,
            "standards_set_by_alliance": sorted(snapshot.adjustments or {}),
            "closes_on": closes_on.isoformat(),
            "assessments": len(members),
        },
        alliance_id=alliance.id,
        actor_id=user.id,
    )
    events.publish(events.CycleOpened(cycle.id, user.id))
    db.session.commit()
    return cycle


def extend_cycle(cycle: Cycle, closes_on: date, user: User) -> None:
    """Move an open cycle's closing date later (never earlier, never into the past): members
    keep working and submitting until the new date. Audited with both dates."""
    if cycle.state != CycleState.OPEN:
        raise CycleRefused(f"The {cycle.name} cycle is not open, so its deadline cannot change.")
    if closes_on <= cycle.closes_on:
        raise CycleRefused(
            f"The new closing date must be after the current one, {cycle.closes_on:%-d %B %Y}."
        )
    before = cycle.closes_on
    cycle.closes_on = closes_on
    forget_sent_reminders(cycle)
    audit.record(
        "cycle.deadline_extended",
        "cycle",
        cycle.id,
        before={"closes_on": before.isoformat()},
        after={"closes_on": closes_on.isoformat()},
        alliance_id=cycle.alliance_id,
        actor_id=user.id,
    )
    db.session.commit()


def close_refusal(cycle: Cycle) -> str | None:
    """Why the cycle cannot be closed today, or None when it can: pages offer closing only
    when it would work."""
    if cycle.state != CycleState.OPEN:
        return f"The {cycle.name} cycle is not open."
    if date.today() < cycle.closes_on:
        return (
            f"The {cycle.name} cycle closes on {cycle.closes_on:%-d %B %Y}; it can be "
            "closed on or after that date."
        )
    running = running_extensions(cycle, date.today())
    if running:
        name, until = running[0]
        return (
            f"{name} has an extension until {until:%-d %B %Y} and has not submitted; the "
            f"{cycle.name} cycle can be closed on or after that date."
        )
    return None


def close_cycle(cycle: Cycle, user: User) -> None:
    """Close an open cycle on or after its closing date; nothing more can be submitted to it,
    while submitted assessments can still be reviewed."""
    refusal = close_refusal(cycle)
    if refusal is not None:
        raise CycleRefused(refusal)
    cycle.state = CycleState.CLOSED
    audit.record(
        "cycle.closed",
        "cycle",
        cycle.id,
        before={"state": CycleState.OPEN},
        after={"state": CycleState.CLOSED},
        alliance_id=cycle.alliance_id,
        actor_id=user.id,
    )
    db.session.commit()


def cycle_assessments(cycle: Cycle) -> list[tuple[Assessment, Trust]]:
    """The cycle's assessments with their trusts, by trust name (one query)."""
    rows = db.session.execute(
        select(Assessment, Trust)
        .join(Membership, Assessment.membership_id == Membership.id)
        .join(Trust, Membership.trust_id == Trust.id)
        .where(Assessment.cycle_id == cycle.id)
        .order_by(Trust.name)
    ).all()
    return [(a, t) for a, t in rows]


def return_for_revision(
    assessment: Assessment,
    comment: str,
    question_comments: dict[str, str] | None = None,
    reviewer: User | None = None,
) -> None:
    """Send a submitted assessment back to the trust (see ``transitions.return_assessment``),
    with comments on single questions when the reviewer wrote any."""
    return_assessment(
        assessment, comment, question_comments, reviewer.id if reviewer is not None else None
    )


def validate(assessment: Assessment) -> None:
    """Accept a submitted assessment as final (see ``transitions.validate_assessment``)."""
    validate_assessment(assessment)


#: What the history page calls each audited change to an assessment.
HISTORY_TITLES = {
    "assessment.answers_saved": "Answers saved",
    "assessment.copied_forward": "Answers copied from the previous cycle",
    "assessment.workbook_uploaded": "Answers uploaded from a workbook",
    "assessment.submit": "Submitted",
    "assessment.return": "Returned for revision",
    "assessment.validate": "Validated",
    "assessment.deadline_extended": "Deadline extended",
    "section.owner_changed": "Section owner changed",
    "respondents.switched_on": "Several respondents switched on",
    "respondents.lead_changed": "Respondents' lead changed",
    "respondents.switched_off": "Several respondents switched off",
    "respondents.answers_saved": "A respondent saved their own answers",
    "assessment.answer_settled": "Answer settled from a respondent",
    "evidence.attached": "Evidence file attached",
    "evidence.removed": "Evidence file removed",
    "review.replied": "The trust replied to a reviewer's comment",
    "moderation.nominate": "Peer reviewer nominated to the moderation panel",
    "moderation.remove_panelist": "Peer reviewer taken off the moderation panel",
    "assessment.moderate": "The moderation panel decided",
    "report.snapshot": "Member report PDFs stored",
}


@dataclass(frozen=True)
class HistoryEntry:
    """One audited change to an assessment, for the coordinator's history page."""

    event: AuditEvent
    actor: str | None
    changes: list[tuple[str, object, object]]

    @property
    def title(self) -> str:
        """The change in words, with the section it saved where there is one."""
        title = HISTORY_TITLES.get(self.event.action, self.event.action)
        section = (self.event.after or {}).get("section")
        return f"{title}: {section}" if section else title


def assessment_history(assessment: Assessment) -> list[HistoryEntry]:
    """Every audited change to the assessment, newest first, with the answer changes listed
    per question (one query)."""
    rows = db.session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, AuditEvent.actor_id == User.id)
        .where(AuditEvent.entity_type == "assessment", AuditEvent.entity_id == assessment.id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    ).all()
    entries = []
    for event, actor in rows:
        before = (event.before or {}).get("answers", {})
        after = (event.after or {}).get("answers", {})
        changes = [(code, before.get(code), after.get(code)) for code in after]
        entries.append(HistoryEntry(event, actor, changes))
    return entries
