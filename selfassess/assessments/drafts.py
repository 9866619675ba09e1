"""The conflict check for saving answers: three-way merge of what was seen, what is stored now
and what this person typed. Plain Python, no Flask or database.

Every answer is keyed by its ``QuestionCode`` (``GOV-1.1``) from the page or workbook to the
stored row and the audit trail: the one key of the save path, unique within a framework version.

A section page carries a fingerprint of every answer as it was when the page was loaded. On save:

* an answer nobody else changed since is written if this person changed it;
* an answer someone else changed that this person left alone keeps the other person's version
  (nothing of theirs is overwritten, nothing of this person's is lost);
* an answer both changed, differently, is a conflict: nothing in the section is written, and the
  page shows both versions so this person can reconcile them and save again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from typing import NewType, Protocol

from ..control_characters import without_controls

#: A question's code in its framework version ("GOV-1.1"): how answers are keyed while saving.
QuestionCode = NewType("QuestionCode", str)


class HasCode(Protocol):
    """Anything with a question code: a snapshot question."""

    @property
    def code(self) -> str: ...


def code_of(question: HasCode) -> QuestionCode:
    """The key of ``question``'s answer."""
    return QuestionCode(question.code)


@dataclass(frozen=True)
class Entry:
    """One answer as text: the value and the evidence comment, ``None`` when blank (``of``
    also drops control characters, so an answer compares and exports without them)."""

    value: str | None = None
    comment: str | None = None

    @classmethod
    def of(cls, value: str | None, comment: str | None) -> Entry:
        return cls(_blank_to_none(value), _blank_to_none(comment))

    @functools.cached_property
    def fingerprint(self) -> str:
        """A short hash of the answer: a save compares each answer's several times."""
        payload = json.dumps([self.value or "", self.comment or ""], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


EMPTY = Entry()


def _blank_to_none(text: str | None) -> str | None:
    if text is None:
        return None
    text = without_controls(text).strip()
    return text or None


def encode_seen(entries: dict[QuestionCode, Entry]) -> str:
    """The hidden form value recording what the page showed, question code -> fingerprint."""
    return json.dumps(
        {key: entry.fingerprint for key, entry in sorted(entries.items())}, separators=(",", ":")
    )


def decode_seen(text: str | None) -> dict[str, str]:
    """Read the hidden value back; anything malformed counts as having seen nothing."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


@dataclass
class Merge:
    """What a save should do: ``writes`` to store, ``conflicts`` that stop it, and answers
    changed by someone else that this person left alone (``theirs_kept``)."""

    writes: dict[QuestionCode, Entry] = field(default_factory=dict)
    conflicts: list[QuestionCode] = field(default_factory=list)
    theirs_kept: list[QuestionCode] = field(default_factory=list)
    untouched: list[QuestionCode] = field(default_factory=list)


def merge(
    seen: dict[QuestionCode, str],
    current: dict[QuestionCode, Entry],
    mine: dict[QuestionCode, Entry],
) -> Merge:
    """Three-way merge, per question, in the order of ``mine``.

    A question missing from ``seen`` (a tampered or very old page) is taken as seen empty, so an
    answer stored since is never silently replaced.
    """
    result = Merge()
    for key, entry in mine.items():
        stored = current.get(key, EMPTY)
        seen_print = seen.get(key, EMPTY.fingerprint)
        if stored.fingerprint == seen_print:
            if entry.fingerprint != stored.fingerprint:
                result.writes[key] = entry
            else:
                result.untouched.append(key)
        elif entry.fingerprint == stored.fingerprint:
            result.untouched.append(key)  # both made the same change
        elif entry.fingerprint == seen_print:
            result.theirs_kept.append(key)
        else:
            result.conflicts.append(key)
    return result
