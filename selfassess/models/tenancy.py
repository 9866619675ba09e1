"""Alliances, trusts and the memberships that join them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ._types import UTCDateTime, utcnow


class CollaborationType(StrEnum):
    """The three forms of acute care collaboration the seeds describe."""

    HOSPITAL_GROUP = "hospital_group"
    MULTI_SERVICE = "multi_service"
    SINGLE_SERVICE = "single_service"

    @property
    def label(self) -> str:
        return {
            "hospital_group": "Hospital group",
            "multi_service": "Multi-service network",
            "single_service": "Single-service network",
        }[self.value]


class Alliance(Model):
    """A provider alliance, federation or collaborative that runs a membership model."""

    __tablename__ = "alliance"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    collaboration_type: Mapped[str] = mapped_column(String(20))
    named_benchmarking: Mapped[bool] = mapped_column(Boolean, default=False)
    max_active_pairs_per_mentor: Mapped[int] = mapped_column(Integer, default=2)
    #: Whether a panel moderates each submitted self-assessment before it is validated
    #: (``models.moderation``).
    moderation: Mapped[bool] = mapped_column(Boolean, default=False)

    memberships: Mapped[list[Membership]] = relationship(back_populates="alliance")

    __table_args__ = (
        CheckConstraint("max_active_pairs_per_mentor >= 0", name="max_pairs_nonnegative"),
        CheckConstraint(
            "collaboration_type IN ('hospital_group', 'multi_service', 'single_service')",
            name="collaboration_type_known",
        ),
    )


class Trust(Model):
    """An NHS provider organisation, identified by its ODS-style code."""

    __tablename__ = "trust"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    trust_type: Mapped[str] = mapped_column(String(60))
    region: Mapped[str] = mapped_column(String(60))

    memberships: Mapped[list[Membership]] = relationship(back_populates="trust")


class Membership(Model):
    """A trust's membership of one alliance; a trust may belong to several alliances."""

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="RESTRICT"))
    trust_id: Mapped[int] = mapped_column(ForeignKey("trust.id", ondelete="RESTRICT"), index=True)
    collaboration_type: Mapped[str] = mapped_column(String(20))
    joined_on: Mapped[date]
    left_on: Mapped[date | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    alliance: Mapped[Alliance] = relationship(back_populates="memberships")
    trust: Mapped[Trust] = relationship(back_populates="memberships")

    __table_args__ = (
        UniqueConstraint("alliance_id", "trust_id"),
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="left_after_joined"),
        CheckConstraint(
            "collaboration_type IN ('hospital_group', 'multi_service', 'single_service')",
            name="collaboration_type_known",
        ),
    )


class MembershipRequest(Model):
    """A coordinator's request that a trust join their alliance, for a site administrator.

    The register of trusts is shared by every alliance on the instance, so a coordinator never
    adds a trust to it, or a registered trust to their alliance, alone: what they see of a
    request reads the same whether or not the code is registered, so an import reveals nothing
    about trusts outside their alliance.
    """

    __tablename__ = "membership_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(
        ForeignKey("alliance.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    trust_type: Mapped[str] = mapped_column(String(60))
    region: Mapped[str] = mapped_column(String(60))
    collaboration_type: Mapped[str] = mapped_column(String(20))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None while waiting; then "approved" or "rejected", with when and by whom.
    outcome: Mapped[str | None] = mapped_column(String(10))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('approved', 'rejected')", name="outcome_known"
        ),
        CheckConstraint(
            "collaboration_type IN ('hospital_group', 'multi_service', 'single_service')",
            name="collaboration_type_known",
        ),
    )
