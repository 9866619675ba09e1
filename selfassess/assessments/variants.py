"""Snapshot variants: a published framework version as one alliance set it for a cycle.

In the membership model the alliance decides the standards its members are held to (003 §2.6):
each coordinator may change a standard's benchmark target, whether it is core, and whether it
applies at all (``AllianceStandardSetting``). When a cycle opens, those settings are copied into
an immutable variant of the snapshot, so everything downstream (questionnaire, scoring, peer
figures, reports, exports) reads the alliance's standards from the cycle's snapshot and no later
edit rewrites a past cycle. An alliance that changed nothing uses the published snapshot itself.

Variants are content-addressed like published snapshots: the same settings give the same variant,
so reopening with unchanged settings reuses it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import (
    AllianceStandardSetting,
    FrameworkSnapshot,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
)
from .snapshots import load_snapshot

#: The fields of a standard an alliance may set, in the order they are described.
SETTABLE = ("applies", "target", "core")


class SettingsRefused(ValueError):
    """The settings would leave a framework no cycle could be run on."""


def alliance_settings(
    alliance_id: int, framework_key: str, version: str
) -> dict[str, AllianceStandardSetting]:
    """The alliance's settings for one framework version, by standard code."""
    rows = db.session.scalars(
        select(AllianceStandardSetting).where(
            AllianceStandardSetting.alliance_id == alliance_id,
            AllianceStandardSetting.framework_key == framework_key,
            AllianceStandardSetting.version == version,
        )
    )
    return {row.standard_code: row for row in rows}


def adjustments_from(
    standards: Iterable[SnapshotStandard], settings: Mapping[str, AllianceStandardSetting]
) -> dict[str, dict[str, Any]]:
    """What each setting changes from the published defaults, with its reason.

    A setting equal to the defaults changes nothing and is left out, so the variant's identity
    depends only on what differs.
    """
    changes: dict[str, dict[str, Any]] = {}
    for standard in standards:
        setting = settings.get(standard.code)
        if setting is None:
            continue
        change: dict[str, Any] = {}
        if not setting.applies:
            change["applies"] = False
        if float(setting.target) != float(standard.target):
            change["target"] = [float(standard.target), float(setting.target)]
        if bool(setting.core) != bool(standard.core):
            change["core"] = [bool(standard.core), bool(setting.core)]
        if change:
            change["reason"] = setting.reason
            change["statement"] = standard.statement  # for pages listing a standard left out
            changes[standard.code] = change
    return changes


def adjustments_of(snapshot_id: int) -> dict[str, dict[str, Any]]:
    """What the alliance changed in a cycle's snapshot, by standard code (one small query)."""
    return (
        db.session.scalar(
            select(FrameworkSnapshot.adjustments).where(FrameworkSnapshot.id == snapshot_id)
        )
        or {}
    )


def check_adjustments(base: FrameworkSnapshot, changes: Mapping[str, Mapping[str, Any]]) -> None:
    """Refuse settings that switch off every standard: a cycle needs something to answer."""
    codes = [s.code for d in base.domains for s in d.standards]
    if codes and all(changes.get(code, {}).get("applies") is False for code in codes):
        raise SettingsRefused("At least one standard must apply. Switch one back on.")


def snapshot_for_alliance(base: FrameworkSnapshot, alliance_id: int) -> FrameworkSnapshot:
    """The snapshot a new cycle of the alliance uses: ``base`` as the alliance set it.

    The caller commits. Making a new variant is audited in the same transaction.
    """
    base = load_snapshot(base.id)
    settings = alliance_settings(alliance_id, base.framework_key, base.version)
    changes = adjustments_from((s for d in base.domains for s in d.standards), settings)
    if not changes:
        return base
    check_adjustments(base, changes)
    digest = _variant_hash(base, alliance_id, changes)
    existing = db.session.execute(
        select(FrameworkSnapshot).where(FrameworkSnapshot.content_hash == digest)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    variant = _copy(base, alliance_id, changes, digest)
    db.session.add(variant)
    db.session.flush()
    audit.record(
        "framework.variant_made",
        "framework_snapshot",
        variant.id,
        after={
            "framework": base.framework_key,
            "version": base.version,
            "base_snapshot_id": base.id,
            "variant": variant.variant,
            "adjustments": changes,
        },
        alliance_id=alliance_id,
    )
    return variant


def _variant_hash(base: FrameworkSnapshot, alliance_id: int, changes: Mapping[str, Any]) -> str:
    payload = json.dumps(changes, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(
        f"variant\0{base.content_hash}\0{alliance_id}\0{payload}".encode()
    ).hexdigest()


def _copy(
    base: FrameworkSnapshot, alliance_id: int, changes: Mapping[str, Mapping[str, Any]], digest: str
) -> FrameworkSnapshot:
    """A deep copy of ``base`` with the alliance's changes applied; empty domains are left out."""
    variant = FrameworkSnapshot(
        framework_key=base.framework_key,
        version=base.version,
        title=base.title,
        content_hash=digest,
        scale=base.scale,
        scoring=base.scoring,
        variant=f"alliance-{alliance_id}-{digest[:8]}",
        alliance_id=alliance_id,
        base_snapshot_id=base.id,
        adjustments={code: dict(change) for code, change in changes.items()},
    )
    for domain in base.domains:
        kept = [s for s in domain.standards if changes.get(s.code, {}).get("applies") is not False]
        if not kept:
            continue
        new_domain = SnapshotDomain(
            code=domain.code,
            name=domain.name,
            description=domain.description,
            weight=domain.weight,
            position=domain.position,
            snapshot=variant,
        )
        for standard in kept:
            change = changes.get(standard.code, {})
            new_standard = SnapshotStandard(
                code=standard.code,
                statement=standard.statement,
                core=change["core"][1] if "core" in change else standard.core,
                target=change["target"][1] if "target" in change else standard.target,
                weight=standard.weight,
                guidance=standard.guidance,
                source=standard.source,
                continues=standard.continues,
                position=standard.position,
                snapshot=variant,
            )
            for question in standard.questions:
                new_standard.questions.append(
                    SnapshotQuestion(
                        code=question.code,
                        kind=question.kind,
                        text=question.text,
                        guidance=question.guidance,
                        required=question.required,
                        weight=question.weight,
                        position=question.position,
                        options=dict(question.options),
                        answered_by=question.answered_by,
                        snapshot=variant,
                    )
                )
            new_domain.standards.append(new_standard)
    return variant
