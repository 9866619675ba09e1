"""Role invitations: an offer of one role that only the person invited can take up."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ._types import UTCDateTime, utcnow
from .users import scope_constraints

if TYPE_CHECKING:
    from .tenancy import Alliance, Trust


class RoleInvitation(Model):
    """A role offered to an email address, given only when its holder accepts.

    Nobody attaches a role to an account silently: a coordinator or an administrator can only
    offer one, and the offer reads the same whether or not an account exists for the address.
    The scope follows the grant's rules (a trust user's offer names one membership).
    """

    __tablename__ = "role_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    alliance_id: Mapped[int | None] = mapped_column(
        ForeignKey("alliance.id", ondelete="CASCADE"), index=True
    )
    trust_id: Mapped[int | None] = mapped_column(ForeignKey("trust.id", ondelete="CASCADE"))
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None while the offer stands; then "accepted" or "declined" with when and by whom.
    outcome: Mapped[str | None] = mapped_column(String(10))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    # Loaded with the offer: a list of offers names each one's alliance and trust.
    alliance: Mapped[Alliance | None] = relationship(lazy="joined", viewonly=True)
    trust: Mapped[Trust | None] = relationship(lazy="joined", viewonly=True)

    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('accepted', 'declined')", name="outcome_known"
        ),
        *scope_constraints(),
    )
