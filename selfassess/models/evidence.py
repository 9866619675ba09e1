"""Evidence files: documents a trust attaches to a question of its self-assessment.

Content-addressed: the bytes live once in ``evidence_blob`` under their SHA-256, and each
attachment (``evidence_file``) names a blob. Both are written in one transaction, so a file is
never orphaned or lost, and every app server sees it (the database is the store; see
``evidence.storage`` for the one interface another store would implement). Removing a file
from a question marks the attachment removed; the blob and the row stay, so the assessment's
history keeps every file it ever cited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ._types import UTCDateTime, utcnow


class EvidenceBlob(Model):
    """The bytes of one file, stored once however many attachments name them."""

    __tablename__ = "evidence_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvidenceFile(Model):
    """One file attached to one question of one assessment."""

    __tablename__ = "evidence_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="RESTRICT"), index=True
    )
    question_code: Mapped[str] = mapped_column(String(30))
    blob_sha256: Mapped[str] = mapped_column(
        ForeignKey("evidence_blob.sha256", ondelete="RESTRICT"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: The attachment of the previous cycle this one was copied forward from (a reference to
    #: the same blob, not a copy of its bytes).
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence_file.id", ondelete="SET NULL")
    )

    blob: Mapped[EvidenceBlob] = relationship()
