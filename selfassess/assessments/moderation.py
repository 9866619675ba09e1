"""Moderation of a submitted self-assessment: who sits on its panel, and the levels it agreed.

An alliance that moderates has a panel check each submitted self-assessment before it is
validated: its coordinators, and peer reviewers the coordinator nominates from other member
trusts (never anyone who works for the assessed trust). The panel agrees or adjusts each scored
standard's level with a reason; that level counts (``scoring.moderation``), the member's own
score is kept beside it, and validation waits until every scored standard has one. Returning the
assessment clears the decisions, since the answers they judged may change; the audit trail keeps
them. Each use case here writes its own audit record; the caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select

from .. import audit, events
from ..extensions import db
from ..models import (
    Alliance,
    Assessment,
    AssessmentScore,
    AssessmentState,
    Membership,
    ModeratedLevel,
    ModerationPanelist,
    Role,
    RoleGrant,
    Trust,
    User,
)
from ..models._types import utcnow
from ..scoring import AssessmentScore as ScoreResult
from ..scoring.moderation import check_level
from .locking import lock_assessment
from .scores import own_result, refresh_with_later
from .snapshots import load_snapshot

#: The longest reason a panel may give for one standard.
MAX_REASON = 2000


class ModerationRefused(ValueError):
    """The panel cannot act on this assessment now, or some decisions are not acceptable
    (``errors``: a message per standard code, so a page can put each beside its standard)."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


@dataclass(frozen=True)
class Decision:
    """What the panel decided for one standard: ``level`` None agrees with the member's score."""

    level: float | None
    reason: str = ""


@dataclass(frozen=True)
class StandardToModerate:
    """One standard as the panel sees it: the member's own score and any decision so far."""

    code: str
    statement: str
    target: float
    core: bool
    own: float | None
    decided: ModeratedLevel | None

    @property
    def adjusted(self) -> bool:
        return self.decided is not None and self.decided.level != self.own


def moderates(assessment: Assessment) -> bool:
    """Whether the assessment's alliance moderates before it validates."""
    return bool(assessment.cycle.alliance.moderation)


def decisions(assessment_id: int) -> dict[str, ModeratedLevel]:
    """The panel's decisions on an assessment, by standard code."""
    rows = db.session.scalars(
        select(ModeratedLevel).where(ModeratedLevel.assessment_id == assessment_id)
    )
    return {row.standard_code: row for row in rows}


def standards_to_moderate(assessment: Assessment) -> list[StandardToModerate]:
    """Every standard of the assessment with the member's own score and the decision so far."""
    own = own_result(assessment)
    decided = decisions(assessment.id)
    snapshot = load_snapshot(assessment.cycle.snapshot_id)
    rows: list[StandardToModerate] = []
    for standard in (s for domain in snapshot.domains for s in domain.standards):
        score = own.standard(standard.code).score if own is not None else None
        rows.append(
            StandardToModerate(
                code=standard.code,
                statement=standard.statement,
                target=standard.target,
                core=standard.core,
                own=score,
                decided=decided.get(standard.code),
            )
        )
    return rows


def standard_codes(assessment: Assessment) -> list[str]:
    """The codes of the standards the panel may decide: those of the assessment's snapshot."""
    snapshot = load_snapshot(assessment.cycle.snapshot_id)
    return [s.code for domain in snapshot.domains for s in domain.standards]


def outstanding(assessment: Assessment) -> list[str]:
    """Codes of the scored standards the panel has not yet decided (validation waits for them)."""
    own = own_result(assessment)
    if own is None:
        return []
    decided = decisions(assessment.id)
    return [s.id for s in own.standards if s.score is not None and s.id not in decided]


def record_decisions(assessment: Assessment, user: User, chosen: Mapping[str, Decision]) -> int:
    """Store the panel's decisions on some standards and recount the scores; returns how many
    changed. An adjustment needs a reason; agreeing needs a score to agree with. Audited as one
    change, with each standard's level before and after."""
    lock_assessment(assessment.id)
    if not moderates(assessment):
        raise ModerationRefused("This alliance does not moderate its self-assessments.")
    if assessment.state != AssessmentState.SUBMITTED:
        raise ModerationRefused(
            f"A {AssessmentState(assessment.state).label.lower()} self-assessment cannot be "
            "moderated; only a submitted one can."
        )
    own = own_result(assessment)
    if own is None:  # not reached: a submitted assessment is scored
        raise ModerationRefused("Only a submitted self-assessment can be moderated.")
    levels, errors = _levels(own, chosen)
    if errors:
        raise ModerationRefused(" ".join(errors.values()), errors)
    existing = decisions(assessment.id)
    changes: dict[str, dict[str, object]] = {}
    for code, decision in chosen.items():
        level = levels[code]
        reason = decision.reason.strip()
        before = existing.get(code)
        if before is not None and (before.level, before.reason) == (level, reason):
            continue
        row = before or ModeratedLevel(assessment_id=assessment.id, standard_code=code)
        changes[code] = {
            "before": None if before is None else before.level,
            "after": level,
            "self_assessed": own.standard(code).score,
            "reason": reason,
        }
        row.self_assessed = own.standard(code).score
        row.level = level
        row.reason = reason
        row.decided_by_id = user.id
        row.decided_at = utcnow()
        db.session.add(row)
    if not changes:
        return 0
    db.session.flush()
    refresh_with_later(assessment)
    membership = assessment.membership
    audit.record(
        "assessment.moderate",
        "assessment",
        assessment.id,
        after={"standards": changes, "status": assessment.status},
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
    )
    return len(changes)


def problems(assessment: Assessment, chosen: Mapping[str, Decision]) -> dict[str, str]:
    """What is wrong with each decision, by standard code, without storing anything (so a page
    can show every message at once)."""
    own = own_result(assessment)
    return {} if own is None else _levels(own, chosen)[1]


def _levels(
    own: ScoreResult, chosen: Mapping[str, Decision]
) -> tuple[dict[str, float], dict[str, str]]:
    levels: dict[str, float] = {}
    errors: dict[str, str] = {}
    for code, decision in chosen.items():
        try:
            levels[code] = _level_for(own, code, decision)
        except ModerationRefused as refused:
            errors[code] = str(refused)
    return levels, errors


def _level_for(own: ScoreResult, code: str, decision: Decision) -> float:
    """The level a decision sets, or why it cannot stand (ModerationRefused)."""
    try:
        score = own.standard(code).score
    except KeyError:
        raise ModerationRefused(f"{code} is not a standard of this self-assessment.") from None
    reason = decision.reason.strip()
    if len(reason) > MAX_REASON:
        raise ModerationRefused(f"Keep the reason for {code} to {MAX_REASON} characters.")
    if decision.level is None:
        if score is None:
            raise ModerationRefused(
                f"{code} has no score to agree with: choose the level the panel agreed."
            )
        return score
    try:
        level = check_level(decision.level)
    except ValueError as error:
        raise ModerationRefused(f"{code}: {error}.") from None
    if level != score and not reason:
        raise ModerationRefused(f"Enter the panel's reason for changing the level of {code}.")
    return level


def moderated_members(cycle_id: int) -> set[int]:
    """Membership ids of the cycle's members whose counted scores include a panel's level."""
    return set(
        db.session.scalars(
            select(Assessment.membership_id)
            .join(AssessmentScore, AssessmentScore.assessment_id == Assessment.id)
            .where(Assessment.cycle_id == cycle_id, AssessmentScore.moderated.is_(True))
            .distinct()
        )
    )


def clear_decisions(assessment: Assessment) -> int:
    """Remove the panel's decisions when the assessment goes back to the trust (the caller's
    audit record says how many); returns how many were removed."""
    removed = db.session.execute(
        delete(ModeratedLevel).where(ModeratedLevel.assessment_id == assessment.id)
    )
    return int(getattr(removed, "rowcount", 0) or 0)


# -- The panel --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """Someone who may sit on an assessment's panel: a user of another member trust."""

    user: User
    trust: Trust


def candidates(assessment: Assessment) -> list[Candidate]:
    """Trust users of the alliance's other active members who do not work for the assessed
    trust in any alliance, and are not on the panel yet, by trust then name."""
    membership = assessment.membership
    rows = db.session.execute(
        select(User, Trust)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .join(Trust, Trust.id == RoleGrant.trust_id)
        .join(
            Membership,
            (Membership.trust_id == RoleGrant.trust_id)
            & (Membership.alliance_id == RoleGrant.alliance_id),
        )
        .where(
            RoleGrant.role == Role.TRUST_USER,
            RoleGrant.alliance_id == membership.alliance_id,
            RoleGrant.trust_id != membership.trust_id,
            Membership.active.is_(True),
            User.active.is_(True),
        )
        .order_by(Trust.name, User.name, User.id)
    ).all()
    on_panel = {p.user_id for p in panel(assessment)}
    return [
        Candidate(user, trust)
        for user, trust in rows
        if user.id not in on_panel and membership.trust_id not in user.trust_ids()
    ]


def panel(assessment: Assessment) -> list[ModerationPanelist]:
    """The peer reviewers nominated for an assessment, in the order they were nominated."""
    return list(
        db.session.scalars(
            select(ModerationPanelist)
            .where(ModerationPanelist.assessment_id == assessment.id)
            .order_by(ModerationPanelist.id)
        )
    )


def nominate(assessment: Assessment, user_id: int, by: User) -> ModerationPanelist:
    """Put a user of another member trust on the assessment's panel (audited)."""
    if not moderates(assessment):
        raise ModerationRefused("This alliance does not moderate its self-assessments.")
    chosen = next((c for c in candidates(assessment) if c.user.id == user_id), None)
    if chosen is None:
        raise ModerationRefused(
            "Choose a person from another member trust of this alliance who is not on the "
            "panel yet."
        )
    panelist = ModerationPanelist(
        assessment_id=assessment.id,
        user_id=chosen.user.id,
        trust_id=chosen.trust.id,
        nominated_by_id=by.id,
    )
    db.session.add(panelist)
    db.session.flush()
    events.publish(events.PanelistNominated(assessment.id, chosen.user.id, chosen.trust.id, by.id))
    membership = assessment.membership
    audit.record(
        "moderation.nominate",
        "assessment",
        assessment.id,
        after={"panelist": chosen.user.email, "panelist_trust": chosen.trust.code},
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
    )
    return panelist


def remove_panelist(assessment: Assessment, panelist_id: int) -> None:
    """Take a peer reviewer off the assessment's panel (audited); another assessment's
    panelist is as good as missing."""
    found = db.session.get(ModerationPanelist, panelist_id)
    if found is None or found.assessment_id != assessment.id:
        raise ModerationRefused("That person is not on this self-assessment's panel.")
    membership = assessment.membership
    audit.record(
        "moderation.remove_panelist",
        "assessment",
        assessment.id,
        before={"panelist": found.user.email, "panelist_trust": found.trust.code},
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
    )
    db.session.delete(found)


def panel_assessments(user: User, trust_id: int) -> list[Assessment]:
    """The submitted self-assessments the user is nominated to moderate as a reviewer from
    ``trust_id``, while they still work for it in that alliance (and never for the assessed
    trust): the same rule as the panel page's guard."""
    assessments = db.session.scalars(
        select(Assessment)
        .join(ModerationPanelist, ModerationPanelist.assessment_id == Assessment.id)
        .where(
            ModerationPanelist.user_id == user.id,
            ModerationPanelist.trust_id == trust_id,
            Assessment.state == AssessmentState.SUBMITTED,
        )
        .order_by(Assessment.id)
    ).all()
    granted = user.trust_alliance_ids(trust_id)
    own = user.trust_ids()
    return [
        a
        for a in assessments
        if a.membership.alliance_id in granted and a.membership.trust_id not in own
    ]


def set_moderation(alliance: Alliance, on: bool) -> bool:
    """Switch moderation on or off for an alliance (audited); returns whether it changed."""
    if alliance.moderation == on:
        return False
    audit.record(
        "alliance.moderation",
        "alliance",
        alliance.id,
        before={"moderation": alliance.moderation},
        after={"moderation": on},
        alliance_id=alliance.id,
    )
    alliance.moderation = on
    return True
