"""One section of an assessment (a domain): loading it for the page, and saving it safely.

Saving locks the assessment row, re-reads the stored answers and merges them with what this
person saw and typed (``drafts.merge``), so two people editing one section never silently
overwrite each other. Every stored change is audited with its values before and after.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from ..assessments.answers import (
    ANSWER_ROW_COLUMNS,
    AnswerRow,
    NotEditable,
    claim_for_answers,
    write_answers,
)
from ..assessments.drafts import Entry, Merge, QuestionCode, code_of, encode_seen, merge
from ..assessments.evidence import files_by_question
from ..assessments.snapshot_options import is_member_question
from ..database import take_write_lock
from ..extensions import db
from ..models import (
    Answer,
    Assessment,
    FrameworkSnapshot,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
    User,
)
from .fields import canonical, kind_field
from .forms import SectionFormBase, answer_name, comment_name, section_form_class


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as stored, its value in canonical form, with who last saved it.

    ``legacy_fingerprint`` is the fingerprint of the value exactly as stored when that differs
    from the canonical form ("100.0" stored, "100" canonical): a page or workbook made before
    values were compared by value carries it.
    """

    entry: Entry
    carried_over: bool
    updated_by: str | None
    updated_at: datetime | None
    legacy_fingerprint: str | None = None


@dataclass
class SectionPage:
    """Everything a section page shows: the domain's standards and questions, stored answers."""

    assessment: Assessment
    domain: SnapshotDomain
    scale: list[tuple[str, str]]
    stored: dict[QuestionCode, StoredAnswer]
    previous_code: str | None
    next_code: str | None
    #: What the alliance changed from the framework's defaults, by standard code (empty if none).
    adjustments: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The evidence files each question cites now, by question code.
    files: dict[str, list[Any]] = field(default_factory=dict)
    questions: list[SnapshotQuestion] = field(init=False)

    def __post_init__(self) -> None:
        self.questions = [q for s in self.domain.standards for q in self.member_questions(s)]

    @staticmethod
    def member_questions(standard: SnapshotStandard) -> list[SnapshotQuestion]:
        """The standard's questions a member answers: alliance facts are not theirs to answer."""
        return [q for q in standard.questions if is_member_question(q)]

    @property
    def standards(self) -> list[SnapshotStandard]:
        return list(self.domain.standards)

    def seen(self) -> str:
        return encode_seen({code_of(q): self.entry(q) for q in self.questions})

    def entry(self, question: SnapshotQuestion) -> Entry:
        found = self.stored.get(code_of(question))
        return found.entry if found else Entry()

    def stored_answer(self, question: SnapshotQuestion) -> StoredAnswer | None:
        """The stored answer to ``question``, if any (what the page shows beside the form)."""
        return self.stored.get(code_of(question))

    @property
    def carried_over(self) -> int:
        return sum(1 for s in self.stored.values() if s.carried_over)


def stored_answers(
    assessment: Assessment,
    questions: list[SnapshotQuestion],
    rows: dict[int, AnswerRow] | None = None,
) -> dict[QuestionCode, StoredAnswer]:
    """The stored answers to ``questions`` by question code, each value in canonical form (so
    an answer compares by value with what was typed: "100.0" stored is "100"); section pages
    and workbooks both read answers here. ``rows``, when given, receives the answer rows by
    question id (a save writes to them without reading them again).

    Read as plain rows, not ORM objects: always what is committed (no cached copy to
    refresh after taking the lock), and a 20-question save no longer builds and tracks 20
    objects it then writes back by primary key."""
    by_id = {q.id: q for q in questions}
    found: dict[QuestionCode, StoredAnswer] = {}
    for *columns, name in db.session.execute(
        _stored_answers_query(), {"assessment_id": assessment.id, "question_ids": list(by_id)}
    ):
        answer = AnswerRow._make(columns)
        question = by_id[answer.question_id]
        raw = Entry.of(answer.value, answer.comment)
        entry = Entry.of(canonical(question, answer.value), answer.comment)
        legacy = raw.fingerprint if raw != entry else None
        found[code_of(question)] = StoredAnswer(
            entry, answer.carried_over, name, answer.updated_at, legacy
        )
        if rows is not None:
            rows[answer.question_id] = answer
    return found


@functools.cache
def _stored_answers_query() -> Select[*tuple[Any, ...]]:
    """``stored_answers``' query, built once per process: every section page and save runs
    it, and building a statement costs more CPU than running it."""
    return (
        select(*ANSWER_ROW_COLUMNS, User.name)
        .outerjoin(User, Answer.updated_by_id == User.id)
        .where(
            Answer.assessment_id == bindparam("assessment_id"),
            Answer.question_id.in_(bindparam("question_ids", expanding=True)),
        )
    )


def seen_by_value(
    seen: dict[str, str],
    stored: dict[QuestionCode, StoredAnswer],
    questions: list[SnapshotQuestion],
) -> dict[QuestionCode, str]:
    """``seen`` (question code -> fingerprint) as the merge compares it.

    Two older forms still arrive and mean the same: a page loaded before answers were keyed
    by code carries question ids ("17"), read as that question's code; and a fingerprint of an
    answer's stored form from before values were canonical counts as having seen the canonical
    value (the same answer, so an old page or workbook changing it is no conflict).
    """
    codes = {str(q.id): code_of(q) for q in questions}
    known = set(codes.values())
    translated: dict[QuestionCode, str] = {}
    for key, fingerprint in seen.items():
        code = QuestionCode(key) if key in known else codes.get(key)
        if code is not None and code not in translated:
            translated[code] = fingerprint
    for code, answer in stored.items():
        if (
            answer.legacy_fingerprint is not None
            and translated.get(code) == answer.legacy_fingerprint
        ):
            translated[code] = answer.entry.fingerprint
    return translated


def load_section(
    assessment: Assessment, code: str, with_answers: bool = True
) -> SectionPage | None:
    """The section page for domain ``code`` of the assessment's snapshot, or None if no such
    domain. One query reads the domain with its standards and questions, the snapshot's scale
    and adjustments and the codes of the sections before and after it; with ``with_answers``
    (a page to show) two more read the stored answers and the evidence files. A save leaves
    them out: it reads the answers under the row lock anyway (``save_section``)."""
    row = (
        db.session.execute(
            _section_query(), {"snapshot_id": assessment.cycle.snapshot_id, "code": code}
        )
        .unique()
        .one_or_none()
    )
    if row is None:
        return None
    domain, previous_code, next_code = row
    scale, adjustments = domain.snapshot.scale, domain.snapshot.adjustments
    page = SectionPage(
        assessment=assessment,
        domain=domain,
        scale=[(str(s["level"]), s["label"]) for s in scale or []],
        stored={},
        previous_code=previous_code,
        next_code=next_code,
        adjustments=adjustments or {},
    )
    if with_answers:
        read_answers(page)
    return page


@functools.cache
def _section_query() -> Any:
    """The one query ``load_section`` runs, built once per process (building it, with its
    subqueries and eager loads, costs more CPU than running it); snapshot and code are bound."""
    here = aliased(SnapshotDomain)
    neighbour = aliased(SnapshotDomain)

    def beside(before: bool) -> Any:
        side = neighbour.position < here.position if before else neighbour.position > here.position
        order = neighbour.position.desc() if before else neighbour.position
        return (
            select(neighbour.code)
            .where(neighbour.snapshot_id == here.snapshot_id, side)
            .order_by(order)
            .limit(1)
            .scalar_subquery()
        )

    return (
        select(here, beside(before=True), beside(before=False))
        .join(here.snapshot)
        .where(here.snapshot_id == bindparam("snapshot_id"), here.code == bindparam("code"))
        .options(
            contains_eager(here.snapshot).load_only(
                FrameworkSnapshot.scale, FrameworkSnapshot.adjustments
            ),
            joinedload(here.standards).joinedload(SnapshotStandard.questions),
        )
    )


def read_answers(page: SectionPage) -> SectionPage:
    """Fill in the page's stored answers and evidence files (two queries)."""
    page.stored = stored_answers(page.assessment, page.questions)
    page.files = files_by_question(page.assessment.id, [q.code for q in page.questions])
    return page


def initial_form(page: SectionPage) -> SectionFormBase:
    """The section form filled with the page's stored answers, as a GET shows it."""
    form_class = section_form_class(page.questions, page.scale)
    data: dict[str, str | None] = {"seen": page.seen()}
    for question in page.questions:
        entry = page.entry(question)
        data[answer_name(question)] = entry.value
        data[comment_name(question)] = entry.comment
    return form_class(formdata=None, data=data)


def typed_entries(
    page: SectionPage,
    answers: dict[QuestionCode, str | None],
    comments: dict[QuestionCode, str | None],
) -> dict[QuestionCode, Entry]:
    """What the person typed, each value in its stored form (metrics normalised)."""
    entries: dict[QuestionCode, Entry] = {}
    for question in page.questions:
        code = code_of(question)
        raw = answers.get(code)
        value = kind_field(question).store(question, raw) if raw and raw.strip() else None
        entries[code] = Entry.of(value, comments.get(code))
    return entries


@dataclass
class SaveOutcome:
    """What a save did. With ``conflicts`` nothing was written; ``page`` then holds the fresh
    stored answers to show beside this person's own."""

    merge: Merge
    page: SectionPage
    confirmed: int = 0

    @property
    def saved(self) -> int:
        return 0 if self.merge.conflicts else len(self.merge.writes)


def save_section(
    page: SectionPage,
    mine: dict[QuestionCode, Entry],
    seen: dict[str, str],
    user: User,
) -> SaveOutcome:
    """Save one section of a draft; refuses (writing nothing) if another person changed an
    answer this person also changed. Saving confirms answers carried over from a previous
    cycle that this person saw on the page.

    Everything before this (the access checks, the section's structure, the form) was read
    and checked without a lock; here the lock is taken, the assessment checked again and the
    stored answers read under it (``claim_for_answers``), so the merge sees every change
    committed before it and none can slip in before the write."""
    assessment = page.assessment
    take_write_lock()
    if not claim_for_answers(assessment):
        db.session.rollback()
        raise NotEditable("This assessment can no longer be changed.")
    by_code = {code_of(q): q for q in page.questions}
    rows: dict[int, AnswerRow] = {}
    page.stored = stored_answers(assessment, page.questions, rows=rows)
    current = {code: page.entry(q) for code, q in by_code.items()}
    result = merge(seen_by_value(seen, page.stored, page.questions), current, mine)
    outcome = SaveOutcome(result, page)
    if result.conflicts:
        db.session.rollback()
        return outcome

    questions = {code: by_code[code] for code in result.writes}
    confirm = [by_code[code] for code in result.untouched]
    outcome.confirmed = write_answers(
        assessment,
        questions,
        current,
        result.writes,
        user,
        "assessment.answers_saved",
        {"section": page.domain.code},
        confirm=confirm,
        rows=rows,
        claimed=True,
    )
    if result.writes or outcome.confirmed:
        db.session.commit()
    else:
        db.session.rollback()  # nothing changed: the claim's version bump is not kept
    return outcome
