"""Benchmarking dashboards (member and alliance) and the Vega script they draw charts with."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as Redirect

from ..access import alliance_role_required, load_trust_alliance, public, trust_user_required
from ..charts import bundle as vega
from ..models import Alliance, Role, Trust
from ..scoring.formatting import FILTERS
from . import own_targets
from .alliance import alliance_view
from .figures import MemberView
from .forms import AllianceFilterForm, PeerFilterForm, TargetsForm
from .listing import page_number
from .member import member_view
from .queries import standards as cycle_standards
from .services import AllianceData, load_alliance
from .what_if import PREFIX, what_if_page

bp = Blueprint("dashboards", __name__)

#: A year: the URL changes whenever the content does.
BUNDLE_MAX_AGE = 365 * 24 * 3600
ALLIANCE_ROLES = (Role.COORDINATOR, Role.BUDDYING_LEAD)


@bp.app_template_global()
def vega_bundle_url() -> str:
    """The content-addressed URL of the Vega bundle (builds it on first use)."""
    return url_for("dashboards.vega_bundle", digest=vega.bundle().digest)


@bp.route("/assets/vega-<digest>.js")
@public
def vega_bundle(digest: str) -> Response:
    bundle = vega.bundle()
    if digest != bundle.digest:
        abort(404)
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(bundle.gzipped if gzipped else bundle.body, mimetype="text/javascript")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"public, max-age={BUNDLE_MAX_AGE}, immutable"
    return response


def _form(data: AllianceData, membership_id: int | None = None) -> PeerFilterForm:
    """The GET form; a member's dashboard (``membership_id``) also offers recommended peers."""
    form = PeerFilterForm.build(
        request.args,
        data.cycles,
        data.default_cycle(membership_id),
        data.regions,
        data.trust_types,
        recommended=membership_id is not None,
    )
    form.check()
    return form


def _member_page(data: AllianceData, code: str, *, named: bool, own: bool) -> str:
    """A member's dashboard; a trust's own in an anonymous alliance is ``restricted``."""
    member = data.member(code)
    form = _form(data, member.membership_id)
    cycle = form.chosen_cycle(data.cycles, data.default_cycle(member.membership_id))
    view = None
    if cycle is not None:
        view = member_view(
            data,
            member,
            cycle,
            form.peer_filter(),
            named=named,
            restricted=own and not named,
            member_label="Your trust" if own else member.name,
        )
    targets = None
    if own and view is not None and view.scored:
        targets = own_targets.targets_view(view, own_targets.targets_of(member.membership_id))
    return render_template(
        "dashboards/member.html",
        alliance=data.alliance,
        member=member,
        form=form,
        view=view,
        own=own,
        targets=targets,
        framework_changes_url=framework_changes_url(view),
    )


def framework_changes_url(view: MemberView | None) -> str | None:
    """The "what changed between versions" page for the latest framework change the member's
    trend or change crosses, or None when nothing crosses versions."""
    if view is None:
        return None
    crossed = [p.cycle for p in view.trend if p.crossed_from is not None]
    if view.change is not None and view.change.crossing:
        crossed.append(view.cycle)
    if not crossed:
        return None
    snapshot = max(crossed, key=lambda c: (c.opens_on, c.id)).snapshot
    return url_for(
        "frameworks.show_changes", framework_id=snapshot.framework_key, version=snapshot.version
    )


@bp.route("/trusts/<code>/alliances/<slug>/dashboard")
@trust_user_required
def trust_dashboard(trust: Trust, slug: str) -> str:
    alliance = load_trust_alliance(trust, slug)
    return _member_page(
        load_alliance(alliance), trust.code, named=alliance.named_benchmarking, own=True
    )


@bp.route("/trusts/<code>/alliances/<slug>/what-if")
@trust_user_required
def what_if(trust: Trust, slug: str) -> tuple[str, int]:
    """Choose levels for standards and see the trust's scores and status with them; saves
    nothing, so a GET form: every what-if is a link, and no CSRF token is needed."""
    alliance = load_trust_alliance(trust, slug)
    data = load_alliance(alliance)
    member = data.member(trust.code)
    cycle = next(
        (c for c in data.cycles if str(c.id) == request.args.get("cycle")),
        data.default_cycle(member.membership_id),
    )
    page = what_if_page(data, member, cycle, request.args) if cycle is not None else None
    html = render_template(
        "dashboards/what_if.html",
        alliance=alliance,
        trust=trust,
        cycles=list(reversed(data.cycles)),
        page=page,
        prefix=PREFIX,
    )
    return html, 400 if page is not None and page.errors else 200


@bp.route("/trusts/<code>/alliances/<slug>/targets", methods=["GET", "POST"])
@trust_user_required
def set_targets(trust: Trust, slug: str) -> Redirect | tuple[str, int]:
    """The trust's own target level per standard of the alliance's latest cycle."""
    alliance = load_trust_alliance(trust, slug)
    membership = own_targets.membership_of(trust.id, alliance.id)
    cycles = load_alliance(alliance).cycles
    cycle = cycles[-1] if cycles else None
    standards = cycle_standards(cycle.snapshot_id) if cycle is not None else []
    form = TargetsForm()
    state = own_targets.TargetsState.loaded(membership.id)
    if form.validate_on_submit():
        codes = [s.code for s in standards]
        state = own_targets.submit_targets(membership, codes, request.form, current_user)
        if state.changed is not None:
            flash(
                f"Targets saved: {state.changed} changed."
                if state.changed
                else "No target changed.",
                "success",
            )
            return redirect(url_for(".trust_dashboard", code=trust.code, slug=slug))
    return render_template(
        "dashboards/own_targets.html",
        alliance=alliance,
        trust=trust,
        cycle=cycle,
        standards=standards,
        form=form,
        state=state,
        levels=own_targets.LEVELS,
        level_prefix=own_targets.LEVEL,
        seen_prefix=own_targets.SEEN,
    ), state.status


@bp.route("/alliances/<slug>/members/<code>/dashboard")
@alliance_role_required(*ALLIANCE_ROLES)
def member_dashboard(alliance: Alliance, code: str) -> str:
    return _member_page(load_alliance(alliance), code, named=True, own=False)


@bp.route("/alliances/<slug>/dashboard")
@alliance_role_required(*ALLIANCE_ROLES)
def alliance_dashboard(alliance: Alliance) -> str:
    data = load_alliance(alliance)
    form = AllianceFilterForm.build_listing(
        request.args, data.cycles, data.default_cycle(), data.regions, data.trust_types
    )
    form.check()
    page, page_problem = page_number(request.args.get("page"))
    cycle = form.chosen_cycle(data.cycles, data.default_cycle())
    view = None
    if cycle is not None:
        view = alliance_view(
            data, cycle, form.peer_filter(), request.args.get("sort", ""), form.listing(page)
        )
    return render_template(
        "dashboards/alliance.html",
        alliance=alliance,
        form=form,
        view=view,
        page_problem=page_problem,
    )


for _name, _filter in FILTERS.items():
    bp.add_app_template_filter(_filter, _name)
