"""An alliance's standards: the targets, core flags and standards that apply in its next cycle.

The coordinator starts from the framework's defaults and changes a standard with a reason. The
settings are a working copy: they take effect when the next cycle opens (``assessments.variants``
copies them into the cycle's snapshot), so an open or past cycle never changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from .. import audit
from ..access import RecordMissing
from ..assessments.snapshots import load_snapshot
from ..assessments.variants import (
    SettingsRefused,
    adjustments_from,
    alliance_settings,
    check_adjustments,
)
from ..assessments.versions import (
    UnknownVersion,
    VersionChoice,
    available_versions,
    find_version,
    snapshot_of,
)
from ..extensions import db
from ..models import (
    Alliance,
    AllianceStandardSetting,
    Cycle,
    CycleState,
    FrameworkSnapshot,
    SnapshotStandard,
    User,
)
from ..models._types import utcnow

__all__ = ["SettingsRefused"]


@dataclass(frozen=True)
class VersionSummary:
    """A framework version in the question bank and how many standards the alliance changed."""

    choice: VersionChoice
    changed: int


@dataclass(frozen=True)
class StandardRow:
    """One standard as published and as the alliance set it."""

    standard: SnapshotStandard
    domain_name: str
    setting: AllianceStandardSetting | None

    @property
    def applies(self) -> bool:
        return self.setting.applies if self.setting else True

    @property
    def target(self) -> float:
        return self.setting.target if self.setting else self.standard.target

    @property
    def core(self) -> bool:
        return self.setting.core if self.setting else self.standard.core

    @property
    def changed(self) -> bool:
        return (
            not self.applies
            or self.target != self.standard.target
            or self.core != self.standard.core
        )


@dataclass(frozen=True)
class VersionSettings:
    """A framework version's standards for one alliance, and the cycle they would apply to."""

    choice: VersionChoice
    snapshot: FrameworkSnapshot
    rows: list[StandardRow]
    open_cycle: Cycle | None

    @property
    def changed(self) -> list[StandardRow]:
        return [row for row in self.rows if row.changed]

    def row(self, code: str) -> StandardRow:
        for row in self.rows:
            if row.standard.code == code:
                return row
        raise RecordMissing("no such standard in this framework version")


def versions(alliance: Alliance, questions_dir: Path) -> list[VersionSummary]:
    """The framework versions a cycle can use, with the number of standards the alliance set."""
    counts = dict(
        db.session.execute(
            select(
                AllianceStandardSetting.framework_key + "@" + AllianceStandardSetting.version,
                func.count(),
            )
            .where(AllianceStandardSetting.alliance_id == alliance.id)
            .group_by(AllianceStandardSetting.framework_key, AllianceStandardSetting.version)
        ).all()
    )
    return [
        VersionSummary(choice, int(counts.get(f"{choice.framework_id}@{choice.version}", 0)))
        for choice in available_versions(alliance.id, questions_dir)
    ]


def version_choice(alliance: Alliance, questions_dir: Path, key: str) -> VersionChoice:
    """The version ``key`` names for this alliance; RecordMissing (a 404) if it has none."""
    try:
        return find_version(alliance.id, questions_dir, key)
    except UnknownVersion as unknown:
        raise RecordMissing("no such framework version") from unknown


def version_settings(alliance: Alliance, questions_dir: Path, key: str) -> VersionSettings:
    """The alliance's settings for the version ``key`` names (RecordMissing if the alliance
    has no such version to use).

    The version is imported on first use, exactly as opening a cycle would import it, so the
    defaults shown are the ones a cycle would snapshot.
    """
    choice = version_choice(alliance, questions_dir, key)
    snapshot = load_snapshot(snapshot_of(choice, questions_dir).id)
    db.session.commit()
    settings = alliance_settings(alliance.id, snapshot.framework_key, snapshot.version)
    rows = [
        StandardRow(standard, domain.name, settings.get(standard.code))
        for domain in snapshot.domains
        for standard in domain.standards
    ]
    open_cycle = db.session.scalar(
        select(Cycle).where(Cycle.alliance_id == alliance.id, Cycle.state == CycleState.OPEN)
    )
    return VersionSettings(choice, snapshot, rows, open_cycle)


def change_setting(
    alliance: Alliance,
    version: VersionSettings,
    code: str,
    *,
    applies: bool,
    target: float,
    core: bool,
    reason: str,
    user: User,
) -> None:
    """Set one standard's target, core flag and whether it applies, with the reason; audited.

    Setting a standard back to the framework's defaults removes the alliance's row (the audit
    keeps what it was). Refused if it would switch off every standard, or if the target is not
    a level of the framework's scale.
    """
    row = version.row(code)
    levels = {float(level["level"]) for level in version.snapshot.scale}
    if float(target) not in levels:
        raise SettingsRefused("Choose a target that is a level of the framework's scale.")
    snapshot = version.snapshot
    existing = row.setting
    before = _values(existing)
    at_defaults = applies and target == row.standard.target and core == row.standard.core
    proposed = {
        r.standard.code: r.setting for r in version.rows if r.setting and r.standard.code != code
    }
    if not at_defaults:
        proposed[code] = AllianceStandardSetting(
            target=target, core=core, applies=applies, reason=reason
        )
    check_adjustments(
        snapshot,
        adjustments_from((s for d in snapshot.domains for s in d.standards), proposed),
    )
    if at_defaults:
        if existing is not None:
            db.session.delete(existing)
    elif existing is None:
        db.session.add(
            AllianceStandardSetting(
                alliance_id=alliance.id,
                framework_key=snapshot.framework_key,
                version=snapshot.version,
                standard_code=code,
                target=target,
                core=core,
                applies=applies,
                reason=reason,
                updated_by_id=user.id,
            )
        )
    else:
        existing.target, existing.core, existing.applies = target, core, applies
        existing.reason, existing.updated_by_id, existing.updated_at = reason, user.id, utcnow()
    audit.record(
        "standard_setting.changed",
        "alliance",
        alliance.id,
        before={"standard": code, "version": snapshot.version, **before},
        after={
            "standard": code,
            "version": snapshot.version,
            "applies": applies,
            "target": target,
            "core": core,
            "defaults": at_defaults,
            "reason": reason,
        },
        alliance_id=alliance.id,
        actor_id=user.id,
    )
    db.session.commit()


def _values(setting: AllianceStandardSetting | None) -> dict[str, Any]:
    if setting is None:
        return {"defaults": True}
    return {
        "applies": setting.applies,
        "target": setting.target,
        "core": setting.core,
        "reason": setting.reason,
    }
