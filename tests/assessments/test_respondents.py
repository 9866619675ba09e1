"""Several respondents in the core: switching it, respondents' own answers, settling; audited.

Every case runs on SQLite and, with ``TEST_DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from selfassess.assessments import respondents
from selfassess.assessments.answers import NotEditable
from selfassess.assessments.drafts import Entry, QuestionCode
from selfassess.assessments.revisions import since_return
from selfassess.extensions import db
from selfassess.models import AuditEvent, RespondentAnswer, RespondentsSetting


def _events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _give(qa, user, code: str, value: str | None, comment: str | None = None) -> int:
    question = qa.question(code)
    return respondents.save_own_answers(
        qa.assessment,
        {QuestionCode(code): question},
        {QuestionCode(code): Entry.of(value, comment)},
        user,
    )


def test_switching_on_names_a_colleague_as_lead_and_is_audited(qa):
    assert respondents.switch_on(qa.assessment, qa.colleague.id, qa.user) is True
    setting = respondents.setting_of(qa.assessment)
    assert setting is not None and setting.lead_id == qa.colleague.id
    [event] = _events("respondents.switched_on")
    assert event.actor_id == qa.user.id
    assert event.before == {"on": False, "lead_id": None}
    assert event.after == {"on": True, "lead_id": qa.colleague.id, "lead": "Bob Brown"}
    # The same again changes nothing; a new lead is its own audited change.
    assert respondents.switch_on(qa.assessment, qa.colleague.id, qa.user) is False
    assert respondents.switch_on(qa.assessment, qa.user.id, qa.colleague) is True
    assert _events("respondents.lead_changed")[0].after["lead"] == "Alice Adams"


def test_the_lead_must_be_a_colleague(qa, make_user, make_trust, make_membership):
    other = make_trust()
    make_membership(qa.alliance, other)
    outsider = make_user(("trust_user", other))
    for nobody in (outsider.id, 987654):
        with pytest.raises(respondents.RespondentsRefused, match="Choose the lead"):
            respondents.switch_on(qa.assessment, nobody, qa.user)
    db.session.rollback()
    assert respondents.setting_of(qa.assessment) is None
    assert _events("respondents.switched_on") == []


def test_switching_off_keeps_respondents_answers_and_is_audited(qa):
    respondents.switch_on(qa.assessment, qa.user.id, qa.user)
    _give(qa, qa.colleague, "REL-1.1", "2")
    assert respondents.switch_off(qa.assessment, qa.user) is True
    assert respondents.setting_of(qa.assessment) is None
    assert db.session.scalar(select(RespondentAnswer.value)) == "2"
    [event] = _events("respondents.switched_off")
    assert event.after == {"on": False, "respondent_answers_kept": 1}
    assert respondents.switch_off(qa.assessment, qa.user) is False
    # While off, nobody's own answers can be saved.
    with pytest.raises(respondents.RespondentsRefused):
        _give(qa, qa.colleague, "REL-1.1", "4")


def test_own_answers_are_stored_per_person_and_audited_apart_from_the_real_answers(qa):
    respondents.switch_on(qa.assessment, qa.user.id, qa.user)
    assert _give(qa, qa.user, "REL-1.1", "4", "Board minutes") == 1
    assert _give(qa, qa.colleague, "REL-1.1", "2") == 1
    assert _give(qa, qa.colleague, "REL-1.1", "2") == 0  # unchanged: nothing written
    given = respondents.given_answers(qa.assessment, [qa.question("REL-1.1")])["REL-1.1"]
    assert [(g.name, g.entry) for g in given] == [
        ("Alice Adams", Entry("4", "Board minutes")),
        ("Bob Brown", Entry("2", None)),
    ]
    assert qa.stored() == {}  # the assessment's own answers are untouched
    events = _events("respondents.answers_saved")
    assert [e.actor_id for e in events] == [qa.user.id, qa.colleague.id]
    assert events[0].after["respondent_answers"] == {
        "REL-1.1": {"value": "4", "comment": "Board minutes"}
    }
    assert all("answers" not in (e.after or {}) for e in events)
    # Blanking one's answer removes it.
    assert _give(qa, qa.colleague, "REL-1.1", None) == 1
    assert [
        g.name
        for g in respondents.given_answers(qa.assessment, [qa.question("REL-1.1")])["REL-1.1"]
    ] == ["Alice Adams"]


def test_settling_writes_the_real_answer_through_write_answers_and_says_whose(qa):
    respondents.switch_on(qa.assessment, qa.user.id, qa.user)
    _give(qa, qa.colleague, "REL-1.1", "2", "Our MoU")
    question = qa.question("REL-1.1")
    assert respondents.settle(qa.assessment, question, qa.colleague.id, qa.user) is True
    stored = qa.stored()["REL-1.1"]
    assert (stored.value, stored.comment, stored.updated_by_id) == ("2", "Our MoU", qa.user.id)
    assessment = qa.fresh_assessment()
    assert assessment.state == "in_progress" and assessment.version == 2
    [event] = _events("assessment.answer_settled")
    assert event.actor_id == qa.user.id
    assert event.after["settled_from_id"] == qa.colleague.id
    assert event.after["settled_from"] == "Bob Brown"
    assert event.before["answers"] == {"REL-1.1": {"value": None, "comment": None}}
    assert event.after["answers"] == {"REL-1.1": {"value": "2", "comment": "Our MoU"}}
    # Settling the same answer again changes nothing.
    assert respondents.settle(qa.assessment, question, qa.colleague.id, qa.user) is False


def test_settling_keeps_the_real_comment_when_the_respondent_wrote_none(qa):
    respondents.switch_on(qa.assessment, qa.user.id, qa.user)
    question = qa.question("REL-1.1")
    _give(qa, qa.colleague, "REL-1.1", "3", "Evidence A")
    respondents.settle(qa.assessment, question, qa.colleague.id, qa.user)
    _give(qa, qa.user, "REL-1.1", "4")
    respondents.settle(qa.assessment, question, qa.user.id, qa.user)
    stored = qa.stored()["REL-1.1"]
    assert (stored.value, stored.comment) == ("4", "Evidence A")


def test_only_the_lead_settles_and_only_a_given_answer_of_this_assessment(qa):
    respondents.switch_on(qa.assessment, qa.user.id, qa.user)
    _give(qa, qa.colleague, "REL-1.1", "2")
    question = qa.question("REL-1.1")
    with pytest.raises(respondents.RespondentsRefused, match="Only the lead"):
        respondents.settle(qa.assessment, question, qa.colleague.id, qa.colleague)
    db.session.rollback()
    with pytest.raises(respondents.RespondentsRefused, match="Choose one of"):
        respondents.settle(qa.assessment, qa.question("REL-2.1"), qa.colleague.id, qa.user)
    db.session.rollback()
    with pytest.raises(respondents.RespondentsRefused, match="Choose one of"):
        respondents.settle(qa.assessment, question, qa.user.id, qa.user)  # the lead gave none
    db.session.rollback()
    assert qa.stored() == {}
    assert _events("assessment.answer_settled") == []


def test_nothing_changes_once_submitted(qa):
    respondents.switch_on(qa.assessment, qa.user.id, qa.user)
    _give(qa, qa.colleague, "REL-1.1", "2")
    qa.assessment.state = "submitted"
    db.session.commit()
    question = qa.question("REL-1.1")
    for attempt in (
        lambda: respondents.switch_off(qa.assessment, qa.user),
        lambda: respondents.switch_on(qa.assessment, qa.colleague.id, qa.user),
        lambda: _give(qa, qa.user, "REL-1.1", "5"),
        lambda: respondents.settle(qa.assessment, question, qa.colleague.id, qa.user),
    ):
        with pytest.raises(NotEditable):
            attempt()
        db.session.rollback()
    assert db.session.scalar(select(RespondentsSetting.lead_id)) == qa.user.id
    assert qa.stored() == {}


def test_respondents_answers_are_not_changes_since_a_return(qa):
    """What changed since a return reads ``answers`` in the audit; respondents' own saves are
    not the assessment's answers, a settled answer is."""
    from selfassess.audit import record

    record("assessment.return", "assessment", qa.assessment.id, after={"comment": "Revise"})
    db.session.commit()
    respondents.switch_on(qa.assessment, qa.user.id, qa.user)
    _give(qa, qa.colleague, "REL-1.1", "2")
    assert since_return(qa.fresh_assessment())[1] == []
    respondents.settle(qa.assessment, qa.question("REL-1.1"), qa.colleague.id, qa.user)
    [revision] = since_return(qa.fresh_assessment())[1]
    assert (revision.code, revision.value_then, revision.value_now) == ("REL-1.1", None, "2")
