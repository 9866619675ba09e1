"""Importing users into an alliance: invite new people and give roles, all or nothing.

A coordinator may give the roles of their own alliance only: coordinator, buddying lead, or
trust user of an active member trust. Invitations are emailed after the transaction commits,
so a refused import never sends one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from .. import audit, sessions
from ..admin.services import grant_role
from ..auth.services import send_invitation
from ..extensions import db
from ..models import Alliance, Membership, Role, Trust, User
from .users_csv import UserLine, parse_users

NEW_ACCOUNT = "New account, invited"
NEW_ROLE = "Gets this role"
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
    return {t.code: t for t in db.session.scalars(
        select(Trust).join(Membership, Membership.trust_id == Trust.id)
        .where(Membership.alliance_id == alliance.id, Membership.active.is_(True)))}


def _scope(alliance: Alliance, line: UserLine, trusts: dict[str, Trust]) -> dict[str, int | None]:
    if line.role == Role.TRUST_USER:
        return {"alliance_id": None, "trust_id": trusts[line.trust_code or ""].id}
    return {"alliance_id": alliance.id, "trust_id": None}


def preview_users(alliance: Alliance, text: str) -> UsersPreview:
    """Check the file and say what importing it would do; changes nothing."""
    lines, problems = parse_users(text)
    result = UsersPreview(problems=problems)
    trusts = _member_trusts(alliance)
    accounts = {u.email: u for u in db.session.scalars(
        select(User).where(User.email.in_([line.email for line in lines])))}
    for line in lines:
        if line.trust_code is not None and line.trust_code not in trusts:
            result.problems.append(f"Line {line.line}, trust code: {line.trust_code} is not an "
                                   f"active member of {alliance.name}")
            continue
        user = accounts.get(line.email)
        if user is None:
            result.lines.append((line, NEW_ACCOUNT))
        elif user.has_role(Role(line.role), **_scope(alliance, line, trusts)):
            result.lines.append((line, HAS_ROLE))
        else:
            result.lines.append((line, NEW_ROLE))
    return result


def import_users(alliance: Alliance, text: str, actor: User) -> UsersPreview:
    """Import the file if its preview has no problems; returns the preview either way."""
    result = preview_users(alliance, text)
    if result.problems or not result.changes:
        return result
    trusts = _member_trusts(alliance)
    invite: list[User] = []
    changed: list[str] = []
    for line, action in result.lines:
        if action == HAS_ROLE:
            continue
        user = db.session.scalars(select(User).where(User.email == line.email)).one_or_none()
        if user is None:
            user = User(email=line.email, name=line.name)
            db.session.add(user)
            db.session.flush()
            audit.record("user.invited", "user", user.id,
                         after={"email": user.email, "name": user.name}, actor_id=actor.id)
        else:
            sessions.end_all_sessions(user.id)  # a role change is a moment to start afresh
        grant_role(user, Role(line.role), **_scope(alliance, line, trusts))
        if not user.password_hash and user not in invite:
            invite.append(user)
        changed.append(f"{line.email}:{line.role}:{line.trust_code or ''}")
    audit.record("alliance.users_imported", "alliance", alliance.id,
                 after={"grants": changed}, alliance_id=alliance.id, actor_id=actor.id)
    db.session.commit()
    for user in invite:  # only once the accounts exist for certain
        send_invitation(user)
    db.session.commit()
    return result
