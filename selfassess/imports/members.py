"""Importing member trusts into an alliance: a preview, then requests a site administrator
approves, in one transaction with one audit event, or nothing.

The register of trusts is shared by every alliance on the instance. A coordinator sees only
their own alliance's members: a line for a trust that is not one of them becomes a request to a
site administrator, and reads the same whether or not its code is registered, so an import
reveals nothing about trusts outside the alliance (their names, types, regions or existence).
A trust already a member is left alone, and must match the file, so a typo is caught.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..mail import send_email
from ..models import Alliance, Membership, MembershipRequest, Role, RoleGrant, Trust, User
from .members_csv import MemberLine, parse_members

REQUESTED = "Asked of a site administrator, who adds it"
WAITING = "Already asked; waiting for a site administrator"
ALREADY = "Already a member"


class ImportRefused(ValueError):
    """Nothing was imported (the members changed meanwhile)."""


@dataclass
class Preview:
    """What importing the file would do, line by line, or the problems that stop it."""

    lines: list[tuple[MemberLine, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(1 for _line, action in self.lines if action == REQUESTED)


def preview(alliance: Alliance, text: str) -> Preview:
    """Check the file and say what importing it would do; changes nothing."""
    members, problems = parse_members(text)
    result = Preview(problems=problems)
    own = {
        trust.code: (trust, membership)
        for trust, membership in db.session.execute(
            select(Trust, Membership)
            .join(Membership, Membership.trust_id == Trust.id)
            .where(Membership.alliance_id == alliance.id)
        )
    }
    waiting = set(
        db.session.scalars(
            select(MembershipRequest.code).where(
                MembershipRequest.alliance_id == alliance.id, MembershipRequest.outcome.is_(None)
            )
        )
    )
    for member in members:
        if member.code not in own:
            result.lines.append((member, WAITING if member.code in waiting else REQUESTED))
            continue
        trust, membership = own[member.code]
        differs = [
            name
            for name, mine, theirs in (
                ("name", member.name, trust.name),
                ("type", member.trust_type, trust.trust_type),
                ("region", member.region, trust.region),
            )
            if mine != theirs
        ]
        if differs:  # a member of this alliance: its record is the alliance's to see
            result.problems.append(
                f'Line {member.line}: member {member.code} is "{trust.name}" '
                f"({trust.trust_type}, {trust.region}); its {', '.join(differs)} in the file "
                "differ. Correct the file to match"
            )
        else:
            state = "" if membership.active else " (it has left; not re-added)"
            result.lines.append((member, ALREADY + state))
    return result


def import_members(alliance: Alliance, text: str, user: User) -> Preview:
    """Ask for the file's new members if its preview has no problems; returns the preview."""
    result = preview(alliance, text)
    if result.problems or not result.changes:
        return result
    asked = [member for member, action in result.lines if action == REQUESTED]
    for member in asked:
        db.session.add(
            MembershipRequest(
                alliance_id=alliance.id,
                code=member.code,
                name=member.name,
                trust_type=member.trust_type,
                region=member.region,
                collaboration_type=member.collaboration_type,
                requested_by_id=user.id,
            )
        )
    audit.record(
        "alliance.members_requested",
        "alliance",
        alliance.id,
        after={"codes": [m.code for m in asked]},
        alliance_id=alliance.id,
        actor_id=user.id,
    )
    db.session.commit()
    _tell_administrators(alliance, len(asked))
    db.session.commit()
    return result


def _tell_administrators(alliance: Alliance, count: int) -> None:
    admins = db.session.scalars(
        select(User)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.SITE_ADMIN, User.active.is_(True))
    )
    for admin in admins:
        send_email(
            admin.email,
            "Membership requests to review",
            f"{alliance.name} asks for {count} trust{'s' if count != 1 else ''} to join. "
            "Review the requests on the site administration page.\n",
        )


def pending_requests(alliance: Alliance | None = None) -> list[MembershipRequest]:
    """Requests waiting for an administrator, oldest first (one alliance's, or all)."""
    query = select(MembershipRequest).where(MembershipRequest.outcome.is_(None))
    if alliance is not None:
        query = query.where(MembershipRequest.alliance_id == alliance.id)
    return list(db.session.scalars(query.order_by(MembershipRequest.id)))
