"""Checking an uploaded workbook against the assessment it is sent to, and every cell against
the section form's own rules.

The cells are put through the very form class the section pages use (``section_form_class``),
so a value the web form refuses is refused here with the same message, only placed by sheet and
cell. Nothing here writes to the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict
from wtforms import RadioField

from ..assessments.drafts import Entry, QuestionCode, code_of
from ..assessments.snapshot_options import is_member_question
from ..models import Assessment, FrameworkSnapshot, SnapshotQuestion
from ..questionbank.kinds import QuestionKind
from ..questionnaire.fields import kind_field
from ..questionnaire.forms import answer_name, comment_name, section_form_class
from .reading import ReadBook, Typed
from .writing import Identity, sheet_title


class WorkbookRefused(ValueError):
    """The whole workbook is refused (another trust, cycle or framework, or unreadable)."""


def identity_of(assessment: Assessment, snapshot: FrameworkSnapshot) -> Identity:
    """The identity written into, and expected back from, this assessment's workbook."""
    return Identity(
        assessment.id, assessment.membership.trust.code, assessment.cycle_id, snapshot.content_hash
    )


def check_identity(found: Identity, expected: Identity) -> None:
    """Refuse a workbook made for anything but this assessment, most telling reason first."""
    if found.trust_code != expected.trust_code:
        raise WorkbookRefused(
            f"This workbook is for another trust ({found.trust_code}), not {expected.trust_code}. "
            "Nothing has been saved. Download this trust's own workbook from this page."
        )
    if found.cycle_id != expected.cycle_id:
        raise WorkbookRefused(
            "This workbook is for another assessment cycle. Nothing has been saved. Download "
            "the workbook for this cycle from this page."
        )
    if found.framework_hash != expected.framework_hash:
        raise WorkbookRefused(
            "This workbook was made from a different version of the framework, so its questions "
            "do not match this cycle's. Nothing has been saved. Download a fresh workbook."
        )
    if found.assessment_id != expected.assessment_id:
        raise WorkbookRefused(
            "This workbook is for another self-assessment. Nothing has been saved. Download the "
            "workbook from this self-assessment's page."
        )


@dataclass(frozen=True)
class Placed:
    """A question with the domain sheet it belongs on."""

    question: SnapshotQuestion
    sheet: str


def check_rows(book: ReadBook, placed: list[Placed]) -> list[str]:
    """Problems with the shape of the sheets: missing, unknown or repeated question rows."""
    problems = list(book.problems)
    known = {p.question.code for p in placed}
    for item in placed:
        if item.question.code not in book.rows:
            problems.append(
                f"Sheet {item.sheet}: question {item.question.code} is missing; "
                "put its row back or download a fresh workbook"
            )
    for code, typed in book.rows.items():
        if code not in known:
            problems.append(
                f"Sheet {typed.sheet}, cell A{typed.row}: {code} is not a question "
                "of this self-assessment"
            )
    return problems


def _choice_message(question: SnapshotQuestion, field: RadioField) -> str:
    choices = [str(value) for value, *_ in field.iter_choices()]
    if QuestionKind(question.kind) is QuestionKind.YES_NO:
        return "Choose yes or no from the list"
    return f"Choose a level from the list: {', '.join(choices)}"


def _typed_value(question: SnapshotQuestion, typed: Typed) -> str | None:
    value = typed.value.strip() if typed.value else None
    if value and QuestionKind(question.kind) is QuestionKind.YES_NO:
        value = value.lower()  # "Yes" typed by hand means the "yes" the list offers
    return value or None


def check_cells(
    book: ReadBook, placed: list[Placed], scale: list[tuple[str, str]]
) -> tuple[list[str], dict[QuestionCode, Entry]]:
    """Validate every answer and comment cell; return the problems, or the entries to store
    (question code -> value in stored form and comment) when there are none."""
    questions = [p.question for p in placed if p.question.code in book.rows]
    data: MultiDict[str, str] = MultiDict()
    for question in questions:
        typed = book.rows[question.code]
        value = _typed_value(question, typed)
        if value:
            data.add(answer_name(question), value)
        if typed.comment:
            data.add(comment_name(question), typed.comment)
    form = section_form_class(questions, scale)(formdata=data, meta={"csrf": False})
    form.validate()
    problems: list[str] = []
    entries: dict[QuestionCode, Entry] = {}
    for question in questions:
        typed = book.rows[question.code]
        answer, comment = form.answer(question), form.comment(question)
        for field, ref in ((answer, typed.value_ref), (comment, typed.comment_ref)):
            for message in field.errors:
                if isinstance(field, RadioField) and message == field.gettext(
                    "Not a valid choice."
                ):
                    message = _choice_message(question, field)
                problems.append(f"Sheet {typed.sheet}, cell {ref}: {message}")
        raw = _typed_value(question, typed)
        if not (answer.errors or comment.errors):
            stored = kind_field(question).store(question, raw) if raw else None
            entries[code_of(question)] = Entry.of(stored, typed.comment)
    return problems, entries


def placed_questions(snapshot: FrameworkSnapshot) -> list[Placed]:
    """Every question a member answers, in order, with the sheet it is on (alliance facts are
    the coordinator's: a workbook neither shows nor accepts them)."""
    return [
        Placed(q, sheet_title(d.code))
        for d in snapshot.domains
        for s in d.standards
        for q in s.questions
        if is_member_question(q)
    ]
