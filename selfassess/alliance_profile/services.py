"""The alliance profile's use cases: save the facts, copy them forward, answer them for loaders.

Each takes the cycle's row lock first, so two coordinators saving at once are merged the way two
people saving one section are (``drafts.merge``: nobody's change silently lost), and each writes
one audit record with every changed fact before and after. Facts never touch an assessment, so
no member's stored score moves when one changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from .. import audit
from ..assessments.drafts import Entry, Merge, QuestionCode, code_of, merge
from ..extensions import db
from ..models import AllianceFactAnswer, Cycle, CycleState, SnapshotQuestion, User
from ..models._types import utcnow
from ..questionnaire.fields import kind_field
from ..questionnaire.forms import answer_name, comment_name, section_form_class
from .facts import Profile, copy_offer, load_profile, stored_facts


class ProfileClosed(ValueError):
    """The cycle is not open, so its profile can no longer change; the message says so."""


def _lock_cycle(cycle_id: int) -> Cycle:
    """Lock the cycle's row for this transaction and return it re-read: fact saves queue behind
    each other, and a cycle closed meanwhile is seen as closed."""
    return db.session.execute(
        select(Cycle)
        .where(Cycle.id == cycle_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def _refuse_if_closed(cycle: Cycle) -> None:
    if cycle.state != CycleState.OPEN:
        db.session.rollback()  # release the cycle's lock now, not when the request ends
        raise ProfileClosed(
            f"The {cycle.name} cycle is {cycle.state}, so its alliance profile "
            "can no longer be changed."
        )


def typed_facts(
    profile: Profile,
    answers: Mapping[QuestionCode, str | None],
    comments: Mapping[QuestionCode, str | None],
) -> dict[QuestionCode, Entry]:
    """What the coordinator typed, each value in its stored form (metrics normalised)."""
    entries: dict[QuestionCode, Entry] = {}
    for question in profile.questions:
        code = code_of(question)
        raw = answers.get(code)
        value = kind_field(question).store(question, raw) if raw and raw.strip() else None
        entries[code] = Entry.of(value, comments.get(code))
    return entries


@dataclass
class SaveOutcome:
    """What a save did. With ``conflicts`` nothing was written; ``profile`` then holds the
    fresh stored answers to show beside this coordinator's own."""

    merge: Merge
    profile: Profile
    confirmed: int = 0

    @property
    def saved(self) -> int:
        return 0 if self.merge.conflicts else len(self.merge.writes)


def _write(
    cycle: Cycle,
    questions: Mapping[QuestionCode, SnapshotQuestion],
    writes: Mapping[QuestionCode, Entry],
    confirm: list[SnapshotQuestion],
    user: User,
    action: str,
    context: dict[str, object],
) -> int:
    """Store fact answers and audit them as one change (the caller holds the cycle lock and
    commits); carried-over answers in ``confirm`` are marked confirmed. Returns how many
    answers changed or were confirmed."""
    ids = [q.id for q in questions.values()] + [q.id for q in confirm]
    rows = {
        r.question_id: r
        for r in db.session.scalars(
            select(AllianceFactAnswer)
            .where(AllianceFactAnswer.cycle_id == cycle.id, AllianceFactAnswer.question_id.in_(ids))
            .execution_options(populate_existing=True)
        )
    }
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    now = utcnow()
    for code, entry in writes.items():
        question = questions[code]
        row = rows.get(question.id)
        if row is None:
            row = AllianceFactAnswer(cycle_id=cycle.id, question_id=question.id)
            db.session.add(row)
        before[code] = {"value": row.value, "comment": row.comment}
        after[code] = {"value": entry.value, "comment": entry.comment}
        row.value, row.comment = entry.value, entry.comment
        row.carried_over, row.updated_by_id, row.updated_at = False, user.id, now
    for question in confirm:
        row = rows.get(question.id)
        if row is not None and row.carried_over:
            row.carried_over, row.updated_by_id, row.updated_at = False, user.id, now
            before[question.code] = {"carried_over": True}
            after[question.code] = {"carried_over": False}
    if after:
        audit.record(
            action,
            "cycle",
            cycle.id,
            before={**context, "facts": before},
            after={**context, "facts": after},
            alliance_id=cycle.alliance_id,
            actor_id=user.id,
        )
    return len(after)


def save_profile(
    profile: Profile, mine: dict[QuestionCode, Entry], seen: dict[str, str], user: User
) -> SaveOutcome:
    """Save the profile while the cycle is open; refuses (writing nothing) if another person
    changed a fact this coordinator also changed. Saving confirms the carried-over answers the
    page showed."""
    cycle = _lock_cycle(profile.cycle.id)
    _refuse_if_closed(cycle)
    by_code = {code_of(q): q for q in profile.questions}
    profile.stored = stored_facts(cycle, profile.questions, refresh=True)
    current = {code: profile.entry(q) for code, q in by_code.items()}
    seen_codes = {QuestionCode(k): v for k, v in seen.items() if k in by_code}
    result = merge(seen_codes, current, mine)
    outcome = SaveOutcome(result, profile)
    if result.conflicts:
        db.session.rollback()
        return outcome
    outcome.confirmed = sum(
        1
        for code in result.untouched
        if (stored := profile.stored.get(code)) is not None and stored.carried_over
    )
    _write(
        cycle,
        {code: by_code[code] for code in result.writes},
        result.writes,
        [by_code[code] for code in result.untouched],
        user,
        "alliance_profile.saved",
        {},
    )
    db.session.commit()
    return outcome


def copy_forward(cycle: Cycle, user: User) -> int:
    """Fill this cycle's blank facts from the previous cycle's answers (``facts.copy_offer``),
    each marked carried over until the coordinator saves the profile. Never overwrites an
    answer. Returns how many were copied."""
    locked = _lock_cycle(cycle.id)
    _refuse_if_closed(locked)
    offer = copy_offer(locked, refresh=True)
    if offer is None:
        db.session.commit()
        return 0
    now = utcnow()
    for question, entry in offer.copies:
        db.session.add(
            AllianceFactAnswer(
                cycle_id=locked.id,
                question_id=question.id,
                value=entry.value,
                comment=entry.comment,
                carried_over=True,
                updated_by_id=user.id,
                updated_at=now,
            )
        )
    audit.record(
        "alliance_profile.copied_forward",
        "cycle",
        locked.id,
        before={},
        after={
            "from_cycle": offer.source.name,
            "from_cycle_id": offer.source.id,
            "facts": [q.code for q, _ in offer.copies],
        },
        alliance_id=locked.alliance_id,
        actor_id=user.id,
    )
    db.session.commit()
    return len(offer.copies)


class FactsRefused(ValueError):
    """``answer_facts`` was given a code that is not a fact of the cycle, or a value its kind
    refuses; ``problems`` has one message per code, worded as the profile page words them."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{code}: {message}" for code, message in problems.items()))
        self.problems = problems


def answer_facts(
    cycle: Cycle,
    answers: Mapping[str, str | None],
    user: User,
    *,
    comments: Mapping[str, str | None] | None = None,
    even_if_closed: bool = False,
) -> int:
    """Set some of a cycle's facts by question code (``{"GOV-1.4": "yes"}``), for loaders
    such as the demo: validated by the profile form's own rules, stored and audited as a
    coordinator's save would be, and committed. ``even_if_closed`` lets a loader fill in a
    past cycle's record. Returns how many facts changed; raises ``FactsRefused`` and writes
    nothing if any code or value is refused."""
    comments = comments or {}
    profile = load_profile(cycle)
    by_code = {code_of(q): q for q in profile.questions}
    problems = {
        code: "not an alliance fact of this cycle's framework"
        for code in {*answers, *comments}
        if code not in by_code
    }
    form = section_form_class(profile.questions, profile.scale)(
        formdata=MultiDict(
            [
                (answer_name(by_code[QuestionCode(c)]), v or "")
                for c, v in answers.items()
                if c in by_code
            ]
            + [
                (comment_name(by_code[QuestionCode(c)]), v or "")
                for c, v in comments.items()
                if c in by_code
            ]
        ),
        meta={"csrf": False},
    )
    form.validate()
    for question in profile.questions:
        for field_ in (form.answer(question), form.comment(question)):
            if field_.errors:
                problems[question.code] = str(field_.errors[0])
    if problems:
        raise FactsRefused(dict(sorted(problems.items())))
    locked = _lock_cycle(cycle.id)
    if not even_if_closed:
        _refuse_if_closed(locked)
    current = stored_facts(locked, profile.questions, refresh=True)
    writes: dict[QuestionCode, Entry] = {}
    for code in {*answers, *comments}:
        key = QuestionCode(code)
        old = current[key].entry if key in current else Entry()
        typed = typed_facts(
            profile,
            {key: answers[code]} if code in answers else {},
            {key: comments[code]} if code in comments else {},
        )[key]
        entry = Entry(
            typed.value if code in answers else old.value,
            typed.comment if code in comments else old.comment,
        )
        if entry != old:
            writes[key] = entry
    changed = _write(
        locked,
        {code: by_code[code] for code in writes},
        writes,
        [],
        user,
        "alliance_profile.saved",
        {"source": "answer_facts"},
    )
    db.session.commit()
    return changed
