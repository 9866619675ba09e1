"""Where each person's work is: one link per role grant."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from ..extensions import db
from ..models import Alliance, Role, Trust, User


@dataclass(frozen=True)
class RoleHome:
    """A role the user holds and the page where that work starts."""

    role: Role
    label: str
    url: str


def _scope_id(scope_id: int | None) -> int:
    """A grant's alliance or trust id, which the database requires for the grant's role
    (``scope_matches_role``)."""
    if scope_id is None:
        raise ValueError("a role grant without the scope its role requires")
    return scope_id


def role_homes(user: User) -> list[RoleHome]:
    """List the home pages of every role the user holds, admin first."""
    alliance_ids = {g.alliance_id for g in user.grants if g.alliance_id}
    trust_ids = {g.trust_id for g in user.grants if g.trust_id}
    alliances = (
        {a.id: a for a in db.session.scalars(select(Alliance).where(Alliance.id.in_(alliance_ids)))}
        if alliance_ids
        else {}
    )
    trusts = (
        {t.id: t for t in db.session.scalars(select(Trust).where(Trust.id.in_(trust_ids)))}
        if trust_ids
        else {}
    )
    homes: list[RoleHome] = []
    trusts_listed: set[int] = set()  # a trust user has one grant per alliance, one home per trust
    order = [Role.SITE_ADMIN, Role.COORDINATOR, Role.BUDDYING_LEAD, Role.TRUST_USER]
    for grant in sorted(user.grants, key=lambda g: (order.index(Role(g.role)), g.id)):
        role = Role(grant.role)
        if role == Role.SITE_ADMIN:
            homes.append(RoleHome(role, "Site administration", url_for("admin.home")))
        elif role == Role.COORDINATOR:
            alliance = alliances[_scope_id(grant.alliance_id)]
            homes.append(
                RoleHome(
                    role,
                    f"Coordinate {alliance.name}",
                    url_for("coordinator.home", slug=alliance.slug),
                )
            )
        elif role == Role.BUDDYING_LEAD:
            alliance = alliances[_scope_id(grant.alliance_id)]
            homes.append(
                RoleHome(
                    role,
                    f"Buddying in {alliance.name}",
                    url_for("buddying.home", slug=alliance.slug),
                )
            )
        elif (trust_id := _scope_id(grant.trust_id)) not in trusts_listed:
            trusts_listed.add(trust_id)
            trust = trusts[trust_id]
            homes.append(
                RoleHome(
                    role,
                    f"Self-assessments for {trust.name}",
                    url_for("questionnaire.trust_home", code=trust.code),
                )
            )
    return homes
