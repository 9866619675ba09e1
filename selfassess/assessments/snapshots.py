"""Framework snapshots: import a question-bank version into the database, and read it back.

This is the only part of the question bank that touches the database. A version is imported
once, identified by the hash of its files; importing a changed copy of a version already in the
database is refused, so past assessments always keep the wording they were answered against.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import audit
from ..extensions import db
from ..models import FrameworkSnapshot, SnapshotDomain, SnapshotQuestion, SnapshotStandard
from ..questionbank import FrameworkDocument, content_hash, load_framework
from ..questionbank.kinds import QuestionKind, ScoringRule
from ..scoring import DomainSpec, FrameworkSpec, QuestionSpec, StandardSpec
from .snapshot_options import framework_v2_options, is_member_question, spec_v2_fields


class SnapshotConflict(ValueError):
    """The files of a framework version changed after that version was imported."""


def import_framework(folder: Path) -> FrameworkSnapshot:
    """Return the snapshot of the framework in ``folder``, importing it on first use.

    The caller commits; the import is audited in the same transaction.
    """
    digest = content_hash(folder)
    existing = db.session.execute(
        select(FrameworkSnapshot).where(FrameworkSnapshot.content_hash == digest)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    framework = load_framework(folder)
    clash = db.session.execute(
        select(FrameworkSnapshot).where(
            FrameworkSnapshot.framework_key == framework.id,
            FrameworkSnapshot.version == framework.version,
            FrameworkSnapshot.variant == "",
        )
    ).scalar_one_or_none()
    if clash is not None:
        raise SnapshotConflict(
            f"{framework.id} version {framework.version} was imported before with different "
            "content. Give the changed framework a new version number."
        )
    snapshot = build_snapshot(framework, digest)
    db.session.add(snapshot)
    db.session.flush()
    audit.record(
        "framework.imported",
        "framework_snapshot",
        snapshot.id,
        after={"framework": framework.id, "version": framework.version, "hash": digest},
    )
    return snapshot


def build_snapshot(framework: FrameworkDocument, digest: str) -> FrameworkSnapshot:
    """The snapshot rows of a checked framework document (not yet added to the session)."""
    snapshot = FrameworkSnapshot(
        framework_key=framework.id,
        version=framework.version,
        title=framework.title,
        content_hash=digest,
        scale=[level.model_dump() for level in framework.scale],
        scoring=str(framework.scoring),
    )
    for d_pos, domain in enumerate(framework.domains):
        s_domain = SnapshotDomain(
            code=domain.id,
            name=domain.name,
            description=domain.description,
            weight=domain.weight,
            position=d_pos,
            snapshot=snapshot,
        )
        for s_pos, standard in enumerate(domain.standards):
            s_standard = SnapshotStandard(
                code=standard.id,
                statement=standard.statement,
                core=standard.core,
                target=standard.target,
                weight=standard.weight,
                guidance=standard.guidance,
                source=standard.source,
                continues=standard.continues,
                position=s_pos,
                snapshot=snapshot,
            )
            for q_pos, question in enumerate(standard.questions):
                s_standard.questions.append(
                    SnapshotQuestion(
                        code=question.id,
                        kind=question.type.value,
                        text=question.text,
                        guidance=question.guidance,
                        required=question.required,
                        weight=question.weight,
                        position=q_pos,
                        options=_options(question),
                        answered_by=str(question.answered_by),
                        snapshot=snapshot,
                    )
                )
            s_domain.standards.append(s_standard)
    return snapshot


def _options(question: Any) -> dict[str, Any]:
    """The kind-specific fields of a question, as JSON, plus the 2.0 fields a question sets.

    Fields left at their defaults are not stored, so a 1.0 snapshot's options are as they were.
    """
    return {**_kind_options(question), **framework_v2_options(question)}


def _kind_options(question: Any) -> dict[str, Any]:
    kind = QuestionKind(question.type)
    if kind is QuestionKind.MATURITY:
        return {"levels": {str(k): v for k, v in sorted(question.levels.items())}}
    if kind is QuestionKind.YES_NO:
        return {"yes_level": question.yes_level}
    if kind is QuestionKind.METRIC:
        return {
            "unit": question.unit,
            "better": question.better,
            "target": question.target,
            "thresholds": {str(k): v for k, v in sorted(question.thresholds.items())},
            "min": question.min,
            "max": question.max,
        }
    return {}


def load_snapshot(snapshot_id: int) -> FrameworkSnapshot:
    """Load a snapshot with its domains, standards and questions in three queries."""
    return db.session.execute(
        select(FrameworkSnapshot)
        .where(FrameworkSnapshot.id == snapshot_id)
        .options(
            selectinload(FrameworkSnapshot.domains)
            .selectinload(SnapshotDomain.standards)
            .selectinload(SnapshotStandard.questions)
        )
    ).scalar_one()


def framework_spec(snapshot: FrameworkSnapshot) -> FrameworkSpec:
    """Turn a snapshot into the records the scoring rules take."""
    domains = []
    for domain in snapshot.domains:
        standards = []
        for standard in domain.standards:
            questions = []
            for q in standard.questions:
                kind = QuestionKind(q.kind)
                metric = kind is QuestionKind.METRIC
                if not is_member_question(q):
                    continue  # an alliance fact: answered once by the coordinator, never scored
                questions.append(
                    QuestionSpec(
                        id=q.code,
                        kind=kind,
                        weight=q.weight,
                        required=q.required,
                        yes_level=int(q.options.get("yes_level", 5)),
                        better=q.options["better"] if metric else None,
                        thresholds={int(k): float(v) for k, v in q.options["thresholds"].items()}
                        if metric
                        else None,
                        **spec_v2_fields(q.options),
                    )
                )
            standards.append(
                StandardSpec(
                    id=standard.code,
                    domain_id=domain.code,
                    core=standard.core,
                    target=standard.target,
                    weight=standard.weight,
                    questions=tuple(questions),
                )
            )
        domains.append(DomainSpec(id=domain.code, weight=domain.weight, standards=tuple(standards)))
    return FrameworkSpec(domains=tuple(domains), scoring=ScoringRule(snapshot.scoring))
