"""Reading a cycle's alliance profile: its fact questions in framework order, and the answers.

Facts are the snapshot questions answered by the alliance (``answered_by: alliance``); their
answers live in ``alliance_fact_answer`` beside the cycle, never in an assessment, which is what
keeps them out of every member's scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from ..assessments.drafts import Entry, QuestionCode, code_of, encode_seen
from ..extensions import db
from ..models import (
    AllianceFactAnswer,
    Cycle,
    CycleState,
    FrameworkSnapshot,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
    User,
)
from ..questionbank.kinds import AnsweredBy
from ..questionnaire.fields import canonical


@dataclass(frozen=True)
class StoredFact:
    """A fact's answer as stored (value in canonical form), with who last saved it.

    Has the attributes the questionnaire's question macro reads (``carried_over``,
    ``updated_by``, ``updated_at``), so the profile form is drawn by the same macro.
    """

    entry: Entry
    carried_over: bool
    updated_by: str | None
    updated_at: datetime | None


@dataclass(frozen=True)
class FactStandard:
    """A standard with the facts that inform it (the standard is scored from members' answers;
    the facts are context for it)."""

    standard: SnapshotStandard
    questions: list[SnapshotQuestion]


@dataclass(frozen=True)
class FactDomain:
    """A domain with its standards that have facts, in framework order."""

    domain: SnapshotDomain
    standards: list[FactStandard]


@dataclass
class Profile:
    """Everything the profile page shows: the cycle's facts, grouped, and their answers."""

    cycle: Cycle
    domains: list[FactDomain]
    scale: list[tuple[str, str]]
    stored: dict[QuestionCode, StoredFact]
    questions: list[SnapshotQuestion] = field(init=False)

    def __post_init__(self) -> None:
        self.questions = [q for d in self.domains for s in d.standards for q in s.questions]

    @property
    def editable(self) -> bool:
        """Facts may change only while the cycle is open; a closed cycle's profile is a record."""
        return self.cycle.state == CycleState.OPEN

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if self.entry(q).value is not None)

    @property
    def carried_over(self) -> int:
        return sum(1 for s in self.stored.values() if s.carried_over)

    def entry(self, question: SnapshotQuestion) -> Entry:
        found = self.stored.get(code_of(question))
        return found.entry if found else Entry()

    def stored_fact(self, question: SnapshotQuestion) -> StoredFact | None:
        return self.stored.get(code_of(question))

    def seen(self) -> str:
        """What the page showed, for the save's conflict check (as a section page does)."""
        return encode_seen({code_of(q): self.entry(q) for q in self.questions})


def fact_questions(snapshot_id: int) -> list[SnapshotQuestion]:
    """The snapshot's alliance facts in framework order (domain, standard, question)."""
    return list(
        db.session.scalars(
            select(SnapshotQuestion)
            .join(SnapshotStandard, SnapshotQuestion.standard_id == SnapshotStandard.id)
            .join(SnapshotDomain, SnapshotStandard.domain_id == SnapshotDomain.id)
            .where(
                SnapshotQuestion.snapshot_id == snapshot_id,
                SnapshotQuestion.answered_by == AnsweredBy.ALLIANCE,
            )
            .order_by(SnapshotDomain.position, SnapshotStandard.position, SnapshotQuestion.position)
        )
    )


def stored_facts(
    cycle: Cycle, questions: list[SnapshotQuestion], refresh: bool = False
) -> dict[QuestionCode, StoredFact]:
    """The cycle's stored fact answers by question code, values in canonical form."""
    by_id = {q.id: q for q in questions}
    query = (
        select(AllianceFactAnswer, User.name)
        .outerjoin(User, AllianceFactAnswer.updated_by_id == User.id)
        .where(AllianceFactAnswer.cycle_id == cycle.id, AllianceFactAnswer.question_id.in_(by_id))
    )
    if refresh:  # after taking the lock: what others committed, not our cached copies
        query = query.execution_options(populate_existing=True)
    found: dict[QuestionCode, StoredFact] = {}
    for row, name in db.session.execute(query):
        question = by_id[row.question_id]
        entry = Entry.of(canonical(question, row.value), row.comment)
        found[code_of(question)] = StoredFact(entry, row.carried_over, name, row.updated_at)
    return found


def load_profile(cycle: Cycle) -> Profile:
    """The cycle's profile (four queries: facts, their standards and domains, scale, answers)."""
    questions = fact_questions(cycle.snapshot_id)
    standards = {
        s.id: s
        for s in db.session.scalars(
            select(SnapshotStandard).where(
                SnapshotStandard.id.in_({q.standard_id for q in questions})
            )
        )
    }
    domains = {
        d.id: d
        for d in db.session.scalars(
            select(SnapshotDomain).where(
                SnapshotDomain.id.in_({s.domain_id for s in standards.values()})
            )
        )
    }
    grouped: list[FactDomain] = []
    for question in questions:
        standard = standards[question.standard_id]
        if not grouped or grouped[-1].domain.id != standard.domain_id:
            grouped.append(FactDomain(domains[standard.domain_id], []))
        group = grouped[-1].standards
        if not group or group[-1].standard.id != standard.id:
            group.append(FactStandard(standard, []))
        group[-1].questions.append(question)
    scale = (
        db.session.scalar(
            select(FrameworkSnapshot.scale).where(FrameworkSnapshot.id == cycle.snapshot_id)
        )
        or []
    )
    return Profile(
        cycle,
        grouped,
        [(str(s["level"]), s["label"]) for s in scale],
        stored_facts(cycle, questions),
    )


def copy_source(cycle: Cycle) -> Cycle | None:
    """The alliance's most recent earlier cycle with a fact answered, if any."""
    return db.session.execute(
        select(Cycle)
        .where(
            Cycle.alliance_id == cycle.alliance_id,
            Cycle.opens_on < cycle.opens_on,
            Cycle.id.in_(
                select(AllianceFactAnswer.cycle_id).where(AllianceFactAnswer.value.is_not(None))
            ),
        )
        .order_by(Cycle.opens_on.desc())
        .limit(1)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class CopyOffer:
    """What copying forward would fill: blank facts of this cycle, each with the earlier
    cycle's answer to the fact of the same code and kind."""

    source: Cycle
    copies: list[tuple[SnapshotQuestion, Entry]]


def copy_offer(cycle: Cycle, refresh: bool = False) -> CopyOffer | None:
    """The answers the previous cycle's profile would copy into this one's blank facts, or None
    if there are none. Matching by code and kind carries a fact across framework versions
    only where the question is the same (at most five queries)."""
    source = copy_source(cycle)
    if source is None:
        return None
    targets = fact_questions(cycle.snapshot_id)
    present = stored_facts(cycle, targets, refresh=refresh)
    earlier = fact_questions(source.snapshot_id)
    kinds = {code_of(q): q.kind for q in earlier}
    old = stored_facts(source, earlier)
    copies = [
        (question, old[code].entry)
        for question in targets
        if (code := code_of(question)) not in present
        and code in old
        and old[code].entry.value is not None
        and kinds[code] == question.kind
    ]
    return CopyOffer(source, copies) if copies else None


@dataclass(frozen=True)
class FactCount:
    """How many of a cycle's facts are answered, for the coordinator's cycle page, and the
    earlier cycle whose answers may be copied into the blanks (while the cycle is open)."""

    total: int
    answered: int
    offer: CopyOffer | None = None


def fact_count(cycle: Cycle) -> FactCount:
    """How many facts the cycle's framework has and how many have a value, and what copying
    forward would fill (two queries, and the offer's while blanks remain)."""
    total = (
        db.session.scalar(
            select(func.count(SnapshotQuestion.id)).where(
                SnapshotQuestion.snapshot_id == cycle.snapshot_id,
                SnapshotQuestion.answered_by == AnsweredBy.ALLIANCE,
            )
        )
        or 0
    )
    answered = (
        db.session.scalar(
            select(func.count(AllianceFactAnswer.id))
            .join(SnapshotQuestion, AllianceFactAnswer.question_id == SnapshotQuestion.id)
            .where(
                AllianceFactAnswer.cycle_id == cycle.id,
                SnapshotQuestion.answered_by == AnsweredBy.ALLIANCE,
                SnapshotQuestion.snapshot_id == cycle.snapshot_id,
                AllianceFactAnswer.value.is_not(None),
            )
        )
        or 0
    )
    offer = (
        copy_offer(cycle) if total and answered < total and cycle.state == CycleState.OPEN else None
    )
    return FactCount(total, answered, offer)
