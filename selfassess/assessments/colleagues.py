"""Who works on an assessment: the one definition section owners, respondents and improvement
plans use."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Assessment, Membership, Role, RoleGrant, User


def colleagues(assessment: Assessment) -> list[User]:
    """Active users who work on this assessment: a trust-user grant for its membership (this
    trust in this alliance), the same people who may open the assessment at all."""
    return membership_colleagues(assessment.membership)


def membership_colleagues(membership: Membership) -> list[User]:
    """Active users holding a trust-user grant for this trust in this alliance."""
    return list(
        db.session.scalars(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(
                RoleGrant.role == Role.TRUST_USER,
                RoleGrant.alliance_id == membership.alliance_id,
                RoleGrant.trust_id == membership.trust_id,
                User.active.is_(True),
            )
            .order_by(User.name, User.id)
            .distinct()
        )
    )
