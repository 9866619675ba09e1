"""The demo alliances' answers to framework 2.0's alliance-level facts (MoU, decision forum,
shared data platform...), answered once per cycle as a coordinator would on the profile.

Synthetic like the rest of the demo: each alliance gets a steady maturity, so most facts are
"yes" and a few "no" (more of them in the older cycle), decided by a hash of the alliance, the
fact and the cycle, so a reload gives the same answers.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from ..alliance_profile.facts import load_profile
from ..alliance_profile.services import answer_facts
from ..extensions import db
from ..models import Cycle, FrameworkSnapshot, Role, RoleGrant, User

#: Chance, in percent, that an alliance has a given fact in place, newest cycle first.
IN_PLACE = (85, 75)


def _share(*parts: str) -> int:
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).digest()
    return digest[0] * 100 // 256


def answer_demo_facts() -> int:
    """Answer the facts of every cycle on a framework that has them; returns how many facts
    were answered. Each alliance's coordinator answers its own (audited as theirs)."""
    answered = 0
    cycles = db.session.scalars(
        select(Cycle)
        .join(FrameworkSnapshot, Cycle.snapshot_id == FrameworkSnapshot.id)
        .where(FrameworkSnapshot.scoring == "gated")
        .order_by(Cycle.alliance_id, Cycle.opens_on.desc())
    ).all()
    newest_first: dict[int, int] = {}
    for cycle in cycles:
        age = newest_first.get(cycle.alliance_id, 0)
        newest_first[cycle.alliance_id] = age + 1
        coordinator = db.session.scalar(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == Role.COORDINATOR, RoleGrant.alliance_id == cycle.alliance_id)
            .order_by(User.id)
            .limit(1)
        )
        if coordinator is None:
            continue
        chance = IN_PLACE[min(age, len(IN_PLACE) - 1)]
        slug = cycle.alliance.slug
        answers = {
            q.code: "yes" if _share(slug, q.code) < chance else "no"
            for q in load_profile(cycle).questions
            if q.kind == "yes_no"
        }
        answered += answer_facts(cycle, answers, coordinator, even_if_closed=True)
    return answered
