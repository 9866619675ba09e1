"""One section of an assessment (a domain): loading it for the page, and saving it safely.

Saving locks the assessment row, re-reads the stored answers and merges them with what this
person saw and typed (``drafts.merge``), so two people editing one section never silently
overwrite each other. Every stored change is audited with its values before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..assessments.answers import NotEditable, editable, write_answers
from ..assessments.drafts import Entry, Merge, QuestionCode, code_of, encode_seen, merge
from ..assessments.evidence import files_by_question
from ..assessments.locking import lock_assessment
from ..assessments.snapshot_options import is_member_question
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
    assessment: Assessment, questions: list[SnapshotQuestion], refresh: bool = False
) -> dict[QuestionCode, StoredAnswer]:
    """The stored answers to ``questions`` by question code, each value in canonical form (so
    an answer compares by value with what was typed: "100.0" stored is "100"); section pages
    and workbooks both read answers here."""
    by_id = {q.id: q for q in questions}
    query = (
        select(Answer, User.name)
        .outerjoin(User, Answer.updated_by_id == User.id)
        .where(Answer.assessment_id == assessment.id, Answer.question_id.in_(by_id))
    )
    if refresh:  # after taking the lock: see what others committed, not our cached copies
        query = query.execution_options(populate_existing=True)
    found: dict[QuestionCode, StoredAnswer] = {}
    for answer, name in db.session.execute(query):
        question = by_id[answer.question_id]
        raw = Entry.of(answer.value, answer.comment)
        entry = Entry.of(canonical(question, answer.value), answer.comment)
        legacy = raw.fingerprint if raw != entry else None
        found[code_of(question)] = StoredAnswer(
            entry, answer.carried_over, name, answer.updated_at, legacy
        )
    return found


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


def load_section(assessment: Assessment, code: str) -> SectionPage | None:
    """The section page for domain ``code`` of the assessment's snapshot, or None if no such
    domain (four queries: domains, standards with questions, the scale, answers)."""
    snapshot_id = assessment.cycle.snapshot_id
    codes = list(
        db.session.scalars(
            select(SnapshotDomain.code)
            .where(SnapshotDomain.snapshot_id == snapshot_id)
            .order_by(SnapshotDomain.position)
        )
    )
    if code not in codes:
        return None
    domain = db.session.execute(
        select(SnapshotDomain)
        .where(SnapshotDomain.snapshot_id == snapshot_id, SnapshotDomain.code == code)
        .options(selectinload(SnapshotDomain.standards).selectinload(SnapshotStandard.questions))
    ).scalar_one()
    scale, adjustments = db.session.execute(
        select(FrameworkSnapshot.scale, FrameworkSnapshot.adjustments).where(
            FrameworkSnapshot.id == snapshot_id
        )
    ).one()
    scale = scale or []
    index = codes.index(code)
    page = SectionPage(
        assessment=assessment,
        domain=domain,
        scale=[(str(s["level"]), s["label"]) for s in scale],
        stored={},
        previous_code=codes[index - 1] if index else None,
        next_code=codes[index + 1] if index + 1 < len(codes) else None,
        adjustments=adjustments or {},
    )
    page.stored = stored_answers(assessment, page.questions)
    page.files = files_by_question(assessment.id, [q.code for q in page.questions])
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
    page: SectionPage, mine: dict[QuestionCode, Entry], seen: dict[str, str], user: User
) -> SaveOutcome:
    """Save one section of a draft; refuses (writing nothing) if another person changed an
    answer this person also changed. Saving confirms answers carried over from a previous
    cycle that this person saw on the page."""
    assessment = lock_assessment(page.assessment.id)
    if not editable(assessment):
        raise NotEditable("This assessment can no longer be changed.")
    by_code = {code_of(q): q for q in page.questions}
    page.stored = stored_answers(assessment, page.questions, refresh=True)
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
    )
    db.session.commit()
    return outcome
