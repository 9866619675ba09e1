"""Invitations nobody has answered yet, as the site administrator's "what needs doing" lists
them: when the link was last sent, whether it has expired, and whether sending it again would
work now (so the page offers only what is possible).

A link expires ``TOKEN_MAX_AGE_INVITE`` after it was sent, and sending an offer again (the same
role to the same address) writes another ``role.offered`` audit event; so the last of those
events is when the newest link was sent, whatever the offer's ``created_at`` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models import AuditEvent, Membership, Role, RoleInvitation, User
from ..models._types import utcnow
from .rules import Scope
from .services import InvitationRefused, describe, invite, send, standing_offers


@dataclass(frozen=True)
class WaitingOffer:
    """An unanswered invitation and what can be done about it now."""

    offer: RoleInvitation
    role: str
    sent_at: datetime
    expired: bool
    #: Why it cannot be sent again now, or None when the page may offer "Send again".
    refusal: str | None


def _last_sent(ids: list[int]) -> dict[int, datetime]:
    """When each offer's newest link was sent (one query)."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(AuditEvent.entity_id, func.max(AuditEvent.occurred_at))
        .where(
            AuditEvent.action == "role.offered",
            AuditEvent.entity_type == "role_invitation",
            AuditEvent.entity_id.in_(ids),
        )
        .group_by(AuditEvent.entity_id)
    ).all()
    return {entity_id: when for entity_id, when in rows if entity_id is not None}


def resend_refusal(offer: RoleInvitation) -> str | None:
    """Why this offer cannot be sent again now, or None: it was answered meanwhile, or the
    trust it names has left the alliance (accepting would be refused anyway)."""
    if offer.outcome is not None:
        return f"This invitation was already {offer.outcome}."
    if offer.role == Role.TRUST_USER:
        active = db.session.scalar(
            select(Membership.active).where(
                Membership.alliance_id == offer.alliance_id, Membership.trust_id == offer.trust_id
            )
        )
        if not active:
            return "The trust is no longer a member of the alliance."
    return None


def waiting_offers() -> list[WaitingOffer]:
    """Every unanswered invitation, expired ones first, then oldest first."""
    offers = standing_offers()
    sent = _last_sent([o.id for o in offers])
    max_age = timedelta(seconds=current_app.config["TOKEN_MAX_AGE_INVITE"])
    now = utcnow()
    found = []
    for offer in offers:
        when = sent.get(offer.id, offer.created_at)
        found.append(
            WaitingOffer(offer, describe(offer), when, now - when > max_age, resend_refusal(offer))
        )
    return sorted(found, key=lambda w: (not w.expired, w.sent_at))


def resend(offer: RoleInvitation, giver: User) -> None:
    """Send the offer again with a fresh link (audited as another ``role.offered``, by
    ``invite``); refused when ``resend_refusal`` says so."""
    refusal = resend_refusal(offer)
    if refusal is not None:
        raise InvitationRefused(refusal)
    again = invite(
        giver, offer.email, offer.name, Scope(offer.role, offer.alliance_id, offer.trust_id)
    )
    db.session.commit()
    if again is None:
        raise InvitationRefused("That account already holds the role offered.")
    send(again)
    db.session.commit()
