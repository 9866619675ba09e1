"""``/api/v1``: read-only resources for a personal API token, each behind the pages' guards.

A request is authenticated by its bearer token alone (a session cookie is ignored), counted in
the shared rate limiter, and then acts as ``TokenUser``: the owner with grants narrowed to the
token's scope. The views carry the same access decorators and loaders as the pages, so every
refusal (missing -> 404, not yours -> 403) is the page's own.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, g, render_template, request
from limits import parse
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from ..access import (
    RecordMissing,
    SignInRequired,
    alliance_role_required,
    load_cycle,
    load_trust_alliance,
    public,
    signed_in,
    trust_user_required,
)
from ..auth.throttle import client_address, throttle
from ..dashboards.queries import MemberRow
from ..dashboards.services import AllianceData, load_alliance
from ..database import reads_only_from_now, writes_from_now
from ..errors import render_error
from ..extensions import csrf, db, login_manager
from ..models import Alliance, Cycle, Role, Trust
from . import resources, schemas
from .answers import document, listing, parse_query
from .figures import member_figures, peer_filter
from .principal import TokenUser
from .problems import Problem, problem_response
from .spec import documented, openapi_document
from .tokens import live_token, note_use

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Read-only, and authenticated by a bearer token a browser never sends on its own, so there is
# no cross-site request to forge; without this a POST would get the CSRF page, not a problem.
csrf.exempt(bp)

IN_ALLIANCE = (Role.COORDINATOR, Role.BUDDYING_LEAD, Role.TRUST_USER)
ALLIANCE_STAFF = (Role.COORDINATOR, Role.BUDDYING_LEAD)
#: Views anyone may read without a token: the description of the API itself.
OPEN_ENDPOINTS = frozenset({"api.openapi", "api.docs", "api.no_such_resource"})


@bp.before_request
def _authenticate() -> Response | None:
    """Act as the token's owner, or as nobody: a browser's session never reaches the API."""
    g._login_user = login_manager.anonymous_user()  # Flask-Login's cached current_user
    if request.method == "OPTIONS":
        # Flask's automatic answer would list the catch-all's methods too: say what is true.
        if request.endpoint == "api.no_such_resource":
            raise Problem(404)
        return Response(status=204, headers={"Allow": "GET, HEAD, OPTIONS"})
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if not scheme:
        return None  # the guard answers 401
    writes_from_now()  # the limiter's hit and the token's use count are written first
    limiter = throttle().limiter
    bad = parse(current_app.config["API_BAD_TOKEN_LIMIT"])
    address = client_address()
    if not limiter.test(bad, "api-bad-token", address):
        raise Problem(429, headers={"Retry-After": str(bad.get_expiry())})
    token = live_token(secret.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        limiter.hit(bad, "api-bad-token", address)
        db.session.commit()
        raise Problem(401)
    per_token = parse(current_app.config["API_RATE_LIMIT"])
    if not limiter.hit(per_token, "api-token", str(token.id)):
        raise Problem(429, headers={"Retry-After": str(per_token.get_expiry())})
    note_use(token)
    db.session.commit()
    reads_only_from_now()  # the resource itself only reads
    g._login_user = TokenUser(token.user, token)
    return None


@bp.errorhandler(Problem)
def _problem(error: Problem) -> Response:
    db.session.rollback()
    return problem_response(error)


@bp.errorhandler(SignInRequired)
def _no_token(error: SignInRequired) -> Response:
    return problem_response(Problem(401))


@bp.errorhandler(RecordMissing)
def _missing(error: RecordMissing) -> Response:
    return problem_response(Problem(404))


@bp.errorhandler(HTTPException)
def _http(error: HTTPException) -> Response:
    status = error.code or 500
    problem = Problem(status if status in (400, 403, 404, 405, 406, 413, 429) else 400)
    if isinstance(error, MethodNotAllowed):
        problem.headers["Allow"] = "GET, HEAD, OPTIONS"
    return problem_response(problem)


def _outside_a_view(error: HTTPException) -> Response:
    """Errors raised before any view is chosen (no route matched, or a request hook refused
    the request): under /api/v1 a problem too; anywhere else the app's own error page."""
    code = error.code or 500
    if request.path.startswith(bp.url_prefix or "/api/v1"):
        return _http(error)
    response = render_error(code)
    allow = error.get_response().headers.get("Allow")
    if allow:
        response.headers["Allow"] = allow
    return response


for _code in (400, 404, 405):
    bp.app_errorhandler(_code)(_outside_a_view)


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return _http(error)
    current_app.logger.exception("Unhandled API error (request %s)", g.get("request_id"))
    db.session.rollback()
    return problem_response(Problem(500))


# -- Resources ---------------------------------------------------------------------------------


@bp.get("/me")
@signed_in
@documented(schemas.Me, tag="token")
def me() -> Response:
    """The token's owner, the token, and the grants it reaches."""
    return document(resources.me())


@bp.get("/alliances")
@signed_in
@documented(schemas.AlliancePage, query=schemas.PageQuery, tag="alliances")
def alliances() -> Response:
    """The alliances in which the token reaches a role, by slug."""
    query = parse_query(schemas.PageQuery)
    return listing(schemas.AlliancePage, resources.alliances(), query)


@bp.get("/alliances/<slug>/cycles")
@alliance_role_required(*IN_ALLIANCE)
@documented(schemas.CyclePage, query=schemas.PageQuery, tag="alliances")
def cycles(alliance: Alliance) -> Response:
    """The alliance's cycles, oldest first, each with its framework version."""
    query = parse_query(schemas.PageQuery)
    return listing(schemas.CyclePage, resources.cycles(load_alliance(alliance)), query)


@bp.get("/alliances/<slug>/cycles/<int:cycle_id>/standards")
@alliance_role_required(*IN_ALLIANCE)
@documented(schemas.StandardPage, query=schemas.PageQuery, tag="frameworks")
def standards(alliance: Alliance, cycle_id: int) -> Response:
    """The cycle's framework: standards in order, targets (and whose), questions, lineage."""
    query = parse_query(schemas.PageQuery)
    cycle = load_cycle(alliance, cycle_id)
    return listing(
        schemas.StandardPage,
        resources.standards(cycle),
        query,
        framework=resources.framework_ref(cycle.snapshot),
    )


@bp.get("/alliances/<slug>/members")
@alliance_role_required(*ALLIANCE_STAFF)
@documented(schemas.MemberPage, query=schemas.PageQuery, tag="members")
def members(alliance: Alliance) -> Response:
    """The alliance's members, by trust code (coordinators and buddying leads)."""
    query = parse_query(schemas.PageQuery)
    return listing(schemas.MemberPage, resources.members(load_alliance(alliance)), query)


@bp.get("/alliances/<slug>/cycles/<int:cycle_id>/statuses")
@alliance_role_required(*ALLIANCE_STAFF)
@documented(schemas.StatusPage, query=schemas.PageQuery, tag="members")
def statuses(alliance: Alliance, cycle_id: int) -> Response:
    """Each member's state, membership status and overall index in the cycle."""
    query = parse_query(schemas.PageQuery)
    cycle = load_cycle(alliance, cycle_id)
    return listing(schemas.StatusPage, resources.statuses(load_alliance(alliance), cycle), query)


@bp.get("/alliances/<slug>/cycles/<int:cycle_id>/scores")
@alliance_role_required(Role.COORDINATOR)
@documented(schemas.ScorePage, query=schemas.PageQuery, tag="scores")
def scores(alliance: Alliance, cycle_id: int) -> Response:
    """Every stored score of the cycle with peer statistics: the coordinator's scores export,
    row for row (CSV with ``Accept: text/csv``)."""
    query = parse_query(schemas.PageQuery)
    cycle = load_cycle(alliance, cycle_id)
    rows = resources.score_rows(alliance, cycle)
    return listing(
        schemas.ScorePage,
        resources.score_items(rows),
        query,
        csv_columns=resources.exports.SCORE_COLUMNS,
        csv_rows=rows,
    )


@bp.get("/alliances/<slug>/members/<code>/cycles/<int:cycle_id>/figures")
@alliance_role_required(*ALLIANCE_STAFF)
@documented(schemas.FigurePage, query=schemas.FigureQuery, tag="scores")
def member_figures_view(alliance: Alliance, code: str, cycle_id: int) -> Response:
    """A member's dashboard figures, for coordinators and buddying leads."""
    query = parse_query(schemas.FigureQuery)
    cycle = load_cycle(alliance, cycle_id)
    data = load_alliance(alliance)
    member = data.member(code)
    return _figures(data, member, cycle, query, named=True, restricted=False)


@bp.get("/trusts/<code>/alliances/<slug>/cycles/<int:cycle_id>/figures")
@trust_user_required
@documented(schemas.FigurePage, query=schemas.FigureQuery, tag="scores")
def trust_figures(trust: Trust, slug: str, cycle_id: int) -> Response:
    """The caller's own trust's dashboard figures: in an anonymous alliance, peer figures only
    where the trust's own dashboard shows them."""
    query = parse_query(schemas.FigureQuery)
    alliance = load_trust_alliance(trust, slug)
    cycle = load_cycle(alliance, cycle_id)
    data = load_alliance(alliance)
    named = alliance.named_benchmarking
    return _figures(data, data.member(trust.code), cycle, query, named=named, restricted=not named)


def _figures(
    data: AllianceData,
    member: MemberRow,
    cycle: Cycle,
    query: schemas.FigureQuery,
    *,
    named: bool,
    restricted: bool,
) -> Response:
    view, items = member_figures(
        data, member, cycle, peer_filter(data, query), named=named, restricted=restricted
    )
    return listing(
        schemas.FigurePage,
        items,
        query,
        trust_code=member.code,
        cycle_id=cycle.id,
        status=view.assessment.status if view.assessment else None,
        withheld=view.withheld,
    )


@bp.get("/alliances/<slug>/buddy-pairs")
@alliance_role_required(*ALLIANCE_STAFF)
@documented(schemas.PairPage, query=schemas.PageQuery, tag="buddying")
def buddy_pairs(alliance: Alliance) -> Response:
    """The alliance's buddying pairs, oldest first."""
    query = parse_query(schemas.PageQuery)
    return listing(schemas.PairPage, resources.pairs(alliance), query)


@bp.get("/trusts/<code>/alliances/<slug>/buddy-pairs")
@trust_user_required
@documented(schemas.PairPage, query=schemas.PageQuery, tag="buddying")
def trust_buddy_pairs(trust: Trust, slug: str) -> Response:
    """The buddying pairs the caller's own trust is in, in one alliance, oldest first."""
    query = parse_query(schemas.PageQuery)
    alliance = load_trust_alliance(trust, slug)
    return listing(schemas.PairPage, resources.pairs(alliance, trust), query)


# -- The description of the API ------------------------------------------------------------------


@bp.get("/openapi.json")
@public
def openapi() -> Response:
    """The OpenAPI 3.1 document, generated from the views above."""
    return Response(json.dumps(openapi_document()), mimetype="application/json")


@bp.get("/docs")
@public
def docs() -> str:
    """The API's reference page, rendered on the server from the OpenAPI document."""
    return render_template("api/docs.html", doc=openapi_document())


@bp.route("/<path:rest>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
@public
def no_such_resource(rest: str) -> Response:
    """Anything else under /api/v1: a problem, never an HTML page."""
    adapter = current_app.url_map.bind("")
    try:
        endpoint, _ = adapter.match(request.path, method="GET")
    except (NotFound, MethodNotAllowed):
        endpoint = None
    if endpoint in (None, "api.no_such_resource"):
        abort(404)
    # The path exists for GET, so this was another method on a read-only API.
    abort(405)
