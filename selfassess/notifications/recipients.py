"""Who is told about what: only users whose grants let them see the page a notification links.

Each query reads grants, never names, so a role given in one alliance never brings another
alliance's news.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from ..extensions import db
from ..models import Role, RoleGrant, User


def coordinators(alliance_id: int) -> list[User]:
    """The alliance's active coordinators (they review its submissions)."""
    return _holders(Role.COORDINATOR, alliance_id, None)


def trust_users(alliance_id: int, trust_ids: Collection[int]) -> list[User]:
    """Active users of these trusts whose grant covers their membership of this alliance."""
    return _holders(Role.TRUST_USER, alliance_id, trust_ids)


def _holders(role: Role, alliance_id: int, trust_ids: Collection[int] | None) -> list[User]:
    query = (
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == role, RoleGrant.alliance_id == alliance_id, User.active.is_(True))
        .order_by(User.id)
        .distinct()
    )
    if trust_ids is not None:
        query = query.where(RoleGrant.trust_id.in_(list(trust_ids)))
    return list(db.session.scalars(query))
