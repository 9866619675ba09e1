"""What the respondents' pages show: a respondent's own copy of a section, and the lead's
side-by-side view of every respondent's answers with their spread.

A respondent sees a colleague's answer to a question only once they have answered it themselves
(value given), so each first answer is their own view, not an echo of someone else's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..assessments.drafts import Entry, QuestionCode, code_of
from ..assessments.respondents import Given, given_answers, own_answers, save_own_answers
from ..assessments.snapshot_options import is_member_question
from ..assessments.snapshots import load_snapshot
from ..models import Assessment, SnapshotDomain, SnapshotQuestion, User
from ..questionnaire.sections import SectionPage, StoredAnswer, load_section, stored_answers
from ..scoring.spread import Spread, claimed_level, level_spread


@dataclass
class RespondentSection:
    """A section page whose stored answers are this respondent's own, and the colleagues'
    answers to the questions this respondent has already answered."""

    page: SectionPage
    others: dict[QuestionCode, list[Given]] = field(default_factory=dict)

    def answered(self, question: SnapshotQuestion) -> bool:
        return self.page.entry(question).value is not None


def respondent_section(assessment: Assessment, code: str, user: User) -> RespondentSection | None:
    """Section ``code`` as ``user`` answers it on their own, or None if no such section."""
    page = load_section(assessment, code)
    if page is None:
        return None
    mine = own_answers(assessment, user, page.questions)
    page.stored = {
        key: StoredAnswer(given.entry, False, given.name, given.updated_at)
        for key, given in mine.items()
    }
    page.files = {}  # evidence files belong to the real answers, attached on the section page
    section = RespondentSection(page)
    answered = {key for key, given in mine.items() if given.entry.value is not None}
    for key, given in given_answers(assessment, page.questions).items():
        if key in answered:
            section.others[key] = [g for g in given if g.user_id != user.id]
    return section


def save_respondent_section(
    section: RespondentSection, typed: dict[QuestionCode, Entry], user: User
) -> int:
    """Store what ``user`` typed as their own answers to the section; how many changed."""
    questions = {code_of(q): q for q in section.page.questions}
    return save_own_answers(section.page.assessment, questions, typed, user)


@dataclass(frozen=True)
class QuestionRow:
    """One question on the lead's page: the real answer now, each respondent's, the spread."""

    question: SnapshotQuestion
    current: Entry
    given: list[Given]
    spread: Spread | None

    @property
    def choices(self) -> list[Given]:
        """The respondents' answers the lead may settle on (those with a value)."""
        return [g for g in self.given if g.entry.value is not None]


@dataclass(frozen=True)
class DomainRows:
    """One section's questions on the lead's page."""

    domain: SnapshotDomain
    rows: list[QuestionRow]


def comparison(assessment: Assessment) -> list[DomainRows]:
    """Every member question of the assessment, by section, with all respondents' answers."""
    snapshot = load_snapshot(assessment.cycle.snapshot_id)
    by_domain = [
        (d, [q for s in d.standards for q in s.questions if is_member_question(q)])
        for d in snapshot.domains
    ]
    questions = [q for _, qs in by_domain for q in qs]
    real = stored_answers(assessment, questions)
    given = given_answers(assessment, questions)
    found = []
    for domain, qs in by_domain:
        rows = []
        for q in qs:
            answers = given.get(code_of(q), [])
            levels = (claimed_level(q.kind, g.entry.value) for g in answers)
            stored = real.get(code_of(q))
            rows.append(
                QuestionRow(
                    q,
                    stored.entry if stored else Entry(),
                    answers,
                    level_spread(level for level in levels if level is not None),
                )
            )
        found.append(DomainRows(domain, rows))
    return found


def find_question(assessment: Assessment, code: str) -> SnapshotQuestion | None:
    """The assessment's own member question with ``code`` (another snapshot's is never found)."""
    snapshot = load_snapshot(assessment.cycle.snapshot_id)
    return next(
        (
            q
            for d in snapshot.domains
            for s in d.standards
            for q in s.questions
            if q.code == code and is_member_question(q)
        ),
        None,
    )
