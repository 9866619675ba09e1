"""Attaching evidence files to an assessment's questions, and removing them: part of the core
because each takes the assessment's row lock and is allowed only while its answers may change.

The blob and the attachment naming it are written in one transaction with the audit record, so
a file is never stored without the question that cites it, nor cited without being stored.
Removal marks the attachment removed and keeps both rows: the history keeps every file.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select

from .. import audit
from ..extensions import db
from ..models import Assessment, Cycle, EvidenceBlob, EvidenceFile, User
from ..models._types import utcnow
from .answers import NotEditable, editable
from .locking import lock_assessment


def attach(
    assessment: Assessment,
    question_code: str,
    filename: str,
    data: bytes,
    media_type: str,
    user: User,
) -> EvidenceFile:
    """Store ``data`` (once, by its hash) and attach it to the question; audited, committed.

    The caller has checked the file's kind and that the question belongs to the assessment.
    """
    locked = lock_assessment(assessment.id)
    if not editable(locked):
        raise NotEditable("This assessment can no longer be changed.")
    digest = hashlib.sha256(data).hexdigest()
    if db.session.get(EvidenceBlob, digest) is None:
        db.session.add(
            EvidenceBlob(sha256=digest, size=len(data), media_type=media_type, content=data)
        )
    attachment = EvidenceFile(
        assessment_id=locked.id,
        question_code=question_code,
        blob_sha256=digest,
        filename=filename,
        uploaded_by_id=user.id,
    )
    db.session.add(attachment)
    db.session.flush()
    _audit("evidence.attached", locked, attachment, user)
    db.session.commit()
    return attachment


def remove(assessment: Assessment, attachment: EvidenceFile, user: User) -> None:
    """Take a file off its question (kept in the history); audited, committed."""
    locked = lock_assessment(assessment.id)
    if not editable(locked):
        raise NotEditable("This assessment can no longer be changed.")
    if attachment.removed_at is None:
        attachment.removed_at = utcnow()
        attachment.removed_by_id = user.id
        _audit("evidence.removed", locked, attachment, user)
    db.session.commit()


def carry_files_over(
    assessment: Assessment, source: Assessment, codes: set[str], user: User
) -> int:
    """Attach to ``assessment`` the files ``source`` cites on the questions in ``codes``, as
    references to the same blobs (the caller holds the lock and commits, as for answers)."""
    current = db.session.scalars(
        select(EvidenceFile).where(
            EvidenceFile.assessment_id == source.id,
            EvidenceFile.removed_at.is_(None),
            EvidenceFile.question_code.in_(codes),
        )
    ).all()
    for earlier in current:
        db.session.add(
            EvidenceFile(
                assessment_id=assessment.id,
                question_code=earlier.question_code,
                blob_sha256=earlier.blob_sha256,
                filename=earlier.filename,
                uploaded_by_id=user.id,
                carried_from_id=earlier.id,
            )
        )
    return len(current)


def _audit(action: str, assessment: Assessment, attachment: EvidenceFile, user: User) -> None:
    membership = assessment.membership
    audit.record(
        action,
        "assessment",
        assessment.id,
        after={
            "file": attachment.id,
            "question": attachment.question_code,
            "filename": attachment.filename,
            "sha256": attachment.blob_sha256,
        },
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
        actor_id=user.id,
    )


def files_by_question(
    assessment_id: int, codes: Iterable[str] | None = None
) -> dict[str, list[EvidenceFile]]:
    """The files each question cites now (removed ones left out), oldest first; one query."""
    query = select(EvidenceFile).where(
        EvidenceFile.assessment_id == assessment_id, EvidenceFile.removed_at.is_(None)
    )
    if codes is not None:
        query = query.where(EvidenceFile.question_code.in_(list(codes)))
    found: dict[str, list[EvidenceFile]] = defaultdict(list)
    for attachment in db.session.scalars(query.order_by(EvidenceFile.id)):
        found[attachment.question_code].append(attachment)
    return dict(found)


def alliance_usage(alliance_id: int) -> tuple[int, int]:
    """(attachments, bytes) an alliance's assessments cite, each blob counted once."""
    cited = (
        select(EvidenceFile.blob_sha256)
        .join(Assessment, EvidenceFile.assessment_id == Assessment.id)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(Cycle.alliance_id == alliance_id)
    )
    files = db.session.scalar(select(func.count()).select_from(cited.subquery())) or 0
    size = (
        db.session.scalar(
            select(func.coalesce(func.sum(EvidenceBlob.size), 0)).where(
                EvidenceBlob.sha256.in_(cited.distinct())
            )
        )
        or 0
    )
    return int(files), int(size)
