"""The offline questionnaire: the workbook of an assessment, and saving an uploaded one.

An upload is all-or-nothing. It is refused whole when it belongs to another trust, cycle or
framework; any cell problem saves nothing and lists every problem by sheet and cell. Otherwise it
is merged with the stored answers exactly like a section save (``drafts.merge`` under the
assessment's row lock), so an answer someone changed online since the download is never silently
overwritten, and the changes are written as one audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..assessments.answers import NotEditable, editable, write_answers
from ..assessments.drafts import Entry, QuestionCode, code_of, merge
from ..assessments.evidence import files_by_question
from ..assessments.locking import lock_assessment
from ..assessments.snapshot_options import is_member_question
from ..assessments.snapshots import load_snapshot
from ..deadlines import deadline_for
from ..demonstration import demo_notice
from ..extensions import db
from ..models import Assessment, FrameworkSnapshot, SnapshotQuestion, User
from ..questionnaire.fields import MAX_TEXT
from ..questionnaire.sections import StoredAnswer, seen_by_value, stored_answers
from .describe import question_row
from .reading import Unreadable, read_workbook
from .upload_checks import (
    Placed,
    WorkbookRefused,
    check_cells,
    check_identity,
    check_rows,
    identity_of,
    placed_questions,
)
from .writing import Cover, DomainSheet, build_workbook

__all__ = ["NotEditable", "UploadOutcome", "WorkbookRefused", "upload", "workbook_download"]


def _scale(snapshot: FrameworkSnapshot) -> list[tuple[str, str]]:
    return [(str(s["level"]), s["label"]) for s in snapshot.scale or []]


def workbook_download(assessment: Assessment) -> tuple[bytes, str]:
    """The assessment's workbook, holding its stored answers, and a file name (no suffix)."""
    snapshot = load_snapshot(assessment.cycle.snapshot_id)
    placed = placed_questions(snapshot)
    stored = stored_answers(assessment, [p.question for p in placed])
    empty = Entry()
    trust, cycle = assessment.membership.trust, assessment.cycle
    fingerprints: dict[str, str] = {}
    domains: list[DomainSheet] = []
    for domain in snapshot.domains:
        sheet = DomainSheet(domain.code, domain.name, domain.description)
        for standard in domain.standards:
            for question in standard.questions:
                if not is_member_question(question):
                    continue  # an alliance fact: the coordinator answers it on the profile
                found = stored.get(code_of(question))
                entry = found.entry if found else empty
                fingerprints[question.code] = entry.fingerprint
                sheet.rows.append(question_row(question, entry.value, entry.comment))
        domains.append(sheet)
    cover = Cover(
        trust=trust.name,
        alliance=cycle.alliance.name,
        cycle=cycle.name,
        framework=f"{snapshot.title} version {snapshot.version}",
        closes=deadline_for(assessment).strftime("%-d %B %Y"),
        scale=_scale(snapshot),
        notice=demo_notice(),
        files=[
            (code, f.filename)
            for code, files in sorted(files_by_question(assessment.id).items())
            for f in files
        ],
    )
    data = build_workbook(identity_of(assessment, snapshot), cover, domains, fingerprints, MAX_TEXT)
    return data, f"{trust.code}-{cycle.name}-self-assessment"


@dataclass
class UploadOutcome:
    """What an upload did: ``problems`` or ``conflicts`` mean nothing was saved."""

    problems: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    saved: int = 0
    theirs_kept: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.problems or self.conflicts)


def upload(assessment: Assessment, data: bytes, user: User) -> UploadOutcome:
    """Check an uploaded workbook and save all of it, or nothing. Raises ``WorkbookRefused``
    for another trust's, cycle's or framework's workbook (or no workbook at all) and
    ``NotEditable`` when the assessment cannot be changed."""
    try:
        book = read_workbook(data)
    except Unreadable as refused:
        raise WorkbookRefused(str(refused)) from None
    snapshot = load_snapshot(assessment.cycle.snapshot_id)
    check_identity(book.identity, identity_of(assessment, snapshot))
    placed = placed_questions(snapshot)
    problems = check_rows(book, placed)
    cell_problems, entries = check_cells(book, placed, _scale(snapshot))
    if problems or cell_problems:
        return UploadOutcome(problems=problems + cell_problems)
    return _save(assessment, book.fingerprints, placed, entries, user)


def _save(
    assessment: Assessment,
    fingerprints: dict[str, str],
    placed: list[Placed],
    mine: dict[QuestionCode, Entry],
    user: User,
) -> UploadOutcome:
    locked = lock_assessment(assessment.id)
    if not editable(locked):
        db.session.rollback()
        raise NotEditable(
            "This assessment has been submitted, so its answers can no longer be "
            "changed. Nothing has been saved."
        )
    questions = [p.question for p in placed]
    stored = stored_answers(locked, questions)
    by_code = {code_of(p.question): p for p in placed}
    empty = StoredAnswer(Entry(), False, None, None)
    current = {code: stored.get(code, empty).entry for code in by_code}
    # The workbook's fingerprints are keyed by question code already.
    result = merge(seen_by_value(fingerprints, stored, questions), current, mine)
    outcome = UploadOutcome(saved=len(result.writes), theirs_kept=list(result.theirs_kept))
    if result.conflicts:
        db.session.rollback()
        outcome.saved = 0
        outcome.conflicts = [_conflict(by_code[c], stored.get(c, empty)) for c in result.conflicts]
        return outcome
    # An answer carried over from the previous cycle that the workbook shows unchanged has been
    # seen in this cycle: the upload confirms it, as saving its section would.
    confirm = [by_code[code].question for code in result.untouched]
    _write(locked, result.writes, by_code, current, user, confirm)
    db.session.commit()
    return outcome


def _conflict(item: Placed, theirs: StoredAnswer) -> str:
    who = theirs.updated_by or "someone"
    when = f" at {theirs.updated_at:%-d %B %Y %H:%M}" if theirs.updated_at else ""
    return (
        f"{item.question.code} (sheet {item.sheet}): {who} changed this answer online"
        f"{when} after the workbook was downloaded, and the workbook changes it too"
    )


def _write(
    assessment: Assessment,
    writes: dict[QuestionCode, Entry],
    by_code: dict[QuestionCode, Placed],
    current: dict[QuestionCode, Entry],
    user: User,
    confirm: list[SnapshotQuestion],
) -> None:
    write_answers(
        assessment,
        {code: by_code[code].question for code in writes},
        current,
        writes,
        user,
        "assessment.workbook_uploaded",
        {},
        confirm=confirm,
    )
