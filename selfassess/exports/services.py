"""Rows for the answers and scores exports, read from stored answers and stored scores."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping

from sqlalchemy import select

from ..assessments.cycle_values import cycle_values
from ..assessments.scores import SCORED_STATES, SpecCache, typed_value
from ..assessments.variants import adjustments_of
from ..dashboards.peer_groups import EXPORT_INDEX_SCOPES, PeerGroup, peer_group
from ..demonstration import demo_notice
from ..extensions import db
from ..models import (
    Alliance,
    Answer,
    Assessment,
    AssessmentScore,
    Cycle,
    Membership,
    ScoreScope,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
    Trust,
)
from ..scoring import DomainSpec, PeerPosition, PeerStats, StandardSpec
from ..scoring.quartiles import answer_level
from ..scoring.rounding import format_index, format_level, format_score
from .csv_writer import write_csv

ANSWER_COLUMNS = (
    "alliance",
    "cycle",
    "trust_code",
    "trust_name",
    "domain_id",
    "standard_id",
    "question_id",
    "question_type",
    "weight",
    "value",
    "level",
    # The standard's wording in the cycle's framework version, so a reader knows what DATA-2 is.
    "standard_title",
)
SCORE_COLUMNS = (
    "alliance",
    "cycle",
    "trust_code",
    "scope",
    "id",
    "weight",
    "score",
    "index",
    "target",
    "target_set_by",
    "met",
    "peer_n",
    "peer_min",
    "peer_q1",
    "peer_median",
    "peer_q3",
    "peer_max",
    "percentile",
    "quartile",
    "status",
    # A moderation panel's level is the score (moderated = true); the member's own beside it.
    "moderated",
    "self_assessed",
    # Standard rows only: the standard's wording in the cycle's framework version.
    "standard_title",
)


def cycles_for(alliance_slug: str | None, cycle_name: str | None) -> list[tuple[Alliance, Cycle]]:
    """The (alliance, cycle) pairs an export covers: every one unless narrowed."""
    query = select(Alliance, Cycle).join(Cycle, Cycle.alliance_id == Alliance.id)
    if alliance_slug:
        query = query.where(Alliance.slug == alliance_slug)
    if cycle_name:
        query = query.where(Cycle.name == cycle_name)
    return [(a, c) for a, c in db.session.execute(query.order_by(Alliance.slug, Cycle.opens_on))]


def answers_csv(pairs: list[tuple[Alliance, Cycle]]) -> str:
    """Every answer of the submitted and validated assessments in the given cycles."""
    specs = SpecCache()
    return write_csv(
        ANSWER_COLUMNS,
        (row for a, c in pairs for row in _answer_rows(a, c, specs)),
        notice=demo_notice(),
    )


def _answer_rows(alliance: Alliance, cycle: Cycle, specs: SpecCache) -> Iterator[list[object]]:
    spec = specs.get(cycle.snapshot_id)
    questions = {q.id: q for q in spec.questions}
    # Quartile-scored metrics take their level from the cycle's values, as stored scores do.
    values = cycle_values(cycle.id, spec, SCORED_STATES)
    rows = db.session.execute(
        select(
            Trust.code,
            Trust.name,
            SnapshotDomain.code,
            SnapshotStandard.code,
            SnapshotQuestion.code,
            SnapshotQuestion.kind,
            SnapshotQuestion.weight,
            Answer.value,
            SnapshotStandard.statement,
        )
        .join(Membership, Membership.trust_id == Trust.id)
        .join(Assessment, Assessment.membership_id == Membership.id)
        .join(Answer, Answer.assessment_id == Assessment.id)
        .join(SnapshotQuestion, Answer.question_id == SnapshotQuestion.id)
        .join(SnapshotStandard, SnapshotQuestion.standard_id == SnapshotStandard.id)
        .join(SnapshotDomain, SnapshotStandard.domain_id == SnapshotDomain.id)
        .where(Assessment.cycle_id == cycle.id, Assessment.state.in_(SCORED_STATES))
        .order_by(
            Trust.code,
            SnapshotDomain.position,
            SnapshotStandard.position,
            SnapshotQuestion.position,
        )
    )
    for code, name, domain, standard, question, kind, weight, value, title in rows:
        if value is None or value == "":
            continue
        if question not in questions:
            continue  # an alliance fact: answered by the coordinator, not a member's answer
        level = answer_level(questions[question], typed_value(kind, value), values)
        yield [
            alliance.slug,
            cycle.name,
            code,
            name,
            domain,
            standard,
            question,
            kind,
            format_level(weight),
            value,
            "" if level is None else level,
            title,
        ]


def scores_csv(pairs: list[tuple[Alliance, Cycle]]) -> str:
    """Stored scores with peer statistics over the alliance's submitted members in each cycle."""
    specs = SpecCache()
    return write_csv(
        SCORE_COLUMNS,
        (row for a, c in pairs for row in _score_rows(a, c, specs)),
        notice=demo_notice(),
    )


def score_rows(pairs: list[tuple[Alliance, Cycle]]) -> Iterator[list[object]]:
    """The scores export's rows, before CSV encoding: the API serves the same figures."""
    specs = SpecCache()
    return (row for a, c in pairs for row in _score_rows(a, c, specs))


def _score_rows(alliance: Alliance, cycle: Cycle, specs: SpecCache) -> Iterator[list[object]]:
    spec = specs.get(cycle.snapshot_id)
    standards = {s.id: s for d in spec.domains for s in d.standards}
    domains = {d.id: d for d in spec.domains}
    adjusted_targets = {
        code for code, change in adjustments_of(cycle.snapshot_id).items() if "target" in change
    }
    titles = standard_titles(cycle.snapshot_id)
    members = db.session.execute(
        select(Assessment, Trust.code)
        .join(Membership, Assessment.membership_id == Membership.id)
        .join(Trust, Membership.trust_id == Trust.id)
        .where(Assessment.cycle_id == cycle.id)
        .order_by(Trust.code)
    ).all()
    scored_ids = {a.id for a, _ in members if a.state in SCORED_STATES}
    stored: dict[int, list[AssessmentScore]] = defaultdict(list)
    for row in db.session.scalars(
        select(AssessmentScore).where(AssessmentScore.assessment_id.in_(scored_ids))
    ):
        stored[row.assessment_id].append(row)
    # Peer values per (scope, id): standard and domain scores, the overall index.
    group = peer_group((r for rows in stored.values() for r in rows), EXPORT_INDEX_SCOPES)
    scope_order = {ScoreScope.STANDARD: 0, ScoreScope.DOMAIN: 1, ScoreScope.OVERALL: 2}
    position = {s: i for i, s in enumerate([*standards, *domains, "overall"])}
    for assessment, trust_code in members:
        rows = sorted(
            stored.get(assessment.id, []),
            key=lambda r: (scope_order[ScoreScope(r.scope)], position[r.code]),
        )
        if not rows:
            yield [
                alliance.slug,
                cycle.name,
                trust_code,
                "overall",
                "overall",
                "",
                "",
                "",
                "",
                "",
                "",
                *[""] * 8,
                assessment.status or "",
                "",
                "",
                "",
            ]
            continue
        for r in rows:
            yield _score_row(
                alliance,
                cycle,
                trust_code,
                r,
                standards,
                domains,
                group,
                assessment.status,
                adjusted_targets,
                titles,
            )


def standard_titles(snapshot_id: int) -> dict[str, str]:
    """Each standard's wording in one framework snapshot (the version a cycle used), by code."""
    rows = db.session.execute(
        select(SnapshotStandard.code, SnapshotStandard.statement).where(
            SnapshotStandard.snapshot_id == snapshot_id
        )
    )
    return {code: statement for code, statement in rows}


def _score_row(
    alliance: Alliance,
    cycle: Cycle,
    trust_code: str,
    r: AssessmentScore,
    standards: Mapping[str, StandardSpec],
    domains: Mapping[str, DomainSpec],
    group: PeerGroup,
    status: str | None,
    adjusted_targets: set[str],
    titles: Mapping[str, str],
) -> list[object]:
    """One stored score as a CSV row. ``target_set_by`` says whose target a standard is held
    to: the alliance's own (``alliance``) or the framework's default (``framework``)."""
    scope = ScoreScope(r.scope)
    value = r.score_index if scope is ScoreScope.OVERALL else r.score
    weight = target = set_by = met = ""
    if scope is ScoreScope.STANDARD:
        weight = format_level(standards[r.code].weight)
        target = format_level(standards[r.code].target)
        set_by = "alliance" if r.code in adjusted_targets else "framework"
        met = "" if r.met is None else ("true" if r.met else "false")
    elif scope is ScoreScope.DOMAIN:
        weight = format_level(domains[r.code].weight)
    peer_cells: list[object] = [""] * 8
    stat = group.stats((r.scope, r.code))
    if isinstance(stat, PeerStats) and value is not None:
        fmt = format_index if scope is ScoreScope.OVERALL else format_score
        place = group.position((r.scope, r.code), r.assessment_id)
        percentile: object = ""
        quartile: object = ""
        if isinstance(place, PeerPosition):
            percentile, quartile = format_index(place.percentile), place.quartile
        peer_cells = [
            stat.n,
            fmt(stat.min),
            fmt(stat.q1),
            fmt(stat.median),
            fmt(stat.q3),
            fmt(stat.max),
            percentile,
            quartile,
        ]
    return [
        alliance.slug,
        cycle.name,
        trust_code,
        scope.value,
        r.code,
        weight,
        format_score(r.score),
        format_index(r.score_index),
        target,
        set_by,
        met,
        *peer_cells,
        (status or "") if scope is ScoreScope.OVERALL else "",
        ("true" if r.moderated else "false") if scope is ScoreScope.STANDARD else "",
        format_score(r.self_assessed) if r.moderated else "",
        titles.get(r.code, "") if scope is ScoreScope.STANDARD else "",
    ]
