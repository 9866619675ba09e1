"""Importing users into an alliance: offer roles by invitation, all or nothing.

A coordinator may offer the roles of their own alliance only: coordinator, buddying lead, or
trust user of an active member trust (the rule in ``invitations.rules``). Every line becomes an
invitation that its holder accepts; no account is changed by the import itself, and the preview
reads the same whether or not an account exists for an address. Invitations are emailed after
the transaction commits, so a refused import never sends one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..invitations import services as invitations
from ..invitations.rules import Scope
from ..models import Alliance, Membership, Role, RoleInvitation, Trust, User
from .users_csv import UserLine, parse_users

INVITED = "Invitation emailed; the role is given when they accept"
HAS_ROLE = "Already has this role"


@dataclass
class UsersPreview:
    """What importing the file would do, line by line, or the problems that stop it."""

    lines: list[tuple[UserLine, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(1 for _line, action in self.lines if action != HAS_ROLE)


def _member_trusts(alliance: Alliance) -> dict[str, Trust]:
    return {
        t.code: t
        for t in db.session.scalars(
            select(Trust)
            .join(Membership, Membership.trust_id == Trust.id)
            .where(Membership.alliance_id == alliance.id, Membership.active.is_(True))
        )
    }


def _scope(alliance: Alliance, line: UserLine, trusts: dict[str, Trust]) -> Scope:
    if line.role == Role.TRUST_USER:
        return Scope(line.role, alliance.id, trusts[line.trust_code or ""].id)
    return Scope(line.role, alliance.id)


def preview_users(alliance: Alliance, text: str) -> UsersPreview:
    """Check the file and say what importing it would do; changes nothing."""
    lines, problems = parse_users(text)
    result = UsersPreview(problems=problems)
    trusts = _member_trusts(alliance)
    accounts = {
        u.email: u
        for u in db.session.scalars(
            select(User).where(User.email.in_([line.email for line in lines]))
        )
    }
    for line in lines:
        if line.trust_code is not None and line.trust_code not in trusts:
            result.problems.append(
                f"Line {line.line}, trust code: {line.trust_code} is not an "
                f"active member of {alliance.name}"
            )
            continue
        scope = _scope(alliance, line, trusts)
        user = accounts.get(line.email)
        # Only a role held in this alliance is told apart: it is this alliance's own record.
        if user is not None and user.has_role(
            Role(scope.role), alliance_id=scope.alliance_id, trust_id=scope.trust_id
        ):
            result.lines.append((line, HAS_ROLE))
        else:
            result.lines.append((line, INVITED))
    return result


def import_users(alliance: Alliance, text: str, actor: User) -> UsersPreview:
    """Invite everyone the file names, if its preview has no problems; returns the preview."""
    result = preview_users(alliance, text)
    if result.problems or not result.changes:
        return result
    trusts = _member_trusts(alliance)
    offers: list[RoleInvitation] = []
    invited: list[str] = []
    for line, action in result.lines:
        if action == HAS_ROLE:
            continue
        offer = invitations.invite(actor, line.email, line.name, _scope(alliance, line, trusts))
        if offer is not None:
            offers.append(offer)
            invited.append(f"{line.email}:{line.role}:{line.trust_code or ''}")
    audit.record(
        "alliance.users_imported",
        "alliance",
        alliance.id,
        after={"invitations": invited},
        alliance_id=alliance.id,
        actor_id=actor.id,
    )
    db.session.commit()
    for offer in offers:  # only once the offers exist for certain
        invitations.send(offer)
    db.session.commit()
    return result
