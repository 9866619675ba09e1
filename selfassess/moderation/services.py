"""Moderation use cases for the pages: each calls the core once and commits, or rolls back
whatever a refused decision had begun."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..assessments import moderation as core
from ..assessments.evidence import files_by_question
from ..extensions import db
from ..models import Alliance, Assessment, EvidenceFile, ModerationPanelist, Trust, User
from ..questionnaire.services import CheckSection, check_answers


@dataclass(frozen=True)
class ModerationPage:
    """Everything the panel reads to moderate one self-assessment."""

    standards: list[core.StandardToModerate]
    sections: list[CheckSection]
    files: dict[str, list[EvidenceFile]]
    panel: list[ModerationPanelist]

    @property
    def decided(self) -> int:
        return sum(1 for s in self.standards if s.decided is not None)

    @property
    def to_decide(self) -> int:
        """Scored standards still waiting for the panel (validation waits for them)."""
        return sum(1 for s in self.standards if s.decided is None and s.own is not None)


def page(assessment: Assessment) -> ModerationPage:
    """The standards with the member's scores and the panel's decisions, and the answers."""
    return ModerationPage(
        standards=core.standards_to_moderate(assessment),
        sections=check_answers(assessment),
        files=files_by_question(assessment.id),
        panel=core.panel(assessment),
    )


def switch(alliance: Alliance, on: bool) -> bool:
    """Switch the alliance's moderation on or off; returns whether it changed."""
    changed = core.set_moderation(alliance, on)
    db.session.commit()
    return changed


def decide(assessment: Assessment, user: User, chosen: Mapping[str, core.Decision]) -> int:
    """Record the panel's decisions; refused ones change nothing (ModerationRefused)."""
    try:
        changed = core.record_decisions(assessment, user, chosen)
    except core.ModerationRefused:
        db.session.rollback()
        raise
    db.session.commit()
    return changed


def problems(assessment: Assessment, chosen: Mapping[str, core.Decision]) -> dict[str, str]:
    """What is wrong with each decision, storing nothing."""
    return core.problems(assessment, chosen)


def nominate(assessment: Assessment, user_id: int, by: User) -> ModerationPanelist:
    """Put a peer reviewer on the assessment's panel."""
    panelist = core.nominate(assessment, user_id, by)
    db.session.commit()
    return panelist


def remove(assessment: Assessment, panelist_id: int) -> None:
    """Take a peer reviewer off the assessment's panel."""
    core.remove_panelist(assessment, panelist_id)
    db.session.commit()


def to_moderate(user: User, trust: Trust) -> list[Assessment]:
    """The submitted self-assessments the user is nominated to moderate for ``trust``."""
    return core.panel_assessments(user, trust.id)
