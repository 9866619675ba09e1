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
    #: "" for a version as published; for a version as one alliance set it (its targets, core
    #: flags and standards switched off), a short name unique to that alliance and those settings.
    variant: Mapped[str] = mapped_column(String(40), server_default="")
    #: The alliance whose settings this variant holds (None: the version as published).
    alliance_id: Mapped[int | None] = mapped_column(
        ForeignKey("alliance.id", ondelete="RESTRICT"), index=True
    )
    #: The published snapshot this variant was made from (None: the version as published).
    base_snapshot_id: Mapped[int | None] = mapped_column(
        ForeignKey("framework_snapshot.id", ondelete="RESTRICT")
    )
    #: What the alliance changed, per standard code: ``{"target": [default, set], "core":
    #: [default, set], "applies": false, "reason": "..."}`` (only the keys that changed, plus the
    #: reason). Read by ``adjustment()``; never edited after the variant is made.
    adjustments: Mapped[dict[str, dict[str, Any]] | None] = mapped_column(JSON)
    #: The YAML files (name → text) of a version that did not come from the question bank's
    #: folders: published from the app or uploaded. Exported exactly as they were imported.
    source_files: Mapped[dict[str, str] | None] = mapped_column(JSON)

    domains: Mapped[list[SnapshotDomain]] = relationship(
        back_populates="snapshot", order_by="SnapshotDomain.position", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("framework_key", "version", "variant"),)

    def adjustment(self, standard_code: str) -> dict[str, Any] | None:
        """What the alliance changed on ``standard_code`` for this variant, or None."""
        return (self.adjustments or {}).get(standard_code)


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


class AllianceStandardSetting(Model):
    """An alliance's choice for one standard of one framework version: its benchmark target,
    whether it is core, and whether it applies at all, with the coordinator's reason.

    Settings are the alliance's working copy: a cycle takes them when it opens (as a snapshot
    variant, ``FrameworkSnapshot.variant``), so later edits never rewrite a cycle's history.
    A standard with no row keeps the framework's defaults.
    """

    __tablename__ = "alliance_standard_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"))
    framework_key: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(20))
    standard_code: Mapped[str] = mapped_column(String(20))
    target: Mapped[float] = mapped_column(Float)
    core: Mapped[bool] = mapped_column(Boolean)
    applies: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        UniqueConstraint("alliance_id", "framework_key", "version", "standard_code"),
        CheckConstraint("target >= 0", name="target_nonnegative"),
    )


class FrameworkDraft(Model):
    """An alliance's unpublished next version of its standards: a base version plus the
    standards its coordinator wrote in the app, in the files' own shape.

    Checked by the question bank's one checker whenever it is shown, published as an immutable
    snapshot owned by the alliance, then deleted. One draft per alliance at a time.
    """

    __tablename__ = "framework_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(
        ForeignKey("alliance.id", ondelete="CASCADE"), unique=True
    )
    base_snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("framework_snapshot.id", ondelete="RESTRICT")
    )
    framework_id: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    #: New domains (a specialty module), each a mapping with a domain file's fields.
    domains: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: The new standards, each a mapping with the files' fields plus ``domain``.
    standards: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    base: Mapped[FrameworkSnapshot] = relationship()
