"""Writing an assessment's answers: the one place answer rows are stored and audited.

Section saves and workbook uploads both end in ``write_answers``, so the audit trail reads the
same whichever way the answers arrived; copy forward ends in ``carry_over``. Which answers to
write comes from the three-way merge in ``drafts.py``; answers are keyed by ``QuestionCode``
throughout.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, Protocol, cast

from sqlalchemy import Table, Update, bindparam, exists, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit
from ..extensions import db
from ..models import (
    Answer,
    Assessment,
    AssessmentState,
    Cycle,
    CycleState,
    Membership,
    SnapshotQuestion,
    User,
)
from ..models._types import utcnow
from .drafts import QuestionCode
from .transitions import start_assessment


class NotEditable(ValueError):
    """The assessment cannot be changed now (submitted, validated, or the cycle is not open)."""


def editable(assessment: Assessment) -> bool:
    """Whether trust users may change the answers now: an open cycle, an editable state, and a
    trust still a member (one that has left keeps its record, read-only)."""
    return (
        AssessmentState(assessment.state).editable
        and assessment.cycle.state == CycleState.OPEN
        and assessment.membership.active
    )


def claim_for_answers(assessment: Assessment) -> bool:
    """Lock ``assessment`` for a change to its answers, check that it may still be changed and
    count the change, in one statement; False (nothing written) if it may not be changed.

    ``UPDATE ... SET version = version + 1 WHERE <editable> RETURNING``: on PostgreSQL the
    update takes the row lock, so a save can read and validate without holding it and still
    never act on a state read before someone else's change (a submission, a colleague's save:
    their version bump waits for ours, or ours for theirs). On SQLite the caller holds the
    database's write lock (``database.take_write_lock``). The state and version the statement
    returns replace those loaded earlier. The caller rolls back when it ends up writing
    nothing, so the version counts only real changes; pass ``claimed=True`` to
    ``write_answers``.
    """
    row = db.session.execute(_claim_statement(), {"assessment_id": assessment.id}).one_or_none()
    if row is None:
        return False
    set_committed_value(assessment, "state", row.state)
    set_committed_value(assessment, "version", row.version)
    return True


@functools.cache
def _claim_statement() -> Update:
    """``claim_for_answers``'s statement, built once per process (``editable`` in SQL: an
    editable state, an open cycle, a trust still a member); a Core statement, because the
    ORM's bulk-update machinery cost a save more CPU than the rest of its writes."""
    table = cast(Table, Assessment.__table__)
    return (
        update(table)
        .where(
            table.c.id == bindparam("assessment_id"),
            table.c.state.in_([state.value for state in AssessmentState if state.editable]),
            exists().where(Cycle.id == table.c.cycle_id, Cycle.state == CycleState.OPEN),
            exists().where(Membership.id == table.c.membership_id, Membership.active.is_(True)),
        )
        .values(version=table.c.version + 1)
        .returning(table.c.state, table.c.version)
    )


class AnswerRow(NamedTuple):
    """An answer row as read for writing: plain values, not a tracked ORM object."""

    id: int
    question_id: int
    value: str | None
    comment: str | None
    carried_over: bool
    updated_at: datetime | None


#: The columns of ``AnswerRow``, in its order.
ANSWER_ROW_COLUMNS = (
    Answer.id,
    Answer.question_id,
    Answer.value,
    Answer.comment,
    Answer.carried_over,
    Answer.updated_at,
)


class AnswerText(Protocol):
    """An answer as text (``drafts.Entry`` is one): ``None`` when blank."""

    @property
    def value(self) -> str | None: ...

    @property
    def comment(self) -> str | None: ...


def write_answers(
    assessment: Assessment,
    questions: Mapping[QuestionCode, SnapshotQuestion],
    current: Mapping[QuestionCode, AnswerText],
    writes: Mapping[QuestionCode, AnswerText],
    user: User,
    action: str,
    context: dict[str, object],
    confirm: list[SnapshotQuestion] | None = None,
    rows: Mapping[int, AnswerRow] | None = None,
    claimed: bool = False,
) -> int:
    """Store merged answers and audit them as one change (the caller holds the assessment's
    row lock and commits): each written answer's value and comment before and after, the
    carried-over answers in ``confirm`` marked as confirmed, the version bumped and a
    not-started assessment moved to in progress. Returns how many answers were confirmed.
    ``rows``: the assessment's answer rows by question id, read under the lock, covering every
    question written or confirmed (a section save has them); otherwise they are read here.
    ``claimed``: the caller counted this change already (``claim_for_answers``)."""
    if rows is None:
        ids = [q.id for q in questions.values()] + [q.id for q in confirm or []]
        rows = {
            row.question_id: row
            for row in map(
                AnswerRow._make,
                db.session.execute(
                    select(*ANSWER_ROW_COLUMNS).where(
                        Answer.assessment_id == assessment.id, Answer.question_id.in_(ids)
                    )
                ),
            )
        }
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    now = utcnow()
    changed: list[dict[str, object]] = []  # by primary key (row_id): one executemany UPDATE
    added: list[dict[str, object]] = []  # one executemany INSERT
    for key, entry in writes.items():
        question = questions[key]
        row = rows.get(question.id)
        values = {
            "value": entry.value,
            "comment": entry.comment,
            "carried_over": False,
            "updated_by_id": user.id,
            "updated_at": now,
        }
        # The audit keeps the row as stored ("100.0"), not only its canonical form.
        if row is None:
            old_value, old_comment = current[key].value, current[key].comment
            added.append({"assessment_id": assessment.id, "question_id": question.id, **values})
        else:
            old_value, old_comment = row.value, row.comment
            changed.append({"row_id": row.id, **values})
        before[question.code] = {"value": old_value, "comment": old_comment}
        after[question.code] = {"value": entry.value, "comment": entry.comment}
    confirmed = 0
    for question in confirm or []:
        row = rows.get(question.id)
        if row is not None and row.carried_over:
            changed.append(
                {
                    "row_id": row.id,
                    "carried_over": False,
                    "updated_by_id": user.id,
                    "updated_at": now,
                }
            )
            before[question.code] = {"carried_over": True}
            after[question.code] = {"carried_over": False}
            confirmed += 1
    _store(changed, added)
    if not after:
        return 0
    if not claimed:
        assessment.version += 1
    state_before = assessment.state
    start_assessment(assessment)
    membership = assessment.membership
    audit.record(
        action,
        "assessment",
        assessment.id,
        before={**context, "state": state_before, "answers": before},
        after={
            **context,
            "state": assessment.state,
            "answers": after,
            "version": assessment.version,
        },
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
        actor_id=user.id,
    )
    return confirmed


def _store(changed: list[dict[str, object]], added: list[dict[str, object]]) -> None:
    """Write answer rows in one statement per shape: rows that only confirm a carried-over
    answer set fewer columns, so they go in their own UPDATE.

    Core statements on the table, not the ORM's bulk machinery: no object here is tracked
    (the rows were read as plain values), and the ORM's per-row bookkeeping was a tenth of a
    save's CPU. Every column written is set here, so no ORM default or event is skipped."""
    shapes: dict[frozenset[str], list[dict[str, object]]] = {}
    for params in changed:
        shapes.setdefault(frozenset(params), []).append(params)
    for group in shapes.values():
        db.session.execute(_update_by_id(), group)
    if added:
        db.session.execute(insert(_answer_table()), added)


def _answer_table() -> Table:
    return cast(Table, Answer.__table__)


@functools.cache
def _update_by_id() -> Update:
    """``UPDATE answer SET <the parameters' other keys> WHERE id = :row_id`` (Core fills the
    SET clause from the first parameter set, so each shape of row is one statement)."""
    table = _answer_table()
    return update(table).where(table.c.id == bindparam("row_id"))


@dataclass(frozen=True)
class CarriedOver:
    """An answer from the member's earlier assessment, for question ``question_id`` (``code``)
    of this one."""

    question_id: int
    code: str
    value: str | None
    comment: str | None


def carry_over(
    assessment: Assessment, source: Assessment, answers: list[CarriedOver], user: User
) -> int:
    """Store answers copied from ``source``, each marked carried over until someone confirms
    it, and audit them as one change (the caller holds the assessment's row lock, has left out
    questions already answered, and commits): the version bumped and a not-started assessment
    moved to in progress. Returns how many answers were stored."""
    now = utcnow()
    for answer in answers:
        db.session.add(
            Answer(
                assessment_id=assessment.id,
                question_id=answer.question_id,
                value=answer.value,
                comment=answer.comment,
                carried_over=True,
                updated_by_id=user.id,
                updated_at=now,
            )
        )
    if not answers:
        return 0
    from .evidence import carry_files_over  # evidence imports this module's editable()

    files = carry_files_over(assessment, source, {a.code for a in answers}, user)
    before_state = assessment.state
    assessment.version += 1
    start_assessment(assessment)
    membership = assessment.membership
    audit.record(
        "assessment.copied_forward",
        "assessment",
        assessment.id,
        before={"state": before_state},
        after={
            "state": assessment.state,
            "from_assessment": source.id,
            "from_cycle": source.cycle.name,
            "questions": [a.code for a in answers],
            "evidence_files": files,
        },
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
        actor_id=user.id,
    )
    return len(answers)
