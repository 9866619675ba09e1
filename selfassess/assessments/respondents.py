"""Several respondents: colleagues answer one assessment independently, a lead settles each answer.

What an assessment is includes who answers it, so this lives in the core: switching several
respondents on or off, each respondent's own answers, and settling an answer, which goes through
``answers.write_answers`` like every other change to the real answers (so revisions, history and
scores read it the same way). Every change here takes the assessment's row lock first and is
audited in the same transaction.

Respondents' own answers are audited under ``respondent_answers``, never ``answers``: they are
not the assessment's answers, and "what changed since it was returned" must not count them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import audit
from ..extensions import db
from ..models import (
    Answer,
    Assessment,
    RespondentAnswer,
    RespondentsSetting,
    SnapshotQuestion,
    User,
)
from ..models._types import utcnow
from .answers import NotEditable, editable, write_answers
from .colleagues import colleagues
from .drafts import Entry, QuestionCode, code_of
from .locking import lock_assessment


class RespondentsRefused(ValueError):
    """The change is not allowed now; the message says why, in words for the person."""


@dataclass(frozen=True)
class Given:
    """One respondent's answer to one question, with who gave it."""

    user_id: int
    name: str
    entry: Entry
    updated_at: datetime


def setting_of(assessment: Assessment) -> RespondentsSetting | None:
    """The assessment's several-respondents setting, or None when it is off."""
    return db.session.scalar(
        select(RespondentsSetting)
        .where(RespondentsSetting.assessment_id == assessment.id)
        .options(joinedload(RespondentsSetting.lead))
    )


def _locked_editable(assessment: Assessment) -> Assessment:
    locked = lock_assessment(assessment.id)
    if not editable(locked):
        raise NotEditable("This self-assessment can no longer be changed.")
    return locked


def _record(action: str, assessment: Assessment, by: User, **change: dict[str, object]) -> None:
    membership = assessment.membership
    audit.record(
        action,
        "assessment",
        assessment.id,
        before=change.get("before"),
        after=change.get("after"),
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
        actor_id=by.id,
    )


def switch_on(assessment: Assessment, lead_id: int, by: User) -> bool:
    """Switch several respondents on with ``lead_id`` as the lead (or change the lead); False
    if that was already so. The lead must be a colleague, whatever the form sent."""
    locked = _locked_editable(assessment)
    lead = next((u for u in colleagues(locked) if u.id == lead_id), None)
    if lead is None:
        raise RespondentsRefused("Choose the lead from the list of your colleagues")
    row = setting_of(locked)
    before: dict[str, object] = {"on": row is not None, "lead_id": row.lead_id if row else None}
    if row is not None and row.lead_id == lead.id:
        return False
    if row is None:
        db.session.add(
            RespondentsSetting(assessment_id=locked.id, lead_id=lead.id, switched_on_by_id=by.id)
        )
        action = "respondents.switched_on"
    else:
        row.lead_id = lead.id
        action = "respondents.lead_changed"
    _record(
        action,
        locked,
        by,
        before=before,
        after={"on": True, "lead_id": lead.id, "lead": lead.name},
    )
    db.session.commit()
    return True


def switch_off(assessment: Assessment, by: User) -> bool:
    """Switch several respondents off; False if it was off. Respondents' answers are kept (and
    come back if it is switched on again); the real answers are as settled so far."""
    locked = _locked_editable(assessment)
    row = setting_of(locked)
    if row is None:
        return False
    kept = db.session.scalar(
        select(func.count(RespondentAnswer.id)).where(RespondentAnswer.assessment_id == locked.id)
    )
    _record(
        "respondents.switched_off",
        locked,
        by,
        before={"on": True, "lead_id": row.lead_id},
        after={"on": False, "respondent_answers_kept": kept},
    )
    db.session.delete(row)
    db.session.commit()
    return True


def own_answers(
    assessment: Assessment, user: User, questions: list[SnapshotQuestion]
) -> dict[QuestionCode, Given]:
    """``user``'s own answers to ``questions``, by question code."""
    by_id = {q.id: q for q in questions}
    rows = db.session.scalars(
        select(RespondentAnswer).where(
            RespondentAnswer.assessment_id == assessment.id,
            RespondentAnswer.user_id == user.id,
            RespondentAnswer.question_id.in_(by_id),
        )
    )
    return {
        code_of(by_id[r.question_id]): Given(
            user.id, user.name, Entry(r.value, r.comment), r.updated_at
        )
        for r in rows
    }


def given_answers(
    assessment: Assessment, questions: list[SnapshotQuestion]
) -> dict[QuestionCode, list[Given]]:
    """Every respondent's answer to each of ``questions``, by question code, by name."""
    by_id = {q.id: q for q in questions}
    found: dict[QuestionCode, list[Given]] = {}
    for row, name in db.session.execute(
        select(RespondentAnswer, User.name)
        .join(User, RespondentAnswer.user_id == User.id)
        .where(
            RespondentAnswer.assessment_id == assessment.id,
            RespondentAnswer.question_id.in_(by_id),
        )
        .order_by(User.name, User.id)
    ):
        found.setdefault(code_of(by_id[row.question_id]), []).append(
            Given(row.user_id, name, Entry(row.value, row.comment), row.updated_at)
        )
    return found


def save_own_answers(
    assessment: Assessment,
    questions: Mapping[QuestionCode, SnapshotQuestion],
    typed: Mapping[QuestionCode, Entry],
    user: User,
) -> int:
    """Store ``user``'s own answers as typed (a blank answer removes theirs) and audit what
    changed; returns how many changed. Refused while several respondents is off."""
    locked = _locked_editable(assessment)
    if setting_of(locked) is None:
        raise RespondentsRefused(
            "Several respondents has been switched off for this self-assessment."
        )
    rows = {
        r.question_id: r
        for r in db.session.scalars(
            select(RespondentAnswer).where(
                RespondentAnswer.assessment_id == locked.id,
                RespondentAnswer.user_id == user.id,
                RespondentAnswer.question_id.in_([q.id for q in questions.values()]),
            )
        )
    }
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    now = utcnow()
    for code, entry in typed.items():
        question = questions[code]
        row = rows.get(question.id)
        old = Entry(row.value, row.comment) if row else Entry()
        if old == entry:
            continue
        before[code] = {"value": old.value, "comment": old.comment}
        after[code] = {"value": entry.value, "comment": entry.comment}
        if entry == Entry():
            db.session.delete(row)
        elif row is None:
            db.session.add(
                RespondentAnswer(
                    assessment_id=locked.id,
                    question_id=question.id,
                    user_id=user.id,
                    value=entry.value,
                    comment=entry.comment,
                    updated_at=now,
                )
            )
        else:
            row.value, row.comment, row.updated_at = entry.value, entry.comment, now
    if after:
        _record(
            "respondents.answers_saved",
            locked,
            user,
            before={"respondent": user.name, "respondent_answers": before},
            after={"respondent": user.name, "respondent_answers": after},
        )
    db.session.commit()
    return len(after)


def settle(
    assessment: Assessment, question: SnapshotQuestion, respondent_id: int, by: User
) -> bool:
    """Make respondent ``respondent_id``'s answer to ``question`` the assessment's real answer
    (only the lead may); False if it already was. The respondent's comment goes with it when
    they wrote one; otherwise the real answer keeps its comment, so no evidence is lost."""
    locked = _locked_editable(assessment)
    setting = setting_of(locked)
    if setting is None:
        raise RespondentsRefused(
            "Several respondents has been switched off for this self-assessment."
        )
    if setting.lead_id != by.id:
        raise RespondentsRefused("Only the lead can settle the answers.")
    chosen = db.session.execute(
        select(RespondentAnswer, User.name)
        .join(User, RespondentAnswer.user_id == User.id)
        .where(
            RespondentAnswer.assessment_id == locked.id,
            RespondentAnswer.question_id == question.id,
            RespondentAnswer.user_id == respondent_id,
        )
    ).first()
    if chosen is None or chosen[0].value is None:
        raise RespondentsRefused("Choose one of the respondents' answers to this question")
    given, name = chosen
    real = db.session.scalar(
        select(Answer).where(Answer.assessment_id == locked.id, Answer.question_id == question.id)
    )
    current = Entry(real.value, real.comment) if real else Entry()
    settled = Entry(given.value, given.comment or current.comment)
    if settled == current and not (real and real.carried_over):
        return False
    code = code_of(question)
    write_answers(
        locked,
        {code: question},
        {code: current},
        {code: settled},
        by,
        "assessment.answer_settled",
        {"question": code, "settled_from_id": respondent_id, "settled_from": name},
    )
    db.session.commit()
    return True
