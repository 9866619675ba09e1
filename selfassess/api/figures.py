"""A member's figures in one cycle: its dashboard, as items.

Built by the dashboards' own ``member_view`` with the same ``named`` and ``restricted`` flags the
page uses for this caller, so every peer figure has passed ``dashboards.visibility`` exactly as
on the page: a trust user of an anonymous alliance gets peer figures only for settled cycles and
only for groups that ``scoring.disclosure`` publishes, whatever the peer filter asked.
"""

from __future__ import annotations

from ..dashboards.figures import MemberView
from ..dashboards.member import member_view
from ..dashboards.queries import MemberRow
from ..dashboards.services import AllianceData
from ..models import CollaborationType, Cycle
from ..scoring import PeerFilter, PeerPosition, PeerStats, Suppressed
from . import schemas
from .problems import Problem


def peer_filter(data: AllianceData, query: schemas.FigureQuery) -> PeerFilter:
    """The peer filter asked for; a value the alliance's filter form does not offer is a 400,
    as it is a form error on the page."""
    offered = {
        "collaboration_type": [t.value for t in CollaborationType],
        "region": data.regions,
        "trust_type": data.trust_types,
    }
    errors: list[dict[str, object]] = [
        {"loc": ["query", name], "msg": "not one of this alliance's values"}
        for name, values in offered.items()
        if getattr(query, name) is not None and getattr(query, name) not in values
    ]
    if errors:
        raise Problem(400, errors=errors)
    return PeerFilter(
        collaboration_type=query.collaboration_type,
        region=query.region,
        trust_type=query.trust_type,
    )


def member_figures(
    data: AllianceData,
    member: MemberRow,
    cycle: Cycle,
    chosen: PeerFilter,
    *,
    named: bool,
    restricted: bool,
) -> tuple[MemberView, list[schemas.FigureOut]]:
    """The member's dashboard in ``cycle`` and its figures: overall, domains, standards."""
    view = member_view(
        data,
        member,
        cycle,
        chosen,
        named=named,
        restricted=restricted,
        member_label=member.name,
    )
    items = []
    if view.overall_stats is not None or view.overall is not None:
        items.append(
            _figure(
                "overall",
                "overall",
                "Overall",
                view.overall,
                view.overall_stats,
                view.overall_position,
            )
        )
    for d in view.domains:
        items.append(_figure("domain", d.code, d.name, d.value, d.stats, d.position))
    for line in view.standards:
        st = line.standard
        hidden = line.peers_hidden
        items.append(
            schemas.FigureOut(
                scope="standard",
                id=st.code,
                name=st.statement,
                value=line.score,
                met=line.met,
                target=st.target,
                core=st.core,
                **_no_stats(),
                percentile=None,
                quartile=None,
                peers_met=None if hidden else line.peers_met,
                peers_scored=None if hidden else line.peers_scored,
                withheld=hidden,
            )
        )
    return view, items


def _no_stats() -> dict[str, None]:
    return dict.fromkeys(
        ("peer_n", "peer_min", "peer_q1", "peer_median", "peer_q3", "peer_max"), None
    )


def _figure(
    scope: str,
    code: str,
    name: str,
    value: float | None,
    stats: PeerStats | Suppressed | None,
    position: PeerPosition | Suppressed | None,
) -> schemas.FigureOut:
    peer: dict[str, float | int | None] = dict(_no_stats())
    withheld = None
    if isinstance(stats, PeerStats):
        peer = {
            "peer_n": stats.n,
            "peer_min": stats.min,
            "peer_q1": stats.q1,
            "peer_median": stats.median,
            "peer_q3": stats.q3,
            "peer_max": stats.max,
        }
    elif isinstance(stats, Suppressed):
        withheld = stats.reason
    placed = position if isinstance(position, PeerPosition) else None
    return schemas.FigureOut(
        scope=scope,
        id=code,
        name=name,
        value=value,
        met=None,
        target=None,
        core=None,
        **peer,  # type: ignore[arg-type]
        percentile=placed.percentile if placed else None,
        quartile=placed.quartile if placed else None,
        peers_met=None,
        peers_scored=None,
        withheld=withheld,
    )
