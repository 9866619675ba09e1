"""Answers are keyed by question code through the save path (issue #14, point 5), and a page
loaded before that change, whose hidden "seen" is keyed by question id, still saves safely."""

from __future__ import annotations

from types import SimpleNamespace

from selfassess.assessments.drafts import Entry, QuestionCode, merge
from selfassess.questionnaire.sections import StoredAnswer, seen_by_value

GOV = SimpleNamespace(id=17, code="GOV-1.1")
DAT = SimpleNamespace(id=42, code="DAT-2.3")
QUESTIONS = [GOV, DAT]
OLD, THEIRS, MINE = Entry.of("2", None), Entry.of("4", None), Entry.of("3", None)


def _stored(entry: Entry, legacy: str | None = None) -> StoredAnswer:
    return StoredAnswer(entry, False, "Someone", None, legacy)


def test_seen_keyed_by_code_is_taken_as_it_is():
    seen = {"GOV-1.1": OLD.fingerprint}
    assert seen_by_value(seen, {}, QUESTIONS) == {QuestionCode("GOV-1.1"): OLD.fingerprint}


def test_a_page_from_before_codes_is_read_by_question_id():
    seen = {"17": OLD.fingerprint, "42": Entry().fingerprint}
    assert seen_by_value(seen, {}, QUESTIONS) == {
        "GOV-1.1": OLD.fingerprint,
        "DAT-2.3": Entry().fingerprint,
    }


def test_an_old_page_still_sees_a_conflict_with_a_newer_answer():
    """Someone else changed GOV-1.1 after the old page was loaded; the old page changes it too:
    a conflict, nothing written, exactly as with a page keyed by code."""
    current = {QuestionCode("GOV-1.1"): THEIRS}
    stored = {QuestionCode("GOV-1.1"): _stored(THEIRS)}
    for seen in ({"17": OLD.fingerprint}, {"GOV-1.1": OLD.fingerprint}):
        result = merge(
            seen_by_value(seen, stored, QUESTIONS), current, {QuestionCode("GOV-1.1"): MINE}
        )
        assert result.conflicts == ["GOV-1.1"] and result.writes == {}


def test_keys_naming_no_question_of_the_page_are_dropped():
    seen = {"999": OLD.fingerprint, "NOPE-1.1": OLD.fingerprint, "GOV-1.1": OLD.fingerprint}
    assert seen_by_value(seen, {}, QUESTIONS) == {"GOV-1.1": OLD.fingerprint}


def test_a_code_and_an_id_for_one_question_keep_the_first_given():
    seen = {"GOV-1.1": OLD.fingerprint, "17": THEIRS.fingerprint}
    assert seen_by_value(seen, {}, QUESTIONS) == {"GOV-1.1": OLD.fingerprint}


def test_a_fingerprint_of_the_stored_form_counts_as_seeing_the_canonical_value():
    raw, canonical = Entry.of("100.0", None), Entry.of("100", None)
    stored = {QuestionCode("DAT-2.3"): _stored(canonical, legacy=raw.fingerprint)}
    translated = seen_by_value({"42": raw.fingerprint}, stored, QUESTIONS)
    assert translated == {"DAT-2.3": canonical.fingerprint}
