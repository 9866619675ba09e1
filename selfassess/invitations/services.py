"""Invitations to a role: offered by someone allowed to give it, taken up only by the invitee.

An offer never changes an existing account: the role is given when the person who controls the
invited address follows the emailed link and accepts (signed in as that account, or choosing a
password for a new one). What the giver sees reads the same whether or not an account exists for
the address, so an invitation reveals nothing about other alliances' users. Site administrator
accounts never take alliance roles (they use a separate account for alliance work).
"""

from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from .. import audit, events, sessions
from ..auth.passwords import hash_password, password_problem
from ..auth.services import PasswordRejected, find_user, normalise_email
from ..extensions import db
from ..mail import send_email
from ..models import Alliance, Membership, Role, RoleGrant, RoleInvitation, User
from ..models._types import utcnow
from .rules import Scope, may_give

_SALT = "selfassess-role-invitation"


class InvitationRefused(ValueError):
    """The offer cannot be made or taken up; the message says why, in plain words."""


def grant_role(
    user: User, role: Role, *, alliance_id: int | None = None, trust_id: int | None = None
) -> RoleGrant | None:
    """Give ``user`` a role unless they already hold it; returns the new grant, if any.

    Only an accepted invitation (or the demo and test set-up) calls this: no page gives a role
    to an account without its holder taking it up.
    """
    if user.has_role(role, alliance_id=alliance_id, trust_id=trust_id):
        return None
    grant = RoleGrant(role=role, alliance_id=alliance_id, trust_id=trust_id)
    user.grants.append(grant)
    db.session.flush()
    audit.record(
        "user.role_granted",
        "user",
        user.id,
        after={"role": role.value, "alliance_id": alliance_id, "trust_id": trust_id},
        alliance_id=alliance_id,
        trust_id=trust_id,
    )
    events.publish(events.RoleGranted(user.id, role.value, alliance_id, trust_id))
    return grant


def held_scopes(user: User) -> list[Scope]:
    """The user's grants as the pure rule reads them."""
    return [Scope(g.role, g.alliance_id, g.trust_id) for g in user.grants]


def _check_may_give(giver: User, scope: Scope) -> None:
    if not may_give(held_scopes(giver), scope):
        raise InvitationRefused("You cannot give that role there.")
    if scope.role == Role.TRUST_USER:
        member = db.session.scalar(
            select(Membership).where(
                Membership.alliance_id == scope.alliance_id,
                Membership.trust_id == scope.trust_id,
                Membership.active.is_(True),
            )
        )
        if member is None:
            raise InvitationRefused("That trust is not an active member of the alliance.")


def invite(giver: User, email: str, name: str, scope: Scope) -> RoleInvitation | None:
    """Offer ``scope`` to ``email`` and return the offer, to ``send`` once committed.

    Returns None when the account already holds exactly that role. A standing offer of the
    same role is returned again (to be sent again) rather than duplicated. The caller commits,
    then sends, so a refused transaction never emails anyone.
    """
    _check_may_give(giver, scope)
    email = normalise_email(email)
    account = find_user(email)
    if account is not None and account.has_role(
        Role(scope.role), alliance_id=scope.alliance_id, trust_id=scope.trust_id
    ):
        return None
    offer = db.session.scalar(
        select(RoleInvitation).where(
            RoleInvitation.email == email,
            RoleInvitation.role == scope.role,
            RoleInvitation.alliance_id.is_(None)
            if scope.alliance_id is None
            else RoleInvitation.alliance_id == scope.alliance_id,
            RoleInvitation.trust_id.is_(None)
            if scope.trust_id is None
            else RoleInvitation.trust_id == scope.trust_id,
            RoleInvitation.outcome.is_(None),
        )
    )
    if offer is None:
        offer = RoleInvitation(
            email=email,
            name=name.strip(),
            role=scope.role,
            alliance_id=scope.alliance_id,
            trust_id=scope.trust_id,
            invited_by_id=giver.id,
        )
        db.session.add(offer)
        db.session.flush()
    audit.record(
        "role.offered",
        "role_invitation",
        offer.id,
        after={
            "email": email,
            "role": scope.role,
            "alliance_id": scope.alliance_id,
            "trust_id": scope.trust_id,
        },
        alliance_id=scope.alliance_id,
        trust_id=scope.trust_id,
        actor_id=giver.id,
    )
    return offer


def describe(offer: RoleInvitation) -> str:
    """The role offered, in words: "Trust user for X in Y"."""
    label = Role(offer.role).label
    alliance, trust = offer.alliance, offer.trust
    if trust is not None and alliance is not None:
        return f"{label} for {trust.name} in {alliance.name}"
    if alliance is not None:
        return f"{label} in {alliance.name}"
    return label


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def token_for(offer: RoleInvitation) -> str:
    """The signed, expiring token of the offer's link."""
    return _serializer().dumps({"i": offer.id})


def send(offer: RoleInvitation) -> None:
    """Email the offer's link to the address invited."""
    link = url_for("invitations.respond", token=token_for(offer), _external=True)
    send_email(
        offer.email,
        "You have been invited to selfassess",
        f"Hello {offer.name},\n\nYou have been offered this role in selfassess: "
        f"{describe(offer)}.\n\nUse this link within 7 days to accept or decline it:\n{link}\n\n"
        "If you did not expect this, you can ignore this email: nothing changes unless you "
        "accept.\n",
    )


def offer_for_token(token: str) -> RoleInvitation | None:
    """The standing offer a valid, unexpired link names, else None."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["TOKEN_MAX_AGE_INVITE"])
    except BadSignature:  # also covers SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    offer = db.session.get(RoleInvitation, data["i"])
    if offer is None or offer.outcome is not None:
        return None
    return offer


def invitee(offer: RoleInvitation) -> User | None:
    """The account the offer's address belongs to, if any."""
    return find_user(offer.email)


def _standing(offer: RoleInvitation) -> RoleInvitation:
    """The offer again, row-locked, if still unanswered: a double click or two tabs answer once."""
    # OF: the offer's alliance and trust come with it by an outer join, which PostgreSQL will
    # not lock; only the offer's own row needs to be.
    offer = db.session.scalars(
        select(RoleInvitation)
        .where(RoleInvitation.id == offer.id)
        .with_for_update(of=RoleInvitation)
        .execution_options(populate_existing=True)
    ).one()
    if offer.outcome is not None:
        raise InvitationRefused("This invitation was already answered.")
    return offer


def _close(offer: RoleInvitation, outcome: str, user: User) -> None:
    offer.outcome, offer.answered_at, offer.answered_by_id = outcome, utcnow(), user.id
    audit.record(
        f"role.{outcome}",
        "role_invitation",
        offer.id,
        after={"role": offer.role, "alliance_id": offer.alliance_id, "trust_id": offer.trust_id},
        alliance_id=offer.alliance_id,
        trust_id=offer.trust_id,
        actor_id=user.id,
    )


def _still_valid(offer: RoleInvitation) -> None:
    """The scope may have changed since the offer (a member left): check it again."""
    if (
        offer.role == Role.TRUST_USER
        and db.session.scalar(
            select(Membership.id).where(
                Membership.alliance_id == offer.alliance_id,
                Membership.trust_id == offer.trust_id,
                Membership.active.is_(True),
            )
        )
        is None
    ):
        raise InvitationRefused(
            "This trust is no longer a member of the alliance, so the "
            "role cannot be given. Ask your coordinator."
        )


def accept(offer: RoleInvitation, user: User) -> None:
    """Give the offered role to ``user``, the signed-in holder of the invited address."""
    if user.email != offer.email:
        raise InvitationRefused("This invitation is for another account.")
    if user.is_site_admin and offer.role != Role.SITE_ADMIN:
        raise InvitationRefused(
            "Site administrator accounts cannot take alliance roles. Ask for the invitation "
            "to be sent to a separate account for your alliance work."
        )
    offer = _standing(offer)
    _still_valid(offer)
    grant_role(user, Role(offer.role), alliance_id=offer.alliance_id, trust_id=offer.trust_id)
    _close(offer, "accepted", user)
    db.session.commit()


def decline(offer: RoleInvitation, user: User) -> None:
    """Turn the offer down; nothing is given."""
    if user.email != offer.email:
        raise InvitationRefused("This invitation is for another account.")
    _close(_standing(offer), "declined", user)
    db.session.commit()


def accept_with_new_password(offer: RoleInvitation, name: str, password: str) -> User:
    """Create the account (or finish one that never had a password), give the role, sign in."""
    account = invitee(offer)
    if account is not None and account.password_hash:
        raise InvitationRefused("An account already exists for this address: sign in first.")
    problem = password_problem(password, email=offer.email, name=name)
    if problem:
        raise PasswordRejected(problem)
    _still_valid(offer)
    offer_id = offer.id
    db.session.rollback()  # no lock held while hashing
    hashed = hash_password(password)
    offer = db.session.get(RoleInvitation, offer_id)  # type: ignore[assignment]
    if offer is None:
        raise InvitationRefused("This invitation was already answered.")
    offer = _standing(offer)
    account = invitee(offer)
    if account is None:
        account = User(email=offer.email, name=name.strip() or offer.name)
        db.session.add(account)
        db.session.flush()
        audit.record(
            "user.created",
            "user",
            account.id,
            after={"email": account.email, "name": account.name},
            actor_id=account.id,
        )
    account.password_hash = hashed
    grant_role(account, Role(offer.role), alliance_id=offer.alliance_id, trust_id=offer.trust_id)
    _close(offer, "accepted", account)
    sessions.end_all_sessions(account.id)
    sessions.start_session(account)
    db.session.commit()
    return account


def standing_offers(alliance: Alliance | None = None) -> list[RoleInvitation]:
    """Invitations not yet answered, oldest first: one alliance's, or every one."""
    query = select(RoleInvitation).where(RoleInvitation.outcome.is_(None))
    if alliance is not None:
        query = query.where(RoleInvitation.alliance_id == alliance.id)
    return list(db.session.scalars(query.order_by(RoleInvitation.id)))
