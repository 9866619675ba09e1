"""The demo alliances' own standards: stored as a coordinator's settings page stores them, and
the snapshot variants their cycles use (``assessments.variants``)."""

from __future__ import annotations

from ..assessments.snapshots import load_snapshot
from ..assessments.variants import snapshot_for_alliance
from ..extensions import db
from ..models import Alliance, AllianceStandardSetting, FrameworkSnapshot, SnapshotQuestion
from .data import DemoSetting


def member_questions(snapshot: FrameworkSnapshot) -> list[tuple[SnapshotQuestion, str]]:
    """The questions members answer (alliance facts are left for the coordinator's profile)."""
    return [
        (q, s.code)
        for d in snapshot.domains
        for s in d.standards
        for q in s.questions
        if q.answered_by == "member"
    ]


def alliance_snapshots(
    alliance: Alliance,
    settings: tuple[DemoSetting, ...],
    published: dict[str, tuple[FrameworkSnapshot, list[tuple[SnapshotQuestion, str]]]],
) -> dict[str, tuple[FrameworkSnapshot, list[tuple[SnapshotQuestion, str]]]]:
    """The alliance's own settings stored as its coordinator would, and the snapshot variants
    its cycles then use, per framework folder (only folders it set something on)."""
    if not settings:
        return {}
    db.session.flush()  # the alliance's id
    for setting in settings:
        base = published[setting.framework][0]
        db.session.add(
            AllianceStandardSetting(
                alliance_id=alliance.id,
                framework_key=base.framework_key,
                version=base.version,
                standard_code=setting.standard,
                applies=setting.applies,
                target=setting.target,
                core=setting.core,
                reason=setting.reason,
            )
        )
    db.session.flush()
    own = {}
    for folder in dict.fromkeys(s.framework for s in settings):
        variant = load_snapshot(snapshot_for_alliance(published[folder][0], alliance.id).id)
        own[folder] = (variant, member_questions(variant))
    return own
