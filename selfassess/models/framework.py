"""Framework snapshots: a question-bank version copied into the database when a cycle uses it.

Cycles point at a snapshot, never at the files, so editing ``questions/`` never changes a past
assessment. A snapshot is identified by the hash of its files and imported once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ._types import UTCDateTime, utcnow


class FrameworkSnapshot(Model):
    """One imported framework version (scale, domains, standards, questions)."""

    __tablename__ = "framework_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_key: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scale: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: How standards are scored (questionbank.kinds.ScoringRule): 1.0 "averaged", 2.0 "gated".
    scoring: Mapped[str] = mapped_column(String(20), server_default="averaged")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    domains: Mapped[list[SnapshotDomain]] = relationship(
        back_populates="snapshot", order_by="SnapshotDomain.position", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("framework_key", "version"),)


class SnapshotDomain(Model):
    """A domain of a snapshot (Relationships, Shared vision, Governance, Data...)."""

    __tablename__ = "snapshot_domain"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("framework_snapshot.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    weight: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer)

    snapshot: Mapped[FrameworkSnapshot] = relationship(back_populates="domains")
    standards: Mapped[list[SnapshotStandard]] = relationship(
        back_populates="domain", order_by="SnapshotStandard.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("snapshot_id", "code"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )


class SnapshotStandard(Model):
    """A standard members are assessed against, with its benchmark target."""

    __tablename__ = "snapshot_standard"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("framework_snapshot.id", ondelete="CASCADE"), index=True
    )
    domain_id: Mapped[int] = mapped_column(
        ForeignKey("snapshot_domain.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(20))
    statement: Mapped[str] = mapped_column(Text)
    core: Mapped[bool] = mapped_column(Boolean)
    target: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    guidance: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(200))
    #: The previous framework version's standard ids this one continues (None: not recorded).
    continues: Mapped[list[str] | None] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer)

    domain: Mapped[SnapshotDomain] = relationship(back_populates="standards")
    snapshot: Mapped[FrameworkSnapshot] = relationship()
    questions: Mapped[list[SnapshotQuestion]] = relationship(
        back_populates="standard",
        order_by="SnapshotQuestion.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        UniqueConstraint("snapshot_id", "code"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("target >= 1 AND target <= 5", name="target_on_scale"),
    )


class SnapshotQuestion(Model):
    """A question; ``options`` holds what its kind needs (level descriptors, thresholds...)."""

    __tablename__ = "snapshot_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("framework_snapshot.id", ondelete="CASCADE"), index=True
    )
    standard_id: Mapped[int] = mapped_column(
        ForeignKey("snapshot_standard.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(Boolean)
    weight: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: "member", or "alliance" for a fact about the alliance: never in a member's questionnaire.
    answered_by: Mapped[str] = mapped_column(String(10), server_default="member")

    standard: Mapped[SnapshotStandard] = relationship(back_populates="questions")
    snapshot: Mapped[FrameworkSnapshot] = relationship()

    __table_args__ = (
        UniqueConstraint("snapshot_id", "code"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("kind IN ('maturity', 'yes_no', 'metric', 'text')", name="kind_known"),
    )
