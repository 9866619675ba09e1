"""Site administration use cases; each writes its audit record."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from .. import audit, mail, sessions
from ..auth import tokens
from ..extensions import db
from ..imports.members import pending_requests
from ..invitations import services as invitations
from ..invitations.rules import Scope
from ..invitations.waiting import waiting_offers
from ..mail import failed_emails
from ..models import (
    Alliance,
    Cycle,
    FrameworkSnapshot,
    Membership,
    MembershipRequest,
    OutboxEmail,
    Trust,
    User,
)
from ..models._types import utcnow


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
    registered = {t.code: t for t in trusts}
    alliance_names = {a.id: a.name for a, _count in alliances}
    requests = [
        (r, registered.get(r.code), alliance_names.get(r.alliance_id, ""))
        for r in pending_requests()
    ]
    return {
        "alliances": alliances,
        "trusts": trusts,
        "users": users,
        "requests": requests,
        "offers": waiting_offers(),
        "alliance_names": alliance_names,
        "failed_emails": failed_emails(),
        "trust_codes": {t.id: t.code for t in trusts},
        "own_targets": own_targets(),
    }


def own_targets() -> dict[int, tuple[str, int]]:
    """Per alliance, its latest cycle and how many standards the alliance set differently from
    the framework there: figures compared across alliances are held to different targets."""
    latest: dict[int, tuple[str, int]] = {}
    rows = db.session.execute(
        select(Cycle.alliance_id, Cycle.name, FrameworkSnapshot.adjustments)
        .join(FrameworkSnapshot, Cycle.snapshot_id == FrameworkSnapshot.id)
        .order_by(Cycle.opens_on, Cycle.id)
    )
    for alliance_id, name, adjustments in rows:
        latest[alliance_id] = (name, len(adjustments or {}))
    return latest


def answer_membership_request(request: MembershipRequest, approve: bool, admin: User) -> None:
    """Approve (registering the trust if its code is new, then adding the membership) or
    reject a coordinator's request; idempotent if the trust became a member meanwhile."""
    if approve:
        trust = db.session.scalar(select(Trust).where(Trust.code == request.code))
        if trust is None:
            trust = Trust(
                code=request.code,
                name=request.name,
                trust_type=request.trust_type,
                region=request.region,
            )
            db.session.add(trust)
            db.session.flush()
        exists = db.session.scalar(
            select(Membership.id).where(
                Membership.alliance_id == request.alliance_id, Membership.trust_id == trust.id
            )
        )
        if exists is None:
            db.session.add(
                Membership(
                    alliance_id=request.alliance_id,
                    trust_id=trust.id,
                    collaboration_type=request.collaboration_type,
                    joined_on=date.today(),
                )
            )
    request.outcome = "approved" if approve else "rejected"
    request.answered_at, request.answered_by_id = utcnow(), admin.id
    audit.record(
        f"alliance.member_{request.outcome}",
        "membership_request",
        request.id,
        after={"code": request.code, "outcome": request.outcome},
        alliance_id=request.alliance_id,
        actor_id=admin.id,
    )
    db.session.commit()


def invite_user(giver: User, email: str, name: str, scope: Scope) -> None:
    """Offer a role by email; the role is given only when the invitee accepts."""
    offer = invitations.invite(giver, email, name, scope)
    db.session.commit()
    if offer is not None:
        invitations.send(offer)
        db.session.commit()


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


def retry_email(email: OutboxEmail, admin: User) -> bool:
    """Queue a failed email for a fresh set of tries (after the administrator fixed the address
    or the mail server); False, changing nothing, when it is no longer failed. Audited with
    how it had failed, so the record says what was retried and why it needed to be."""
    before = {"state": email.state, "attempts": email.attempts, "last_error": email.last_error}
    if not mail.retry_failed(email.id):
        db.session.rollback()
        return False
    audit.record(
        "email.retried",
        "outbox_email",
        email.id,
        before=before,
        after={"state": "pending", "recipient": email.recipient},
        actor_id=admin.id,
    )
    db.session.commit()
    return True
