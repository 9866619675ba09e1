"""What each API resource holds, read through the same homes the pages read from.

Alliance-wide lists come from the dashboards' queries; the coordinator's scores are the scores
export's own rows; a member's figures are its dashboard's (``dashboards.member.member_view``,
whose visibility gate decides every peer figure). Nothing here decides who may see what: the
guards have already loaded the alliance, trust and cycle for the caller.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_login import current_user
from sqlalchemy import or_, select, true
from sqlalchemy.orm import aliased

from ..assessments.variants import adjustments_of
from ..dashboards.services import AllianceData
from ..dashboards.visibility import settled
from ..exports import services as exports
from ..extensions import db
from ..models import (
    Alliance,
    BuddyPair,
    Cycle,
    FrameworkSnapshot,
    Membership,
    Role,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
    Trust,
)
from . import schemas

_NUMBER_COLUMNS = {
    "self_assessed",
    "weight",
    "score",
    "index",
    "target",
    "peer_min",
    "peer_q1",
    "peer_median",
    "peer_q3",
    "peer_max",
    "percentile",
}
_INT_COLUMNS = {"peer_n", "quartile"}


def me() -> schemas.Me:
    """The token's owner, its token and the grants it reaches."""
    grants = current_user.grants
    alliances = _slugs({g.alliance_id for g in grants if g.alliance_id})
    trusts = _codes({g.trust_id for g in grants if g.trust_id})
    token = current_user.token
    return schemas.Me(
        name=current_user.name,
        email=current_user.email,
        token=schemas.TokenInfo(
            name=token.name,
            prefix=token.prefix,
            alliance=alliances.get(token.alliance_id) if token.alliance_id else None,
            expires_at=token.expires_at,
        ),
        grants=[
            schemas.GrantOut(
                role=g.role,
                alliance=alliances.get(g.alliance_id) if g.alliance_id else None,
                trust_code=trusts.get(g.trust_id) if g.trust_id else None,
            )
            for g in sorted(grants, key=lambda g: (g.role, g.alliance_id or 0, g.trust_id or 0))
        ],
    )


def alliances() -> list[schemas.AllianceOut]:
    """The alliances the caller holds a role in (through this token), by slug."""
    grants = current_user.grants
    ids = {g.alliance_id for g in grants if g.alliance_id}
    if not ids:
        return []
    trusts = _codes({g.trust_id for g in grants if g.trust_id})
    found = db.session.scalars(select(Alliance).where(Alliance.id.in_(ids)).order_by(Alliance.slug))
    return [
        schemas.AllianceOut(
            slug=a.slug,
            name=a.name,
            collaboration_type=a.collaboration_type,
            named_benchmarking=a.named_benchmarking,
            roles=sorted({g.role for g in grants if g.alliance_id == a.id}),
            trust_codes=sorted(
                trusts[g.trust_id]
                for g in grants
                if g.alliance_id == a.id and g.role == Role.TRUST_USER and g.trust_id
            ),
        )
        for a in found
    ]


def framework_ref(snapshot: FrameworkSnapshot) -> schemas.FrameworkRef:
    """Which framework version a cycle is assessed on, and whether the alliance set its own."""
    return schemas.FrameworkRef(
        key=snapshot.framework_key,
        version=snapshot.version,
        title=snapshot.title,
        scoring=snapshot.scoring,
        variant=snapshot.variant,
        alliance_settings=bool(snapshot.adjustments),
    )


def cycles(data: AllianceData) -> list[schemas.CycleOut]:
    """The alliance's cycles, oldest first (the dashboards' order)."""
    return [
        schemas.CycleOut(
            id=c.id,
            name=c.name,
            state=c.state,
            opens_on=c.opens_on,
            closes_on=c.closes_on,
            settled=settled(data, c),
            framework=framework_ref(c.snapshot),
        )
        for c in data.cycles
    ]


def standards(cycle: Cycle) -> list[schemas.StandardOut]:
    """The cycle's standards in framework order, with targets and whose they are."""
    changed = {code for code, c in adjustments_of(cycle.snapshot_id).items() if "target" in c}
    adjustments = adjustments_of(cycle.snapshot_id)
    rows = db.session.execute(
        select(SnapshotStandard, SnapshotDomain.code, SnapshotDomain.name)
        .join(SnapshotDomain, SnapshotStandard.domain_id == SnapshotDomain.id)
        .where(SnapshotStandard.snapshot_id == cycle.snapshot_id)
        .order_by(SnapshotDomain.position, SnapshotStandard.position)
    ).all()
    questions: dict[int, list[schemas.QuestionOut]] = {}
    for q in db.session.scalars(
        select(SnapshotQuestion)
        .where(SnapshotQuestion.snapshot_id == cycle.snapshot_id)
        .order_by(SnapshotQuestion.position, SnapshotQuestion.id)
    ):
        questions.setdefault(q.standard_id, []).append(
            schemas.QuestionOut(
                code=q.code,
                kind=q.kind,
                text=q.text,
                required=q.required,
                weight=q.weight,
                answered_by=q.answered_by,
            )
        )
    out = []
    for standard, domain_code, domain_name in rows:
        target_change = adjustments.get(standard.code, {}).get("target")
        out.append(
            schemas.StandardOut(
                domain_code=domain_code,
                domain_name=domain_name,
                code=standard.code,
                statement=standard.statement,
                core=standard.core,
                target=standard.target,
                framework_target=target_change[0] if target_change else standard.target,
                target_set_by="alliance" if standard.code in changed else "framework",
                weight=standard.weight,
                source=standard.source,
                continues=list(standard.continues or []),
                questions=questions.get(standard.id, []),
            )
        )
    return out


def members(data: AllianceData) -> list[schemas.MemberOut]:
    """Every member of the alliance, by trust code."""
    return [
        schemas.MemberOut(
            trust_code=m.code,
            trust_name=m.name,
            trust_type=m.trust_type,
            region=m.region,
            collaboration_type=m.collaboration_type,
            active=m.active,
        )
        for m in sorted(data.members, key=lambda m: m.code)
    ]


def statuses(data: AllianceData, cycle: Cycle) -> list[schemas.StatusOut]:
    """Each member's assessment state, status and overall index in the cycle, by trust code
    (members without an assessment in it are listed only while active, as on the page)."""
    in_cycle = data.in_cycle(cycle.id)
    scored = data.scored_in(cycle.id)
    out = []
    for m in sorted(data.members, key=lambda m: m.code):
        row = in_cycle.get(m.membership_id)
        if row is None and not m.active:
            continue
        out.append(
            schemas.StatusOut(
                trust_code=m.code,
                state=row.state if row else None,
                status=row.status if row else None,
                overall_index=scored[m.membership_id].overall_index
                if m.membership_id in scored
                else None,
            )
        )
    return out


def score_rows(alliance: Alliance, cycle: Cycle) -> list[list[object]]:
    """The scores export's rows for the cycle, exactly as the CSV writes them."""
    return list(exports.score_rows([(alliance, cycle)]))


def score_items(rows: Sequence[Sequence[object]]) -> list[schemas.ScoreOut]:
    """The export's rows as typed items: numbers as numbers, blanks as null."""
    items = []
    for row in rows:
        cells: dict[str, object] = {}
        for column, cell in zip(exports.SCORE_COLUMNS, row, strict=True):
            if cell == "" or cell is None:
                cells[column] = None
            elif column in _NUMBER_COLUMNS:
                cells[column] = float(str(cell))
            elif column in _INT_COLUMNS:
                cells[column] = int(str(cell))
            elif column in ("met", "moderated"):
                cells[column] = cell == "true"
            else:
                cells[column] = str(cell)
        items.append(schemas.ScoreOut.model_validate(cells))
    return items


def pairs(alliance: Alliance, trust: Trust | None = None) -> list[schemas.PairOut]:
    """The alliance's buddying pairs, oldest first; with ``trust``, only the pairs it is in (as
    its users see them on their buddying page)."""
    mentor, mentee = aliased(Membership), aliased(Membership)
    mentor_trust, mentee_trust = aliased(Trust), aliased(Trust)
    rows = db.session.execute(
        select(BuddyPair, mentor_trust.code, mentee_trust.code)
        .join(mentor, BuddyPair.mentor_membership_id == mentor.id)
        .join(mentor_trust, mentor.trust_id == mentor_trust.id)
        .join(mentee, BuddyPair.mentee_membership_id == mentee.id)
        .join(mentee_trust, mentee.trust_id == mentee_trust.id)
        .where(BuddyPair.alliance_id == alliance.id)
        .where(
            true()
            if trust is None
            else or_(mentor_trust.id == trust.id, mentee_trust.id == trust.id)
        )
        .order_by(BuddyPair.id)
    )
    return [
        schemas.PairOut(
            id=p.id,
            mentor_trust_code=mentor_code,
            mentee_trust_code=mentee_code,
            cycle_id=p.cycle_id,
            focus_standards=[str(s) for s in p.focus_standards or []],
            start_date=p.start_date,
            status=p.status,
            closed_at=p.closed_at,
        )
        for p, mentor_code, mentee_code in rows
    ]


def _slugs(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(Alliance.id, Alliance.slug).where(Alliance.id.in_(ids)))
    return {i: slug for i, slug in rows}


def _codes(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(Trust.id, Trust.code).where(Trust.id.in_(ids)))
    return {i: code for i, code in rows}
