"""The conflict check's three-way merge, without Flask or a database."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from selfassess.assessments.drafts import EMPTY, Entry, decode_seen, encode_seen, merge

A = Entry("3", "Board minutes")
B = Entry("4", "Board minutes")
C = Entry("2", None)


def _seen(**entries: Entry) -> dict[str, str]:
    return decode_seen(encode_seen(entries))


def test_entry_of_treats_blank_and_whitespace_as_none():
    assert Entry.of("  3 ", "\n evidence \t") == Entry("3", "evidence")
    assert Entry.of("", "   ") == EMPTY
    assert Entry.of(None, None) == EMPTY
    assert Entry.of(" ", None).fingerprint == EMPTY.fingerprint


def test_fingerprint_tells_value_from_comment():
    assert Entry("3", None).fingerprint != Entry(None, "3").fingerprint
    assert Entry("3", "a").fingerprint != Entry("3", "b").fingerprint
    assert Entry("a", "bc").fingerprint != Entry("ab", "c").fingerprint


def test_a_change_to_an_answer_nobody_else_touched_is_written():
    result = merge(_seen(q=A), {"q": A}, {"q": B})
    assert result.writes == {"q": B}
    assert not result.conflicts and not result.theirs_kept and not result.untouched


def test_a_new_answer_to_a_blank_question_is_written():
    result = merge(_seen(q=EMPTY), {}, {"q": A})
    assert result.writes == {"q": A}


def test_clearing_an_answer_is_written_as_blank():
    result = merge(_seen(q=A), {"q": A}, {"q": EMPTY})
    assert result.writes == {"q": EMPTY}


def test_an_unchanged_answer_is_untouched():
    result = merge(_seen(q=A, r=EMPTY), {"q": A}, {"q": A, "r": EMPTY})
    assert result.untouched == ["q", "r"]
    assert not result.writes and not result.conflicts and not result.theirs_kept


def test_both_making_the_same_change_is_not_a_conflict():
    result = merge(_seen(q=A), {"q": B}, {"q": B})
    assert result.untouched == ["q"]
    assert not result.writes and not result.conflicts


def test_their_change_to_an_answer_i_left_alone_is_kept():
    result = merge(_seen(q=A), {"q": B}, {"q": A})
    assert result.theirs_kept == ["q"]
    assert not result.writes and not result.conflicts


def test_their_new_answer_where_i_left_the_question_blank_is_kept():
    result = merge(_seen(q=EMPTY), {"q": B}, {"q": EMPTY})
    assert result.theirs_kept == ["q"]
    assert not result.writes


def test_different_changes_to_the_same_answer_conflict():
    result = merge(_seen(q=A), {"q": B}, {"q": C})
    assert result.conflicts == ["q"]
    assert "q" not in result.writes


def test_a_changed_comment_alone_is_a_change():
    mine = Entry("3", "Board minutes, March")
    assert merge(_seen(q=A), {"q": A}, {"q": mine}).writes == {"q": mine}
    assert merge(_seen(q=A), {"q": Entry("3", "Other")}, {"q": mine}).conflicts == ["q"]


def test_mixed_section_sorts_each_question_and_keeps_my_order():
    seen = _seen(w=A, u=A, s=A, t=A, c=A)
    current = {"w": A, "u": A, "s": B, "t": B, "c": B}
    mine = {"c": C, "t": A, "s": B, "u": A, "w": C}
    result = merge(seen, current, mine)
    assert result.writes == {"w": C}
    assert result.untouched == ["s", "u"]
    assert result.theirs_kept == ["t"]
    assert result.conflicts == ["c"]


def test_a_question_missing_from_seen_counts_as_seen_blank():
    # Someone stored an answer; a page that never recorded seeing it must not replace it.
    assert merge({}, {"q": A}, {"q": B}).conflicts == ["q"]
    assert merge({}, {"q": A}, {"q": EMPTY}).theirs_kept == ["q"]
    assert merge({}, {"q": A}, {"q": A}).untouched == ["q"]
    # ...and a blank question it never saw can still be answered.
    assert merge({}, {}, {"q": A}).writes == {"q": A}


def test_tampered_seen_never_overwrites_stored_answers():
    for garbage in ("not json", "[1, 2]", "42", '"text"', "", None, '{"q": 5}', "{"):
        seen = decode_seen(garbage)
        assert seen == {}
        assert merge(seen, {"q": A}, {"q": B}).conflicts == ["q"]


def test_decode_seen_keeps_only_string_fingerprints():
    text = json.dumps({"1": "abc", "2": 3, "3": None, "4": ["x"], "5": "def"})
    assert decode_seen(text) == {"1": "abc", "5": "def"}


def test_a_forged_fingerprint_matching_nothing_is_a_conflict_not_a_write():
    assert merge({"q": "0" * 20}, {"q": A}, {"q": B}).conflicts == ["q"]


def test_encode_seen_is_compact_sorted_json_of_fingerprints():
    text = encode_seen({"2": B, "10": A})
    assert json.loads(text) == {"10": A.fingerprint, "2": B.fingerprint}
    assert " " not in text
    assert list(json.loads(text)) == ["10", "2"]


texts = st.one_of(st.none(), st.text(max_size=20))
entries = st.builds(Entry.of, texts, texts)
keys = st.sampled_from(["1", "2", "3", "4"])
SETTINGS = settings(database=None, deadline=None, max_examples=200)


@SETTINGS
@given(
    st.dictionaries(keys, entries), st.dictionaries(keys, entries), st.dictionaries(keys, entries)
)
def test_merge_properties(seen_entries, current, mine):
    seen = decode_seen(encode_seen(seen_entries))
    result = merge(seen, current, mine)
    groups = [list(result.writes), result.conflicts, result.theirs_kept, result.untouched]
    # Every question I sent lands in exactly one group.
    assert sorted(k for g in groups for k in g) == sorted(mine)
    for key in result.writes:
        # Only answers nobody else changed are written, and only when I changed them.
        assert current.get(key, EMPTY).fingerprint == seen_entries.get(key, EMPTY).fingerprint
        assert result.writes[key] == mine[key]
        assert mine[key].fingerprint != current.get(key, EMPTY).fingerprint
    for key in result.conflicts:
        assert (
            len(
                {
                    mine[key].fingerprint,
                    current.get(key, EMPTY).fingerprint,
                    seen_entries.get(key, EMPTY).fingerprint,
                }
            )
            == 3
        )
    for key in result.theirs_kept:
        assert mine[key].fingerprint == seen_entries.get(key, EMPTY).fingerprint
    # Applying the writes loses nobody's change: each answer ends as mine or theirs.
    final = {**current, **result.writes}
    for key in mine:
        if key not in result.conflicts:
            assert final.get(key, EMPTY).fingerprint in {
                mine[key].fingerprint,
                current.get(key, EMPTY).fingerprint,
            }
            if key not in result.theirs_kept:
                assert final.get(key, EMPTY).fingerprint == mine[key].fingerprint


@SETTINGS
@given(st.dictionaries(keys, entries))
def test_saving_what_was_seen_changes_nothing(entries_seen):
    result = merge(decode_seen(encode_seen(entries_seen)), entries_seen, dict(entries_seen))
    assert not result.writes and not result.conflicts and not result.theirs_kept
