"""Who may do what: named access decorators and the tenancy-scoped loaders behind them.

Every view carries exactly one of these decorators (a test walks ``app.url_map`` to prove it).
Loaders answer "missing -> 404, not yours -> 403" in one place, so no view checks roles itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, request
from flask_login import current_user
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import contains_eager, joinedload

from .extensions import db
from .models import (
    Alliance,
    Assessment,
    AssessmentState,
    Cycle,
    ImprovementAction,
    Membership,
    ModerationPanelist,
    PublishedSummary,
    RespondentsSetting,
    Role,
    Trust,
)

F = TypeVar("F", bound=Callable[..., Any])


def _mark(view: Callable[..., Any], rule: str) -> None:
    view.access_rule = rule  # type: ignore[attr-defined]


def public(view: F) -> F:
    """Anyone may see this view, signed in or not."""
    _mark(view, "public")
    return view


class SignInRequired(Exception):
    """Nobody is signed in. ``auth`` answers it: a redirect to the sign-in page, or, for a form
    marked ``keeps_typed_input``, the sign-in page itself keeping what was typed."""

    def __init__(self, keep_input: bool) -> None:
        super().__init__("sign in required")
        self.keep_input = keep_input


class RecordMissing(LookupError):
    """A record named in the request does not exist for the caller: answered as 404, so
    another tenant's record is as good as missing. Services raise it; they never abort."""


def _require_sign_in() -> None:
    if current_user.is_authenticated:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    raise SignInRequired(request.method == "POST" and getattr(view, "keeps_typed_input", False))


def keeps_typed_input(view: F) -> F:
    """Mark a form page whose input must survive an ended session.

    A POST arriving after the session ended gets the sign-in page (401) carrying the typed
    fields in a hidden ``draft``; after signing in, the GET of the same page shows them again
    (``sessions.pop_draft``). The page itself still checks access and validates everything.
    """
    view.keeps_typed_input = True  # type: ignore[attr-defined]
    return view


def signed_in(view: F) -> F:
    """Any signed-in user may see this view (it shows only their own things)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _require_sign_in()
        return view(*args, **kwargs)

    _mark(wrapper, "signed_in")
    return wrapper  # type: ignore[return-value]


def site_admin_required(view: F) -> F:
    """Only site administrators."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _require_sign_in()
        if not current_user.is_site_admin:
            abort(403)
        return view(*args, **kwargs)

    _mark(wrapper, "site_admin")
    return wrapper  # type: ignore[return-value]


def alliance_role_required(*roles: Role) -> Callable[[F], F]:
    """Users holding one of ``roles`` in the alliance named by the ``slug`` URL part.

    The view receives the loaded ``alliance`` instead of ``slug``.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, slug: str, **kwargs: Any) -> Any:
            _require_sign_in()
            alliance = load_alliance(slug, roles)
            return view(*args, alliance=alliance, **kwargs)

        _mark(wrapper, "alliance:" + ",".join(sorted(roles)))
        return wrapper  # type: ignore[return-value]

    return decorator


def trust_user_required(view: F) -> F:
    """Users of the trust named by the ``code`` URL part; the view receives ``trust``."""

    @wraps(view)
    def wrapper(*args: Any, code: str, **kwargs: Any) -> Any:
        _require_sign_in()
        return view(*args, trust=load_trust(code), **kwargs)

    _mark(wrapper, "trust_user")
    return wrapper  # type: ignore[return-value]


def load_alliance(slug: str, roles: tuple[Role, ...]) -> Alliance:
    """Return the alliance if the user holds one of ``roles`` in it: 404 if missing, else 403."""
    alliance = db.session.execute(_alliance_query(), {"slug": slug}).scalar_one_or_none()
    if alliance is None:
        abort(404)
    if alliance.id not in current_user.alliance_ids(*roles):
        abort(403)
    return alliance


def load_trust(code: str) -> Trust:
    """Return the trust if the current user works for it: 404 if missing, 403 if not."""
    trust = db.session.execute(_trust_query(), {"code": code}).scalar_one_or_none()
    if trust is None:
        abort(404)
    if trust.id not in current_user.trust_ids():
        abort(403)
    return trust


def load_cycle(alliance: Alliance, cycle_id: int) -> Cycle:
    """Return a cycle of ``alliance``; another alliance's cycle is as good as missing (404)."""
    cycle = db.session.get(Cycle, cycle_id)
    if cycle is None or cycle.alliance_id != alliance.id:
        abort(404)
    return cycle


def load_published_cycle(slug: str, cycle_id: int) -> tuple[Alliance, Cycle]:
    """An alliance's cycle whose summary is published; anything else is 404, for anyone, so
    a withdrawn or never-published summary, or a cycle of another alliance, reveals nothing."""
    alliance = db.session.execute(
        select(Alliance).where(Alliance.slug == slug)
    ).scalar_one_or_none()
    cycle = db.session.get(Cycle, cycle_id) if alliance is not None else None
    if alliance is None or cycle is None or cycle.alliance_id != alliance.id:
        abort(404)
    published = db.session.execute(
        select(PublishedSummary.id).where(PublishedSummary.cycle_id == cycle.id)
    ).first()
    if published is None:
        abort(404)
    return alliance, cycle


def granted_alliance_ids(trust: Trust) -> set[int]:
    """Ids of the alliances in which the current user works for ``trust``.

    Every query a trust user's page makes about the trust is narrowed to these: the trust's
    memberships of other alliances are not theirs to see.
    """
    return current_user.trust_alliance_ids(trust.id)


def load_trust_assessment(trust: Trust, assessment_id: int) -> Assessment:
    """Return one of ``trust``'s assessments in an alliance where the user works for it; any
    other is as good as missing (404). Its membership and cycle come with it (pages ask whether
    the trust is still a member and whether the cycle is open)."""
    assessment = db.session.execute(
        _trust_assessment_query(),
        {
            "assessment_id": assessment_id,
            "trust_id": trust.id,
            "alliance_ids": sorted(granted_alliance_ids(trust)),
        },
    ).scalar_one_or_none()
    if assessment is None:
        abort(404)
    return assessment


@functools.cache
def _alliance_query() -> Select[Alliance]:
    """``load_alliance``'s query. The loaders most requests run are built once per process:
    building a statement costs more CPU than running it."""
    return select(Alliance).where(Alliance.slug == bindparam("slug"))


@functools.cache
def _trust_query() -> Select[Trust]:
    """``load_trust``'s query, built once per process (as ``_alliance_query``)."""
    return select(Trust).where(Trust.code == bindparam("code"))


@functools.cache
def _trust_assessment_query() -> Select[Assessment]:
    """``load_trust_assessment``'s query, built once per process (as ``_trust_query``)."""
    return (
        select(Assessment)
        .join(Membership, Assessment.membership_id == Membership.id)
        .options(
            contains_eager(Assessment.membership), joinedload(Assessment.cycle, innerjoin=True)
        )
        .where(
            Assessment.id == bindparam("assessment_id"),
            Membership.trust_id == bindparam("trust_id"),
            Membership.alliance_id.in_(bindparam("alliance_ids", expanding=True)),
        )
    )


def load_alliance_assessment(alliance: Alliance, assessment_id: int) -> Assessment:
    """Return an assessment in one of ``alliance``'s cycles; another alliance's is as good as
    missing (404)."""
    assessment = db.session.execute(
        select(Assessment)
        .join(Cycle, Assessment.cycle_id == Cycle.id)
        .where(Assessment.id == assessment_id, Cycle.alliance_id == alliance.id)
    ).scalar_one_or_none()
    if assessment is None:
        abort(404)
    return assessment


def load_trust_alliance(trust: Trust, slug: str) -> Alliance:
    """Return an alliance in which the user works for ``trust``; any other slug, even one of the
    trust's other alliances, is as good as missing (404)."""
    alliance = db.session.execute(
        select(Alliance)
        .join(Membership, Membership.alliance_id == Alliance.id)
        .where(
            Alliance.slug == slug,
            Membership.trust_id == trust.id,
            Alliance.id.in_(granted_alliance_ids(trust)),
        )
    ).scalar_one_or_none()
    if alliance is None:
        abort(404)
    return alliance


def load_panel_assessment(trust: Trust, assessment_id: int) -> Assessment:
    """Return a submitted assessment the current user is nominated to moderate as a reviewer
    from ``trust``, in an alliance where they still work for it; anything else, the assessed
    trust's own assessments included, is as good as missing (404)."""
    assessment = db.session.execute(
        select(Assessment)
        .join(ModerationPanelist, ModerationPanelist.assessment_id == Assessment.id)
        .join(Membership, Assessment.membership_id == Membership.id)
        .where(
            Assessment.id == assessment_id,
            Assessment.state == AssessmentState.SUBMITTED,
            ModerationPanelist.user_id == current_user.id,
            ModerationPanelist.trust_id == trust.id,
            Membership.trust_id != trust.id,
            Membership.alliance_id.in_(granted_alliance_ids(trust)),
        )
    ).scalar_one_or_none()
    # Never someone who works for the assessed trust, even if nominated before joining it.
    if assessment is None or assessment.membership.trust_id in current_user.trust_ids():
        abort(404)
    return assessment


def load_respondents(assessment: Assessment, *, lead_only: bool = False) -> RespondentsSetting:
    """Return the assessment's several-respondents setting: 404 while it is off; with
    ``lead_only``, 403 for anyone but its lead (the lead alone sees every respondent's answers
    and settles them). ``assessment`` comes from ``load_trust_assessment``."""
    setting = db.session.execute(
        select(RespondentsSetting).where(RespondentsSetting.assessment_id == assessment.id)
    ).scalar_one_or_none()
    if setting is None:
        abort(404)
    if lead_only and setting.lead_id != current_user.id:
        abort(403)
    return setting


def load_trust_membership(trust: Trust, slug: str) -> Membership:
    """Return ``trust``'s membership of the alliance ``slug`` where the user works for it; any
    other, even one of the trust's other alliances, is as good as missing (404)."""
    membership = db.session.execute(
        select(Membership)
        .join(Alliance, Membership.alliance_id == Alliance.id)
        .options(contains_eager(Membership.alliance))
        .where(
            Alliance.slug == slug,
            Membership.trust_id == trust.id,
            Alliance.id.in_(granted_alliance_ids(trust)),
        )
    ).scalar_one_or_none()
    if membership is None:
        abort(404)
    return membership


def load_alliance_member(alliance: Alliance, code: str) -> Membership:
    """Return the membership of trust ``code`` in ``alliance``; a trust that is not a member is
    as good as missing (404)."""
    membership = db.session.execute(
        select(Membership)
        .join(Trust, Membership.trust_id == Trust.id)
        .options(contains_eager(Membership.trust))
        .where(Membership.alliance_id == alliance.id, Trust.code == code)
    ).scalar_one_or_none()
    if membership is None:
        abort(404)
    return membership


def load_member_action(membership: Membership, action_id: int) -> ImprovementAction:
    """Return an action of ``membership``'s plan; another member's is as good as missing (404)."""
    action = db.session.get(ImprovementAction, action_id)
    if action is None or action.membership_id != membership.id:
        abort(404)
    return action
