"""Importing member trusts into an alliance: a preview of what would change, then all of it in
one transaction with one audit event, or nothing.

A trust already known by its code must match the file (name, type, region), so a typo never
renames a trust other alliances share; a trust already a member is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..models import Alliance, Membership, Trust, User
from .members_csv import MemberLine, parse_members

NEW_TRUST = "New trust, joins the alliance"
JOINS = "Joins the alliance"
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
        return sum(1 for _line, action in self.lines if action != ALREADY)


def preview(alliance: Alliance, text: str) -> Preview:
    """Check the file and say what importing it would do; changes nothing."""
    members, problems = parse_members(text)
    result = Preview(problems=problems)
    codes = [m.code for m in members]
    trusts = {t.code: t for t in db.session.scalars(select(Trust).where(Trust.code.in_(codes)))}
    memberships = {m.trust_id: m for m in db.session.scalars(
        select(Membership).where(Membership.alliance_id == alliance.id))}
    for member in members:
        trust = trusts.get(member.code)
        if trust is None:
            result.lines.append((member, NEW_TRUST))
            continue
        differs = [name for name, mine, theirs in (
            ("name", member.name, trust.name), ("type", member.trust_type, trust.trust_type),
            ("region", member.region, trust.region)) if mine != theirs]
        if differs:
            result.problems.append(
                f"Line {member.line}: trust {member.code} is already known as \"{trust.name}\" "
                f"({trust.trust_type}, {trust.region}); its {', '.join(differs)} in the file "
                "differ. Correct the file to match")
        elif trust.id in memberships:
            state = "" if memberships[trust.id].active else " (it has left; not re-added)"
            result.lines.append((member, ALREADY + state))
        else:
            result.lines.append((member, JOINS))
    return result


def import_members(alliance: Alliance, text: str, user: User, joined_on: date) -> Preview:
    """Import the file if its preview has no problems; returns the preview either way."""
    result = preview(alliance, text)
    if result.problems or not result.changes:
        return result
    created: list[str] = []
    joined: list[str] = []
    trusts = {t.code: t for t in db.session.scalars(select(Trust).where(
        Trust.code.in_([m.code for m, _action in result.lines])))}
    try:
        for member, action in result.lines:
            if action == NEW_TRUST:
                trust = Trust(code=member.code, name=member.name, trust_type=member.trust_type,
                              region=member.region)
                db.session.add(trust)
                db.session.flush()
                trusts[member.code] = trust
                created.append(member.code)
            if action in (NEW_TRUST, JOINS):
                db.session.add(Membership(alliance_id=alliance.id,
                                          trust_id=trusts[member.code].id,
                                          collaboration_type=member.collaboration_type,
                                          joined_on=joined_on))
                joined.append(member.code)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ImportRefused("Someone else added some of these trusts or members meanwhile. "
                            "Nothing was imported; preview the file again.") from None
    audit.record("alliance.members_imported", "alliance", alliance.id,
                 after={"created_trusts": created, "memberships": joined,
                        "joined_on": joined_on.isoformat()},
                 alliance_id=alliance.id, actor_id=user.id)
    db.session.commit()
    return result
