"""A member's improvement plan: read it, start and change its actions (audited).

Every page that shows a plan (the trust's own, the coordinator's and buddying lead's read-only
copy, the buddying pair page, the member report, the coordinator's overdue list) reads it here,
and the two use cases that write it (start an action, change one) each write their audit entry
in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import audit
from ..extensions import db
from ..models import (
    ActionStatus,
    Assessment,
    AssessmentScore,
    Cycle,
    ImprovementAction,
    Membership,
    ScoreScope,
    SnapshotStandard,
    Trust,
    User,
)
from ..models._types import utcnow
from .colleagues import membership_colleagues
from .scores import SCORED_STATES

TITLE_MAX, DESCRIPTION_MAX = 200, 4000


class OwnerRefused(ValueError):
    """The chosen owner does not work for this trust in this alliance."""


class ActionChanged(Exception):
    """A colleague saved the action after the page was loaded."""

    def __init__(self, action: ImprovementAction) -> None:
        owner = action.owner.name if action.owner else "nobody"
        super().__init__(
            "A colleague changed this action after you opened the page: it is now "
            f"\u201c{action.title}\u201d, owned by {owner}, due {action.due_on.isoformat()}, "
            f"{ActionStatus(action.status).label.lower()}. Check your changes and save again."
        )


def seen_stamp(action: ImprovementAction) -> str:
    """What the edit page was loaded with, to tell a colleague's save from the user's own."""
    return action.updated_at.isoformat()


@dataclass(frozen=True)
class ActionInput:
    """What a trust user typed for an action."""

    title: str
    description: str
    owner_id: int
    due_on: date
    status: ActionStatus


@dataclass(frozen=True)
class Progress:
    """A standard's score when the action was started and in the latest scored cycle since."""

    started: float | None
    started_cycle: str | None
    latest: float | None
    latest_cycle: str | None  # None: no scored cycle since the one it was started in


@dataclass(frozen=True)
class ActionLine:
    """One action as a plan shows it."""

    action: ImprovementAction
    status: ActionStatus
    owner: str
    overdue: bool
    progress: Progress


@dataclass(frozen=True)
class OverdueLine:
    """An action past its due date and not done, with the member it belongs to."""

    action: ImprovementAction
    trust: Trust
    owner: str
    days_late: int


def prefill(standard: SnapshotStandard) -> tuple[str, str]:
    """A new action's title and description, from the standard's statement and guidance."""
    title = f"Meet {standard.code}: {standard.statement}"
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1].rstrip() + "…"
    return title, standard.guidance[:DESCRIPTION_MAX]


def cycle_standard(cycle: Cycle, code: str) -> SnapshotStandard | None:
    """The standard ``code`` of the cycle's framework, or None."""
    return db.session.execute(
        select(SnapshotStandard).where(
            SnapshotStandard.snapshot_id == cycle.snapshot_id, SnapshotStandard.code == code
        )
    ).scalar_one_or_none()


def owner_choices(membership: Membership) -> list[User]:
    """Who may own an action: colleagues at the same trust in the same alliance."""
    return membership_colleagues(membership)


def _check_owner(membership: Membership, owner_id: int) -> None:
    if owner_id not in {u.id for u in membership_colleagues(membership)}:
        raise OwnerRefused("Choose an owner from your trust's colleagues in this alliance")


def _fields(data: ActionInput) -> dict[str, object]:
    return {
        "title": data.title,
        "description": data.description,
        "owner_id": data.owner_id,
        "due_on": data.due_on.isoformat(),
        "status": data.status.value,
    }


def start_action(
    membership: Membership, cycle: Cycle, standard_code: str, data: ActionInput, user: User
) -> ImprovementAction:
    """Add an action on a standard to the member's plan, audit it and commit."""
    _check_owner(membership, data.owner_id)
    action = ImprovementAction(
        membership_id=membership.id,
        cycle_id=cycle.id,
        standard_code=standard_code,
        title=data.title,
        description=data.description,
        owner_id=data.owner_id,
        due_on=data.due_on,
        status=data.status.value,
        updated_by_id=user.id,
    )
    db.session.add(action)
    db.session.flush()
    audit.record(
        "improvement_action.started",
        "improvement_action",
        action.id,
        after={"standard": standard_code, "cycle_id": cycle.id, **_fields(data)},
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
    )
    db.session.commit()
    return action


def change_action(
    membership: Membership, action: ImprovementAction, data: ActionInput, user: User, seen: str
) -> int:
    """Save what changed in an action, audit before and after, commit; return how many
    fields changed. An action saved by someone else since ``seen`` is refused
    (``ActionChanged``), the row locked while checking (PostgreSQL)."""
    _check_owner(membership, data.owner_id)
    db.session.refresh(action, with_for_update=True)
    if seen_stamp(action) != seen:
        db.session.rollback()
        raise ActionChanged(action)
    was = {
        "title": action.title,
        "description": action.description,
        "owner_id": action.owner_id,
        "due_on": action.due_on.isoformat(),
        "status": action.status,
    }
    now = _fields(data)
    changed = {k for k in now if now[k] != was[k]}
    if not changed:
        return 0
    action.title, action.description = data.title, data.description
    action.owner_id, action.due_on, action.status = data.owner_id, data.due_on, data.status.value
    action.updated_at, action.updated_by_id = utcnow(), user.id
    audit.record(
        "improvement_action.changed",
        "improvement_action",
        action.id,
        before={k: was[k] for k in sorted(changed)},
        after={k: now[k] for k in sorted(changed)},
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
    )
    db.session.commit()
    return len(changed)


def _scores(membership_id: int) -> list[tuple[str, float | None, int, str, date]]:
    """(standard, score, cycle id, cycle name, opens on) of the member's scored assessments."""
    rows = db.session.execute(
        select(AssessmentScore.code, AssessmentScore.score, Cycle.id, Cycle.name, Cycle.opens_on)
        .join(Assessment, AssessmentScore.assessment_id == Assessment.id)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(
            Assessment.membership_id == membership_id,
            Assessment.state.in_(SCORED_STATES),
            AssessmentScore.scope == ScoreScope.STANDARD,
        )
    ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _progress(
    action: ImprovementAction, scores: list[tuple[str, float | None, int, str, date]]
) -> Progress:
    mine = [s for s in scores if s[0] == action.standard_code]
    started = next((s for s in mine if s[2] == action.cycle_id), None)
    since = sorted(
        (s for s in mine if started is None or s[4] > started[4]), key=lambda s: (s[4], s[2])
    )
    since = [s for s in since if s[2] != action.cycle_id]
    latest = since[-1] if since else None
    return Progress(
        started=started[1] if started else None,
        started_cycle=started[3] if started else None,
        latest=latest[1] if latest else None,
        latest_cycle=latest[3] if latest else None,
    )


def plan_of(membership_id: int, today: date | None = None) -> list[ActionLine]:
    """The member's actions, open ones first by due date, with each standard's progress
    (two queries)."""
    today = today or date.today()
    actions = db.session.scalars(
        select(ImprovementAction)
        .options(joinedload(ImprovementAction.owner))
        .where(ImprovementAction.membership_id == membership_id)
        .order_by(ImprovementAction.due_on, ImprovementAction.id)
    ).all()
    scores = _scores(membership_id) if actions else []
    lines = [
        ActionLine(
            action=a,
            status=ActionStatus(a.status),
            owner=a.owner.name if a.owner else "Nobody (the owner has left)",
            overdue=a.status != ActionStatus.DONE and a.due_on < today,
            progress=_progress(a, scores),
        )
        for a in actions
    ]
    lines.sort(key=lambda line: line.status is ActionStatus.DONE)
    return lines


def overdue_in(alliance_id: int, today: date | None = None) -> list[OverdueLine]:
    """Actions of the alliance's members past their due date and not done, most late first."""
    today = today or date.today()
    rows = db.session.execute(
        select(ImprovementAction, Trust)
        .join(Membership, ImprovementAction.membership_id == Membership.id)
        .join(Trust, Membership.trust_id == Trust.id)
        .options(joinedload(ImprovementAction.owner))
        .where(
            Membership.alliance_id == alliance_id,
            ImprovementAction.status != ActionStatus.DONE,
            ImprovementAction.due_on < today,
        )
        .order_by(ImprovementAction.due_on, Trust.name, ImprovementAction.id)
    ).all()
    return [
        OverdueLine(
            action=a,
            trust=t,
            owner=a.owner.name if a.owner else "Nobody",
            days_late=(today - a.due_on).days,
        )
        for a, t in rows
    ]
