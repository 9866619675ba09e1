"""People, what they may do (role grants) and their signed-in sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ._types import UTCDateTime, utcnow


class Role(StrEnum):
    """The roles a grant can give."""

    SITE_ADMIN = "site_admin"
    COORDINATOR = "coordinator"
    BUDDYING_LEAD = "buddying_lead"
    TRUST_USER = "trust_user"

    @property
    def label(self) -> str:
        return {
            "site_admin": "Site administrator",
            "coordinator": "Alliance coordinator",
            "buddying_lead": "Buddying lead",
            "trust_user": "Trust user",
        }[self.value]


ALLIANCE_ROLES = frozenset({Role.COORDINATOR, Role.BUDDYING_LEAD})


class User(UserMixin, Model):
    """A person who signs in. Invited users have no password until they accept."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optional second factor: the TOTP secret (base32) and the time step of the last code
    # accepted, so no code works twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Changed whenever links sent earlier must stop working (deactivation): signed links carry
    # a fingerprint of it. Null for accounts that never needed one, so older links stay valid.
    security_stamp: Mapped[str | None] = mapped_column(String(32))

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lower_case"),)

    def has_role(
        self, role: Role, *, alliance_id: int | None = None, trust_id: int | None = None
    ) -> bool:
        """Say whether one of the user's grants gives ``role`` on the given alliance or trust."""
        return any(
            g.role == role and g.alliance_id == alliance_id and g.trust_id == trust_id
            for g in self.grants
        )

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_site_admin(self) -> bool:
        return self.has_role(Role.SITE_ADMIN)

    def alliance_ids(self, *roles: Role) -> set[int]:
        """Ids of the alliances where the user holds any of ``roles``."""
        return {g.alliance_id for g in self.grants if g.role in roles and g.alliance_id}

    def trust_ids(self) -> set[int]:
        """Ids of the trusts the user works for, in at least one alliance."""
        return {g.trust_id for g in self.grants if g.role == Role.TRUST_USER and g.trust_id}

    def trust_alliance_ids(self, trust_id: int) -> set[int]:
        """Ids of the alliances in which the user works for ``trust_id``.

        A trust user's grant covers one membership (trust, alliance): the data a trust keeps in
        another alliance is that alliance's to give, never reached through this one.
        """
        return {
            g.alliance_id
            for g in self.grants
            if g.role == Role.TRUST_USER and g.trust_id == trust_id and g.alliance_id
        }


def scope_constraints() -> tuple[CheckConstraint, ForeignKeyConstraint]:
    """The shape of a role's scope, for grants and the invitations that offer them: the site for
    administrators, an alliance for coordinators and buddying leads, and one membership (trust
    and alliance, which must exist together) for trust users."""
    return (
        CheckConstraint(
            "(role = 'site_admin' AND alliance_id IS NULL AND trust_id IS NULL)"
            " OR (role IN ('coordinator', 'buddying_lead')"
            "     AND alliance_id IS NOT NULL AND trust_id IS NULL)"
            " OR (role = 'trust_user' AND trust_id IS NOT NULL AND alliance_id IS NOT NULL)",
            name="scope_matches_role",
        ),
        ForeignKeyConstraint(
            ["alliance_id", "trust_id"],
            ["membership.alliance_id", "membership.trust_id"],
            ondelete="CASCADE",
        ),
    )


class RoleGrant(Model):
    """One role for one user, scoped to an alliance, to one trust's membership of an alliance
    (trust users), or to the site (administrators).

    A trust user's grant names both the trust and the alliance, and the database ties the pair
    to an existing membership, so a role given in one alliance can never reach another.
    """

    __tablename__ = "role_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    alliance_id: Mapped[int | None] = mapped_column(
        ForeignKey("alliance.id", ondelete="CASCADE"), index=True
    )
    trust_id: Mapped[int | None] = mapped_column(
        ForeignKey("trust.id", ondelete="CASCADE"), index=True
    )

    user: Mapped[User] = relationship(back_populates="grants")

    __table_args__ = (*scope_constraints(),)


class UserSession(Model):
    """A signed-in session kept on the server, so sign-out and revocation really end it.

    Flask's cookie session alone cannot be revoked (a copied cookie keeps working after logout).
    """

    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A form the user was sending when their previous session ended, kept for them to check and
    # send again after signing in (nothing typed is lost to an expired session).
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    user: Mapped[User] = relationship()
