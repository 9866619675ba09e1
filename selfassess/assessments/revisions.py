"""What a trust changed after its self-assessment was returned: read back from the audit trail.

Every save records each answer's value and comment before and after (``answers.write_answers``),
and every evidence file its upload and removal time, so the change since the latest return is
exact without keeping a copy of the answers: the value before the first save after the return,
the value after the last one, and the files added and removed since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Assessment, AuditEvent, EvidenceFile


@dataclass
class Revision:
    """One question as it was when returned and as it is now."""

    code: str
    value_then: str | None = None
    comment_then: str | None = None
    value_now: str | None = None
    comment_now: str | None = None
    files_added: list[str] = field(default_factory=list)
    files_removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return (
            (self.value_then, self.comment_then) != (self.value_now, self.comment_now)
            or bool(self.files_added)
            or bool(self.files_removed)
        )


def since_return(assessment: Assessment) -> tuple[datetime | None, list[Revision]]:
    """When the assessment was last returned (None: never) and what changed since, by code."""
    returned_at = db.session.execute(
        select(AuditEvent.id, AuditEvent.occurred_at)
        .where(
            AuditEvent.entity_type == "assessment",
            AuditEvent.entity_id == assessment.id,
            AuditEvent.action == "assessment.return",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if returned_at is None:
        return None, []
    event_id, when = returned_at
    revisions: dict[str, Revision] = {}
    for before, after in db.session.execute(
        select(AuditEvent.before, AuditEvent.after)
        .where(
            AuditEvent.entity_type == "assessment",
            AuditEvent.entity_id == assessment.id,
            AuditEvent.id > event_id,
        )
        .order_by(AuditEvent.id)
    ):
        old = (before or {}).get("answers") or {}
        new = (after or {}).get("answers") or {}
        for code, value in new.items():
            if "value" not in value:  # a carried-over answer confirmed: no new text
                continue
            if code not in revisions:
                earlier = old.get(code) or {}
                revisions[code] = Revision(code, earlier.get("value"), earlier.get("comment"))
            revisions[code].value_now = value.get("value")
            revisions[code].comment_now = value.get("comment")
    for attachment in db.session.scalars(
        select(EvidenceFile).where(EvidenceFile.assessment_id == assessment.id)
    ):
        added = attachment.uploaded_at > when
        removed = attachment.removed_at is not None and attachment.removed_at > when
        if added == removed:  # untouched since, or added and removed again
            continue
        revision = revisions.get(attachment.question_code)
        if revision is None:
            revision = revisions.setdefault(
                attachment.question_code, Revision(attachment.question_code)
            )
            revision.value_then = revision.value_now = None
        (revision.files_added if added else revision.files_removed).append(attachment.filename)
    return when, sorted((r for r in revisions.values() if r.changed), key=lambda r: r.code)
