"""What each event tells whom: the listeners ``register`` attaches to ``selfassess.events``.

Each listener runs inside the transaction of the change it reports, so the notification and its
email exist exactly when the change does.
"""

from __future__ import annotations

from sqlalchemy import select

from .. import events
from ..deadlines import deadline_for
from ..extensions import db
from ..models import (
    Alliance,
    Assessment,
    BuddyPair,
    Category,
    Cycle,
    Membership,
    PairStatus,
    Role,
    SnapshotDomain,
    Trust,
    User,
)
from . import recipients
from .services import Message, notify


def _date(value: object) -> str:
    return f"{value:%-d %B %Y}"


def trust_message(
    assessment: Assessment, category: Category, title: str, body: str
) -> tuple[list[User], Message]:
    membership, cycle = assessment.membership, assessment.cycle
    trust, alliance = membership.trust, cycle.alliance
    return recipients.trust_users(alliance.id, [trust.id]), Message(
        category=category,
        title=title,
        body=body,
        endpoint="questionnaire.assessment",
        values={"code": trust.code, "assessment_id": assessment.id},
        reason=f"you are a user for {trust.name} in {alliance.name}",
        alliance_id=alliance.id,
    )


def on_submitted(event: events.AssessmentSubmitted) -> None:
    """Tell the alliance's coordinators a submission waits for their review."""
    assessment = db.session.get(Assessment, event.assessment_id)
    if assessment is None:
        return
    trust, cycle = assessment.membership.trust, assessment.cycle
    alliance = cycle.alliance
    notify(
        recipients.coordinators(alliance.id),
        Message(
            category=Category.REVIEW,
            title=f"{trust.name} submitted its {cycle.name} assessment",
            body=(
                f"{trust.name} submitted its self-assessment for the {cycle.name} cycle of "
                f"{alliance.name}. Review it, then validate it or return it for revision."
            ),
            endpoint="coordinator.review",
            values={"slug": alliance.slug, "assessment_id": assessment.id},
            reason=f"you are a coordinator of {alliance.name}",
            alliance_id=alliance.id,
        ),
    )


def on_returned(event: events.AssessmentReturned) -> None:
    """Tell the trust's users their assessment came back, with the coordinator's comment."""
    assessment = db.session.get(Assessment, event.assessment_id)
    if assessment is None:
        return
    cycle = assessment.cycle
    notify(
        *trust_message(
            assessment,
            Category.OUTCOME,
            f"Your {cycle.name} assessment was returned for revision",
            f"The coordinator of {cycle.alliance.name} returned your {cycle.name} self-assessment "
            f"for revision. Their comment:\n\n{event.comment}\n\nRevise the answers and submit "
            "it again.",
        )
    )


def on_validated(event: events.AssessmentValidated) -> None:
    """Tell the trust's users their assessment was accepted as final."""
    assessment = db.session.get(Assessment, event.assessment_id)
    if assessment is None:
        return
    cycle = assessment.cycle
    notify(
        *trust_message(
            assessment,
            Category.OUTCOME,
            f"Your {cycle.name} assessment was validated",
            f"The coordinator of {cycle.alliance.name} validated your {cycle.name} "
            "self-assessment: it is now final, and your scores count in the benchmark.",
        )
    )


def on_cycle_opened(event: events.CycleOpened) -> None:
    """Tell each member trust's users their assessment for the new cycle is ready."""
    cycle = db.session.get(Cycle, event.cycle_id)
    if cycle is None:
        return
    rows = db.session.execute(
        select(Assessment, Membership)
        .join(Membership, Assessment.membership_id == Membership.id)
        .where(Assessment.cycle_id == cycle.id)
        .order_by(Assessment.id)
    ).all()
    for assessment, _membership in rows:
        notify(
            *trust_message(
                assessment,
                Category.CYCLE,
                f"The {cycle.name} assessment cycle is open",
                f"{cycle.alliance.name} opened its {cycle.name} self-assessment cycle. Complete "
                f"and submit your trust's assessment by {_date(cycle.closes_on)}.",
            )
        )


def on_deadline_extended(event: events.DeadlineExtended) -> None:
    """Tell the trust's users they have longer, and until when."""
    assessment = db.session.get(Assessment, event.assessment_id)
    if assessment is None:
        return
    cycle = assessment.cycle
    notify(
        *trust_message(
            assessment,
            Category.CYCLE,
            f"You have until {_date(deadline_for(assessment))} to submit your {cycle.name} "
            "assessment",
            f"The coordinator of {cycle.alliance.name} extended your trust's deadline for the "
            f"{cycle.name} cycle to {_date(deadline_for(assessment))} (the cycle closes on "
            f"{_date(cycle.closes_on)} for other members).",
        )
    )


def on_section_assigned(event: events.SectionAssigned) -> None:
    """Tell a colleague a section of their trust's assessment is now theirs to finish."""
    assessment = db.session.get(Assessment, event.assessment_id)
    owner = db.session.get(User, event.owner_id)
    if assessment is None or owner is None:
        return
    by = db.session.get(User, event.actor_id) if event.actor_id else None
    cycle, trust = assessment.cycle, assessment.membership.trust
    section = db.session.scalar(
        select(SnapshotDomain.name).where(
            SnapshotDomain.snapshot_id == cycle.snapshot_id, SnapshotDomain.code == event.section
        )
    )
    notify(
        [owner],
        Message(
            category=Category.SECTION,
            title=f"You own the {section} section of the {cycle.name} assessment",
            body=(
                f"{by.name if by else 'A colleague'} assigned you the {section} section of "
                f"{trust.name}'s {cycle.name} self-assessment for {cycle.alliance.name}. "
                f"Complete it by {_date(deadline_for(assessment))}: deadline reminders for it "
                "now come to you."
            ),
            endpoint="questionnaire.section",
            values={
                "code": trust.code,
                "assessment_id": assessment.id,
                "section": event.section,
            },
            reason=f"a colleague at {trust.name} made you a section owner",
            alliance_id=cycle.alliance_id,
        ),
    )


def on_panelist_nominated(event: events.PanelistNominated) -> None:
    """Tell a peer reviewer which self-assessment they are to moderate, and where."""
    assessment = db.session.get(Assessment, event.assessment_id)
    reviewer = db.session.get(User, event.user_id)
    if assessment is None or reviewer is None:
        return
    cycle, assessed = assessment.cycle, assessment.membership.trust
    panel_trust = db.session.get(Trust, event.trust_id)
    if panel_trust is None:
        return
    notify(
        [reviewer],
        Message(
            category=Category.REVIEW,
            title=f"Moderate {assessed.name}'s {cycle.name} self-assessment",
            body=(
                f"The coordinator of {cycle.alliance.name} put you on the moderation panel of "
                f"{assessed.name}'s {cycle.name} self-assessment. Read its answers and evidence, "
                "then agree each standard's level or set the level the panel agreed, with a "
                "reason."
            ),
            endpoint="moderation.panel_page",
            values={"code": panel_trust.code, "assessment_id": assessment.id},
            reason=f"a coordinator of {cycle.alliance.name} nominated you as a peer reviewer",
            alliance_id=cycle.alliance_id,
        ),
    )


_PAIR_WORDS = {
    PairStatus.PROPOSED: ("proposed", "A buddying pair was proposed"),
    PairStatus.ACTIVE: ("started", "A buddying pair started"),
    PairStatus.COMPLETED: ("completed", "A buddying pair was completed"),
}


def on_pair_changed(event: events.PairChanged) -> None:
    """Tell both trusts' users that their pair was proposed, started or completed."""
    words = _PAIR_WORDS.get(PairStatus(event.status))
    pair = db.session.get(BuddyPair, event.pair_id)
    if words is None or pair is None:
        return
    mentor, mentee = pair.mentor.trust, pair.mentee.trust
    alliance = pair.alliance
    focus = ", ".join(pair.focus_standards) or "none named"
    for trust, other, role in ((mentor, mentee, "mentor"), (mentee, mentor, "mentee")):
        notify(
            recipients.trust_users(alliance.id, [trust.id]),
            Message(
                category=Category.BUDDYING,
                title=f"{words[1]}: {mentor.name} and {mentee.name}",
                body=(
                    f"The buddying pair in {alliance.name} with {trust.name} as {role} and "
                    f"{other.name} as {'mentee' if role == 'mentor' else 'mentor'} was "
                    f"{words[0]}. Focus standards: {focus}. Start date: "
                    f"{_date(pair.start_date)}."
                ),
                endpoint="buddying.trust_pairs",
                values={"code": trust.code},
                reason=f"you are a user for {trust.name} in {alliance.name}",
                alliance_id=alliance.id,
            ),
        )


def on_role_granted(event: events.RoleGranted) -> None:
    """Tell the user about the role they were given, and where to start."""
    user = db.session.get(User, event.user_id)
    if user is None:
        return
    role = Role(event.role)
    alliance = db.session.get(Alliance, event.alliance_id) if event.alliance_id else None
    where = f" in {alliance.name}" if alliance else ""
    notify(
        [user],
        Message(
            category=Category.ROLES,
            title=f"You are now {role.label.lower()}{where}",
            body=(
                f"Your selfassess account was given the role of {role.label.lower()}{where}. "
                "Your home page shows what you can do with it."
            ),
            endpoint="main.home",
            values={},
            reason="a role was given to your account",
            alliance_id=event.alliance_id,
        ),
    )


def register() -> None:
    """Listen to every event that notifies someone (safe to call once per app)."""
    events.listen(events.AssessmentSubmitted, on_submitted)
    events.listen(events.AssessmentReturned, on_returned)
    events.listen(events.AssessmentValidated, on_validated)
    events.listen(events.CycleOpened, on_cycle_opened)
    events.listen(events.DeadlineExtended, on_deadline_extended)
    events.listen(events.SectionAssigned, on_section_assigned)
    events.listen(events.PanelistNominated, on_panelist_nominated)
    events.listen(events.PairChanged, on_pair_changed)
    events.listen(events.RoleGranted, on_role_granted)
