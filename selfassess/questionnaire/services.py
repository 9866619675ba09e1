"""Trust users' use cases: their assessments, the task list, check your answers, copy
forward and submit. Saving a section is in ``sections``."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import aliased

from ..assessments.answers import CarriedOver, NotEditable, carry_over, editable
from ..assessments.locking import lock_assessment
from ..assessments.snapshot_options import is_member_question
from ..assessments.snapshots import load_snapshot
from ..assessments.transitions import submit_assessment
from ..deadlines import deadline_for
from ..extensions import db
from ..models import (
    Alliance,
    Answer,
    Assessment,
    AssessmentState,
    Cycle,
    FrameworkSnapshot,
    Membership,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
    Trust,
    User,
)
from ..questionbank.kinds import AnsweredBy
from .fields import show_value


@dataclass(frozen=True)
class Section:
    """One task of the task list: a domain, and how far its questions are answered."""

    code: str
    name: str
    questions: int
    required: int
    answered: int
    required_answered: int
    #: Answers carried over from the previous cycle that nobody has confirmed yet.
    to_confirm: int = 0
    #: The domain's alliance facts: answered by the coordinator on the alliance profile, not here.
    facts: int = 0

    @property
    def status(self) -> str:
        """Completed only when every required question is answered and nothing carried over
        is left to check: a copied answer is not yet this cycle's answer."""
        if self.answered == 0:
            return "Not started"
        if self.to_confirm:
            return "Check answers"
        if self.required_answered == self.required:
            return "Completed"
        return "In progress"


def trust_assessments(
    trust: Trust,
    alliance_ids: Collection[int],
) -> list[tuple[Alliance, Cycle, Assessment]]:
    """The trust's assessments in the given alliances, newest cycle first (one query)."""
    rows = db.session.execute(
        select(Alliance, Cycle, Assessment)
        .join(Membership, Membership.alliance_id == Alliance.id)
        .join(Assessment, Assessment.membership_id == Membership.id)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(Membership.trust_id == trust.id, Membership.alliance_id.in_(alliance_ids))
        .order_by(Alliance.name, Cycle.opens_on.desc())
    ).all()
    return [(a, c, s) for a, c, s in rows]


@dataclass(frozen=True)
class ToDo:
    """An assessment the trust still has work on, and what that work is."""

    alliance: Alliance
    cycle: Cycle
    assessment: Assessment
    sections_left: int
    sections: int
    to_confirm: int

    @property
    def returned(self) -> bool:
        return self.assessment.state == AssessmentState.RETURNED

    @property
    def ready(self) -> bool:
        """Every section complete: what is left is to check and submit."""
        return self.sections_left == 0


def needs_doing(rows: list[tuple[Alliance, Cycle, Assessment]]) -> list[ToDo]:
    """The trust's assessments it can still change and has not submitted, returned ones first,
    each with its sections left (two queries per such assessment, one per alliance at most)."""
    todo = []
    for alliance, cycle, assessment in rows:
        if not editable(assessment):
            continue
        sections = task_list(assessment)
        todo.append(
            ToDo(
                alliance,
                cycle,
                assessment,
                sum(1 for s in sections if s.status != "Completed"),
                len(sections),
                sum(s.to_confirm for s in sections),
            )
        )
    return sorted(todo, key=lambda t: (not t.returned, deadline_for(t.assessment)))


def trust_alliances(
    trust: Trust,
    alliance_ids: Collection[int],
) -> list[tuple[Alliance, Membership]]:
    """The trust's memberships of the given alliances."""
    rows = db.session.execute(
        select(Alliance, Membership)
        .join(Membership, Membership.alliance_id == Alliance.id)
        .where(Membership.trust_id == trust.id, Membership.alliance_id.in_(alliance_ids))
        .order_by(Alliance.name)
    ).all()
    return [(a, m) for a, m in rows]


def task_list(assessment: Assessment) -> list[Section]:
    """The assessment's sections (one per domain) with answer counts, in two queries; each
    counts the domain's alliance facts too, so the page can link to the alliance profile."""
    answered_value = (Answer.value.is_not(None)) & (Answer.value != "")
    member = SnapshotQuestion.answered_by == AnsweredBy.MEMBER
    totals = db.session.execute(
        select(
            SnapshotDomain.code,
            SnapshotDomain.name,
            func.count(case((member, 1))),
            func.count(case((member & SnapshotQuestion.required.is_(True), 1))),
            func.count(case((SnapshotQuestion.answered_by == AnsweredBy.ALLIANCE, 1))),
        )
        .join(SnapshotStandard, SnapshotStandard.domain_id == SnapshotDomain.id)
        .join(SnapshotQuestion, SnapshotQuestion.standard_id == SnapshotStandard.id)
        .where(SnapshotDomain.snapshot_id == assessment.cycle.snapshot_id)
        .group_by(
            SnapshotDomain.id, SnapshotDomain.code, SnapshotDomain.name, SnapshotDomain.position
        )
        .order_by(SnapshotDomain.position)
    ).all()
    answered = {
        code: (n, n_required, n_carried)
        for code, n, n_required, n_carried in db.session.execute(
            select(
                SnapshotDomain.code,
                func.count(Answer.id),
                func.count(case((SnapshotQuestion.required.is_(True), 1))),
                func.count(case((Answer.carried_over.is_(True), 1))),
            )
            .join(SnapshotStandard, SnapshotStandard.domain_id == SnapshotDomain.id)
            .join(SnapshotQuestion, SnapshotQuestion.standard_id == SnapshotStandard.id)
            .join(Answer, Answer.question_id == SnapshotQuestion.id)
            .where(
                Answer.assessment_id == assessment.id,
                answered_value,
                SnapshotQuestion.answered_by == AnsweredBy.MEMBER,
            )
            .group_by(SnapshotDomain.code)
        )
    }
    return [
        Section(code, name, questions, required, *answered.get(code, (0, 0, 0)), facts=facts)
        for code, name, questions, required, facts in totals
        if questions  # a domain of facts alone has nothing for the member to answer
    ]


@dataclass(frozen=True)
class AnswerLine:
    """One question on the check-your-answers page."""

    question: SnapshotQuestion
    shown: str
    comment: str | None
    carried_over: bool
    missing: bool


@dataclass(frozen=True)
class CheckSection:
    """A section of the check-your-answers page: its standards and their answer lines."""

    domain: SnapshotDomain
    standards: list[tuple[SnapshotStandard, list[AnswerLine]]]

    @property
    def missing(self) -> int:
        return sum(1 for _, lines in self.standards for line in lines if line.missing)

    @property
    def to_confirm(self) -> int:
        """Answers carried over from the previous cycle, not yet checked and saved."""
        return sum(1 for _, lines in self.standards for line in lines if line.carried_over)

    @property
    def blocks(self) -> bool:
        """Whether this section stops the assessment being submitted."""
        return bool(self.missing or self.to_confirm)


def check_answers(assessment: Assessment) -> list[CheckSection]:
    """Every question of the assessment with its answer as people read it, flagging required
    questions left blank and answers still carried over (four queries)."""
    snapshot = load_snapshot(assessment.cycle.snapshot_id)
    stored = {
        a.question_id: a
        for a in db.session.scalars(select(Answer).where(Answer.assessment_id == assessment.id))
    }
    sections = []
    for domain in snapshot.domains:
        standards = []
        for standard in domain.standards:
            lines = []
            for q in standard.questions:
                if not is_member_question(q):
                    continue
                answer = stored.get(q.id)
                value = answer.value if answer else None
                lines.append(
                    AnswerLine(
                        question=q,
                        shown=show_value(q, value),
                        comment=answer.comment if answer else None,
                        carried_over=bool(answer and answer.carried_over),
                        missing=q.required and show_value(q, value) == "Not answered",
                    )
                )
            standards.append((standard, lines))
        sections.append(CheckSection(domain, standards))
    return sections


def copy_source(assessment: Assessment) -> Assessment | None:
    """The member's most recent earlier assessment in this alliance that has answers, on the same
    framework version (one query): a question code may mean something else in another version
    (1.0's VIS-1.4 is a member's answer, 2.0's an alliance fact), so answers never cross
    versions."""
    here = aliased(FrameworkSnapshot)
    return db.session.execute(
        select(Assessment)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .join(FrameworkSnapshot, Cycle.snapshot_id == FrameworkSnapshot.id)
        .join(here, here.id == assessment.cycle.snapshot_id)
        .where(
            Assessment.membership_id == assessment.membership_id,
            Cycle.opens_on < assessment.cycle.opens_on,
            FrameworkSnapshot.framework_key == here.framework_key,
            FrameworkSnapshot.version == here.version,
            Assessment.id.in_(select(Answer.assessment_id).distinct()),
        )
        .order_by(Cycle.opens_on.desc())
        .limit(1)
    ).scalar_one_or_none()


def copyable(assessment: Assessment, source: Assessment) -> list[CarriedOver]:
    """The source's answers to the member questions still blank here, matched by standard and
    question code (one query): what copy forward would copy now."""
    target_standard = aliased(SnapshotStandard)
    target = aliased(SnapshotQuestion)
    mine = aliased(Answer)
    rows = db.session.execute(
        select(Answer.value, Answer.comment, SnapshotQuestion.code, target.id)
        .join(SnapshotQuestion, Answer.question_id == SnapshotQuestion.id)
        .join(SnapshotStandard, SnapshotQuestion.standard_id == SnapshotStandard.id)
        .join(
            target_standard,
            and_(
                target_standard.snapshot_id == assessment.cycle.snapshot_id,
                target_standard.code == SnapshotStandard.code,
            ),
        )
        .join(
            target,
            and_(
                target.standard_id == target_standard.id,
                target.code == SnapshotQuestion.code,
                target.answered_by == AnsweredBy.MEMBER,
            ),
        )
        .where(
            Answer.assessment_id == source.id,
            ~exists().where(mine.assessment_id == assessment.id, mine.question_id == target.id),
        )
        .order_by(SnapshotQuestion.id)
    )
    return [
        CarriedOver(target_id, code, value, comment)
        for value, comment, code, target_id in rows
        if value or comment
    ]


def copy_offer(assessment: Assessment, sections: list[Section]) -> tuple[Assessment, int] | None:
    """The earlier assessment to copy from and how many answers it would fill, when copying
    would fill any; None once everything it could fill is filled (the offer then goes). With
    no blank question in ``sections`` there is nothing to ask the database."""
    if all(s.answered >= s.questions for s in sections):
        return None
    source = copy_source(assessment)
    if source is None:
        return None
    count = len(copyable(assessment, source))
    return (source, count) if count else None


def copy_forward(assessment: Assessment, user: User) -> int:
    """Fill this draft's blank questions from the member's previous answers to the same
    questions (same standard and question codes, same framework version), marked as carried
    over until someone saves the section they are in. Returns how many answers were copied;
    never overwrites an answer."""
    locked = lock_assessment(assessment.id)  # re-read once locked: not a copy loaded before
    if not editable(locked):
        raise NotEditable("This assessment can no longer be changed.")
    source = copy_source(locked)
    if source is None:
        return 0
    copied = carry_over(locked, source, copyable(locked, source), user)
    db.session.commit()
    return copied


def submit(assessment: Assessment, user: User) -> None:
    """Submit the assessment for coordinator review (see ``transitions.submit_assessment``)."""
    submit_assessment(assessment, user)


def carried_over_count(assessment: Assessment) -> int:
    """How many answers are still carried over from a previous cycle, unconfirmed."""
    return (
        db.session.scalar(
            select(func.count(Answer.id)).where(
                Answer.assessment_id == assessment.id, Answer.carried_over.is_(True)
            )
        )
        or 0
    )
