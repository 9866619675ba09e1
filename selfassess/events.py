"""What happened, told to whoever listens: the core and the features announce their changes here
and the notifications feature listens, so neither imports the other.

Listeners run at once, inside the announcer's transaction: what they write (a notification, an
outbox email) commits or rolls back with the change itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AssessmentSubmitted:
    """A trust submitted its assessment for review."""

    assessment_id: int
    actor_id: int | None


@dataclass(frozen=True)
class AssessmentReturned:
    """A coordinator sent an assessment back for revision, saying why."""

    assessment_id: int
    comment: str


@dataclass(frozen=True)
class AssessmentValidated:
    """A coordinator accepted an assessment as final."""

    assessment_id: int


@dataclass(frozen=True)
class CycleOpened:
    """A coordinator opened a cycle; its members now have assessments to complete."""

    cycle_id: int
    actor_id: int | None


@dataclass(frozen=True)
class DeadlineExtended:
    """A coordinator gave one member longer than the cycle's closing date."""

    assessment_id: int


@dataclass(frozen=True)
class SectionAssigned:
    """A trust user made a colleague the owner of a section of their trust's assessment."""

    assessment_id: int
    section: str
    owner_id: int
    actor_id: int | None


@dataclass(frozen=True)
class PanelistNominated:
    """A coordinator put a peer reviewer on a submitted self-assessment's moderation panel."""

    assessment_id: int
    user_id: int
    trust_id: int
    actor_id: int | None


@dataclass(frozen=True)
class PairChanged:
    """A buddying pair was proposed, started, completed or ended."""

    pair_id: int
    status: str
    actor_id: int | None


@dataclass(frozen=True)
class RoleGranted:
    """A user was given a role (always by accepting an invitation)."""

    user_id: int
    role: str
    alliance_id: int | None
    trust_id: int | None


Event = (
    AssessmentSubmitted
    | AssessmentReturned
    | AssessmentValidated
    | CycleOpened
    | DeadlineExtended
    | SectionAssigned
    | PanelistNominated
    | PairChanged
    | RoleGranted
)
_listeners: dict[type[Any], list[Callable[[Any], None]]] = {}


def listen(kind: type[Any], listener: Callable[[Any], None]) -> None:
    """Call ``listener(event)`` for every ``kind`` of event published (once, however often
    it is registered: each app the process creates registers again)."""
    listeners = _listeners.setdefault(kind, [])
    if listener not in listeners:
        listeners.append(listener)


def publish(event: Event) -> None:
    """Tell every listener of this kind of event, in the caller's transaction."""
    for listener in _listeners.get(type(event), []):
        listener(event)
