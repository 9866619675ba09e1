"""Site administration use cases; each writes its audit record."""

from __future__ import annotations

from sqlalchemy import func, select

from .. import audit, sessions
from ..auth import tokens
from ..auth.services import find_user, normalise_email, send_invitation
from ..extensions import db
from ..models import Alliance, Membership, Role, RoleGrant, Trust, User


def overview() -> dict[str, object]:
    """Alliances with member counts, trusts and users for the admin home (fixed query count)."""
    alliances = db.session.execute(
        select(Alliance, func.count(Membership.id))
        .outerjoin(Membership, Membership.alliance_id == Alliance.id)
        .group_by(Alliance.id)
        .order_by(Alliance.name)
    ).all()
    trusts = db.session.scalars(select(Trust).order_by(Trust.name)).all()
    users = db.session.scalars(select(User).order_by(User.name)).all()
    return {"alliances": alliances, "trusts": trusts, "users": users}


def grant_role(user: User, role: Role, *, alliance_id: int | None = None,
               trust_id: int | None = None) -> RoleGrant | None:
    """Give ``user`` a role unless they already hold it; returns the new grant, if any."""
    if user.has_role(role, alliance_id=alliance_id, trust_id=trust_id):
        return None
    grant = RoleGrant(role=role, alliance_id=alliance_id, trust_id=trust_id)
    user.grants.append(grant)
    db.session.flush()
    audit.record(
        "user.role_granted", "user", user.id,
        after={"role": role.value, "alliance_id": alliance_id, "trust_id": trust_id},
        alliance_id=alliance_id, trust_id=trust_id,
    )
    return grant


def invite_user(email: str, name: str, role: Role, *, alliance_id: int | None = None,
                trust_id: int | None = None) -> User:
    """Create (or reuse) the account, grant the role and email an invitation when needed."""
    user = find_user(email)
    created = user is None
    if user is None:
        user = User(email=normalise_email(email), name=name.strip())
        db.session.add(user)
        db.session.flush()
        audit.record("user.invited", "user", user.id,
                     after={"email": user.email, "name": user.name})
    granted = grant_role(user, role, alliance_id=alliance_id, trust_id=trust_id)
    if created or not user.password_hash:
        send_invitation(user)
    if granted is not None and not created:
        # Sessions hold no copy of roles, but a role change is a moment to start afresh.
        sessions.end_all_sessions(user.id)
    db.session.commit()
    return user


def set_user_active(user: User, active: bool) -> None:
    """Deactivate (ending every session and every link sent) or reactivate an account."""
    before = {"active": user.active}
    user.active = active
    if not active:
        sessions.end_all_sessions(user.id)
        # Links already sent (reset, invitation) must not come back to life on reactivation.
        user.security_stamp = tokens.new_security_stamp()
    audit.record("user.active_changed", "user", user.id, before=before, after={"active": active})
    db.session.commit()


def remove_second_factor(user: User) -> None:
    """Turn off a user's authenticator-app second factor (a lost phone), ending their sessions;
    they then sign in with their password and can set up a new app."""
    user.totp_secret, user.totp_last_step = None, None
    sessions.end_all_sessions(user.id)
    audit.record("user.second_factor_removed", "user", user.id)
    db.session.commit()
