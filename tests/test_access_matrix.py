"""Who may reach what: every route in ``app.url_map`` against every kind of user.

The expected outcome of each (endpoint, role) cell is written out in ``EXPECTED`` below. A route
with no entry fails the matrix, so whoever adds a route must decide who may use it.

Outcomes:
    "ok"        200; for ``main.home``, a 302 to the user's own role home when they have one.
    "login"     302 to /auth/sign-in?next=<this page> (the access decorators' sign-in prompt).
    "redirect"  any other 302 (e.g. a signed-in user sent on from the sign-in page).
    403, 404..  that status code.

GET is checked where the route allows it; POST-only routes are checked with a POST carrying a
valid CSRF token (so only the access rule can stop it), and every table is compared before and
after so a refused POST is shown to change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from selfassess.auth import tokens
from selfassess.charts import bundle as vega
from selfassess.extensions import db
from selfassess.invitations import services as invitations
from selfassess.models import (
    Alliance,
    Assessment,
    BuddyPair,
    Cycle,
    EvidenceBlob,
    EvidenceFile,
    FrameworkSnapshot,
    ImprovementAction,
    Membership,
    MembershipRequest,
    Notification,
    OutboxEmail,
    ReportSnapshot,
    RespondentsSetting,
    RoleGrant,
    RoleInvitation,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
    Trust,
    User,
    UserSession,
)
from tests.conftest import FAST_HASH, TEST_PASSWORD, _empty_tables, build_app, csrf_token

ROLES = (
    "anonymous",
    "trust_a",  # trust user of trust A (a member of alliance X)
    "trust_b",  # trust user of trust B (a member of alliance Y)
    "coord_x",  # coordinator of alliance X
    "coord_y",  # coordinator of alliance Y
    "lead_x",  # buddying lead of alliance X
    "admin",  # site administrator
    "no_grant",  # signed in, but holds no role at all
)

OK, LOGIN, RDR = "ok", "login", "redirect"

# fmt: off
_ROWS: dict[str, tuple[Any, ...]] = {
    # columns follow ROLES: anonymous, trust_a, trust_b, coord_x, coord_y, lead_x, admin, no_grant
    #                                anon   tr_A   tr_B   co_X   co_Y   bl_X   admin  none
    "main.index":                   (RDR,   RDR,   RDR,   RDR,   RDR,   RDR,   RDR,   RDR),
    "main.favicon":                 (RDR,   RDR,   RDR,   RDR,   RDR,   RDR,   RDR,   RDR),
    "main.home":                    (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "auth.sign_in":                 (OK,    RDR,   RDR,   RDR,   RDR,   RDR,   RDR,   RDR),
    "auth.sign_out":                (LOGIN, RDR,   RDR,   RDR,   RDR,   RDR,   RDR,   RDR),
    "auth.forgot_password":         (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "auth.reset_password":          (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "auth.accept_invitation":       (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "invitations.respond":          (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "auth.second_factor":           (RDR,   RDR,   RDR,   RDR,   RDR,   RDR,   RDR,   RDR),
    "auth.set_up_second_factor":    (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "admin.home":                   (LOGIN, 403,   403,   403,   403,   403,   OK,    403),
    "admin.invite_user":            (LOGIN, 403,   403,   403,   403,   403,   RDR,   403),
    "admin.toggle_user":            (LOGIN, 403,   403,   403,   403,   403,   RDR,   403),
    "admin.confirm_deactivate":     (LOGIN, 403,   403,   403,   403,   403,   OK,    403),
    "admin.answer_membership_request": (LOGIN, 403, 403,  403,   403,   403,   RDR,   403),
    "admin.remove_second_factor":   (LOGIN, 403,   403,   403,   403,   403,   RDR,   403),
    "admin.retry_email":            (LOGIN, 403,   403,   403,   403,   403,   RDR,   403),
    "admin.resend_invitation":      (LOGIN, 403,   403,   403,   403,   403,   RDR,   403),
    "coordinator.home":             (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "coordinator.export_answers":   (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "coordinator.export_scores":    (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "buddying.home":                (LOGIN, 403,   403,   403,   403,   OK,    403,   403),
    "dashboards.vega_bundle":       (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "dashboards.trust_dashboard":   (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "dashboards.what_if":           (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "dashboards.set_targets":       (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "dashboards.member_dashboard":  (LOGIN, 403,   403,   OK,    403,   OK,    403,   403),
    "dashboards.alliance_dashboard": (LOGIN, 403,  403,   OK,    403,   OK,    403,   403),
    "buddying.member_support":      (LOGIN, 403,   403,   403,   403,   OK,    403,   403),
    "buddying.assign_pair":         (LOGIN, 403,   403,   403,   403,   OK,    403,   403),
    "buddying.list_pairs":          (LOGIN, 403,   403,   OK,    403,   OK,    403,   403),
    "buddying.pair_detail":         (LOGIN, 403,   403,   OK,    403,   OK,    403,   403),
    "buddying.change_pair_status":  (LOGIN, 403,   403,   403,   403,   RDR,   403,   403),
    "buddying.confirm_pair_status": (LOGIN, 403,   403,   403,   403,   OK,    403,   403),
    "buddying.add_pair_note":       (LOGIN, 403,   403,   403,   403,   RDR,   403,   403),
    "buddying.outcomes":            (LOGIN, 403,   403,   OK,    403,   OK,    403,   403),
    "buddying.trust_pairs":         (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    # Improvement plan: trust A's users keep it; X's coordinators and buddying leads read it.
    "plans.trust_plan":             (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "plans.start_action":           (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "plans.edit_action":            (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "plans.member_plan":            (LOGIN, 403,   403,   OK,    403,   OK,    403,   403),
    "questionnaire.trust_home":     (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "questionnaire.assessment":     (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "questionnaire.section":        (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "questionnaire.check":          (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "questionnaire.section_owner":  (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "questionnaire.submit":         (LOGIN, 400,   403,   403,   403,   403,   403,   403),
    "questionnaire.review_comments": (LOGIN, OK,   403,   403,   403,   403,   403,   403),
    "questionnaire.copy_forward":   (LOGIN, RDR,   403,   403,   403,   403,   403,   403),
    # Several respondents is on for trust A's assessment, with trust A's user as its lead.
    "respondents.settings":         (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "respondents.section":          (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "respondents.answers":          (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "coordinator.open_cycle":       (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "coordinator.cycle":            (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "coordinator.close_cycle":      (LOGIN, 403,   403,   RDR,   403,   403,   403,   403),
    # The world's cycle is open and unpublished: its public summary is 404 for everyone, and
    # publishing it is refused with a message (nothing changes); so is withdrawing it.
    "summaries.summary_page":       (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "summaries.publish_summary":    (LOGIN, 403,   403,   RDR,   403,   403,   403,   403),
    "summaries.withdraw_summary":   (LOGIN, 403,   403,   RDR,   403,   403,   403,   403),
    "summaries.published_summary":  (404,   404,   404,   404,   404,   404,   404,   404),
    "coordinator.confirm_close_cycle": (LOGIN, 403, 403,  OK,    403,   403,   403,   403),
    "coordinator.extend_cycle":     (LOGIN, 403,   403,   RDR,   403,   403,   403,   403),
    "coordinator.member_deadline":  (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "coordinator.review":           (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "coordinator.return_assessment": (LOGIN, 403,  403,   400,   403,   403,   403,   403),
    "coordinator.validate_assessment": (LOGIN, 403, 403,  409,   403,   403,   403,   403),
    "coordinator.confirm_validate": (LOGIN, 403,   403,   RDR,   403,   403,   403,   403),
    "coordinator.history":          (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "evidence.question_files":      (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "evidence.remove_file":         (LOGIN, RDR,   403,   403,   403,   403,   403,   403),
    "evidence.trust_download":      (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "evidence.coordinator_download": (LOGIN, 403,  403,   OK,    403,   403,   403,   403),
    "standards.index":              (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "moderation.settings":          (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "moderation.coordinator_page":  (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    # Alliance X does not moderate: its coordinator gets past the guard to the refusal.
    "moderation.nominate":          (LOGIN, 403,   403,   400,   403,   403,   403,   403),
    # Nobody sits on a panel in this world: the panelist id is nobody's.
    "moderation.remove_panelist":   (LOGIN, 403,   403,   404,   403,   403,   403,   403),
    "moderation.panel_list":        (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    # Trust A's user is never on its own assessment's panel (tests/moderation).
    "moderation.panel_page":        (LOGIN, 404,   403,   403,   403,   403,   403,   403),
    "evidence.panel_download":      (LOGIN, 404,   403,   403,   403,   403,   403,   403),
    "standards.version":            (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "standards.change":             (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "standards.export_version":     (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "standards.import_version":     (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "standards.start_draft":        (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    # Alliance X has no draft: its coordinator gets past the guard to "no such draft".
    "standards.draft":              (LOGIN, 403,   403,   404,   403,   403,   403,   403),
    "standards.add_domain":         (LOGIN, 403,   403,   404,   403,   403,   403,   403),
    "standards.add_standard":       (LOGIN, 403,   403,   404,   403,   403,   403,   403),
    "standards.edit_standard":      (LOGIN, 403,   403,   404,   403,   403,   403,   403),
    "standards.remove_standard":    (LOGIN, 403,   403,   404,   403,   403,   403,   403),
    "standards.preview_draft":      (LOGIN, 403,   403,   404,   403,   403,   403,   403),
    "standards.publish_draft":      (LOGIN, 403,   403,   404,   403,   403,   403,   403),
    "standards.discard_draft":      (LOGIN, 403,   403,   404,   403,   403,   403,   403),
    "workbook.download_workbook": (LOGIN, OK,   403,   403,   403,   403,   403,   403),
    "workbook.upload_workbook": (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "workbook.download_review_workbook": (LOGIN, 403, 403, OK, 403,  403,   403,   403),
    "coordinator.export_cycle_members_xlsx": (LOGIN, 403, 403, OK,   403,   403,   403,   403),
    "coordinator.export_scores_xlsx":   (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "reports.member_report_page":   (LOGIN, 403,   403,   OK,    403,   OK,    403,   403),
    "reports.member_report_pdf":    (LOGIN, 403,   403,   OK,    403,   OK,    403,   403),
    "reports.trust_report_page":    (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "reports.trust_report_pdf":     (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    # A stored PDF of trust A's report (the trust's own, and the alliance's): as the live PDF.
    "reports.member_report_stored": (LOGIN, 403,   403,   OK,    403,   OK,    403,   403),
    "reports.trust_report_stored":  (LOGIN, OK,    403,   403,   403,   403,   403,   403),
    "reports.alliance_report_page": (LOGIN, 403,   403,   OK,    403,   OK,    403,   403),
    "reports.alliance_report_pdf":  (LOGIN, 403,   403,   OK,    403,   OK,    403,   403),
    "imports.preview_members":      (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "imports.import_members":       (LOGIN, 403,   403,   RDR,   403,   403,   403,   403),
    "imports.preview_users":        (LOGIN, 403,   403,   OK,    403,   403,   403,   403),
    "imports.import_users":         (LOGIN, 403,   403,   RDR,   403,   403,   403,   403),
    # Everyone's own notifications; the one in the URL is trust A's user's, so anyone else's
    # attempt to open it is as good as missing.
    "notifications.list_notifications": (LOGIN, OK,  OK,    OK,    OK,    OK,    OK,    OK),
    "notifications.open_notification": (LOGIN, RDR,  404,   404,   404,   404,   404,   404),
    "notifications.mark_all_read":  (LOGIN, RDR,   RDR,   RDR,   RDR,   RDR,   RDR,   RDR),
    "notifications.preferences":    (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # What changed between framework versions: the question bank's files, no tenant data.
    "frameworks.show_changes":      (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "frameworks.shared":            (LOGIN, 403,   403,   403,   403,   403,   OK,    403),
    # A POST that keeps typed input answers an anonymous visitor with the sign-in page (401).
    "alliance_profile.show_profile": (LOGIN, 403,  403,   OK,    403,   OK,    403,   403),
    "alliance_profile.save_profile": (401,  403,   403,   RDR,   403,   403,   403,   403),
    "alliance_profile.copy_forward": (LOGIN, 403,  403,   RDR,   403,   403,   403,   403),
    "alliance_profile.member_profile": (LOGIN, OK, 403,   403,   403,   403,   403,   403),
    # Personal API tokens: each user's own (tests/api/test_api_tokens.py tries another's).
    "api_tokens.list_tokens":       (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api_tokens.revoke_token":      (LOGIN, 404,   404,   404,   404,   404,   404,   404),
    # The API answers a bearer token only: a signed-in session alone gets 401 (the token
    # matrix, route x role x scope, is tests/api/test_api_access_matrix.py).
    "api.me":                       (401,   401,   401,   401,   401,   401,   401,   401),
    "api.alliances":                (401,   401,   401,   401,   401,   401,   401,   401),
    "api.cycles":                   (401,   401,   401,   401,   401,   401,   401,   401),
    "api.standards":                (401,   401,   401,   401,   401,   401,   401,   401),
    "api.members":                  (401,   401,   401,   401,   401,   401,   401,   401),
    "api.statuses":                 (401,   401,   401,   401,   401,   401,   401,   401),
    "api.scores":                   (401,   401,   401,   401,   401,   401,   401,   401),
    "api.member_figures_view":      (401,   401,   401,   401,   401,   401,   401,   401),
    "api.trust_figures":            (401,   401,   401,   401,   401,   401,   401,   401),
    "api.buddy_pairs":              (401,   401,   401,   401,   401,   401,   401,   401),
    "api.trust_buddy_pairs":        (401,   401,   401,   401,   401,   401,   401,   401),
    "api.openapi":                  (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api.docs":                     (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api.no_such_resource":         (404,   404,   404,   404,   404,   404,   404,   404),
}
# fmt: on

EXPECTED: dict[str, dict[str, Any]] = {
    endpoint: dict(zip(ROLES, row, strict=True)) for endpoint, row in _ROWS.items()
}

# Form data for POST-only routes, sent by every role. For roles allowed through, the POST must
# visibly change something (so the "nothing changed" check for the others means something).
POST_DATA: dict[str, Callable[[World], dict[str, str]]] = {
    "auth.sign_out": lambda w: {},
    "coordinator.extend_cycle": lambda w: {"closes_on": "2099-12-31"},
    "admin.toggle_user": lambda w: {},
    "admin.answer_membership_request": lambda w: {"answer": "approve"},
    "buddying.change_pair_status": lambda w: {"to": "active", "seen": "proposed"},
    "buddying.add_pair_note": lambda w: {"body": "Matrix note"},
    "notifications.open_notification": lambda w: {},
    "imports.import_members": lambda w: {
        "csv_text": "trust code,name,type,region,collaboration type\n"
        "TZ9,Matrix Trust,Acute,London,Multi-service network\n"
    },
    "imports.import_users": lambda w: {
        "csv_text": "email,name,role,trust code\nmatrix.import@example.nhs.uk,Matrix Import,"
        "trust user,TA1\n"
    },
    "admin.invite_user": lambda w: {
        "email": "matrix.invitee@example.nhs.uk",
        "name": "Matrix Invitee",
        "role": "trust_user",
        "alliance": str(w.alliance_x.id),
        "trust": str(w.trust_a.id),
    },
}


@dataclass
class World:
    """Alliance X with member trust A, alliance Y with member trust B, and one user per role."""

    alliance_x: Any
    alliance_y: Any
    trust_a: Any
    trust_b: Any
    cycle_x: Cycle
    cycle_y: Cycle
    assessment_a: Assessment
    assessment_b: Assessment
    users: dict[str, User]
    target: User  # a trust A user the admin can deactivate
    invitee: User  # invited, no password yet
    homes: dict[str, str] = field(default_factory=dict)
    membership_a: Any = None  # trust A's membership of alliance X
    pair_x: Any = None  # a proposed buddying pair in alliance X: trust C mentoring trust A
    offer: Any = None  # a standing invitation to a new address, as trust A's user in X
    request: Any = None  # alliance X's coordinator asked for a new trust to join
    notification: Any = None  # an unread notification of trust A's user
    evidence: Any = None  # an evidence file on trust A's assessment, question REL-1.1
    failed_email: Any = None  # an email the mail server refused for good
    action: Any = None  # an action in trust A's improvement plan, on REL-1
    report: Any = None  # stored PDFs of trust A's report, as submitted

    def url_values(self, endpoint: str, arguments: set[str]) -> dict[str, Any]:
        """URL arguments for ``endpoint``, always naming objects of alliance X / trust A."""
        values: dict[str, Any] = {}
        for name in arguments:
            if name == "token" and endpoint == "invitations.respond":
                values[name] = invitations.token_for(self.offer)
            elif name == "token":
                purpose = tokens.INVITE if endpoint == "auth.accept_invitation" else tokens.RESET
                user = self.invitee if purpose == tokens.INVITE else self.target
                values[name] = tokens.make_token(user, purpose)
            elif name in self.ids:
                values[name] = self.ids[name]
            else:
                pytest.fail(f"{endpoint}: no value for URL argument <{name}>; add it to World")
        return values

    @property
    def ids(self) -> dict[str, Any]:
        return {
            "slug": self.alliance_x.slug,
            "code": self.trust_a.code,
            "user_id": self.target.id,
            "cycle_id": self.cycle_x.id,
            "assessment_id": self.assessment_a.id,
            "digest": vega.bundle().digest,
            "membership_id": self.membership_a.id,
            "pair_id": self.pair_x.id,
            "request_id": self.request.id,
            "notification_id": self.notification.id,
            "outbox_id": self.failed_email.id,
            "invitation_id": self.offer.id,
            "section": "REL",
            "to": "ended",
            # The question bank's own files (public content): 2.0 continues 1.0.
            "framework_id": "alliance-maturity",
            "version": "2.0",
            "folder": "alliance-maturity-1.0",
            "question": "REL-1.1",
            "file_id": self.evidence.id,
            "standard": "REL-1",
            "token_id": 999999,
            "action_id": self.action.id,
            "snapshot_id": self.report.id,
            "panelist_id": 999999,  # nobody's: each user's own tokens are tried in tests/api
            "rest": "no-such-resource",
        }


@pytest.fixture
def world(app) -> World:
    """Built in one transaction: the matrix has many cells and each needs a fresh world."""
    return build_world()


def build_world() -> World:
    """The matrix's world (also the API token matrix's, ``tests/api``)."""
    x = Alliance(slug="alliance-x", name="Alliance X", collaboration_type="multi_service")
    y = Alliance(slug="alliance-y", name="Alliance Y", collaboration_type="multi_service")
    a = Trust(code="TA1", name="Trust A", trust_type="Acute", region="London")
    b = Trust(code="TB1", name="Trust B", trust_type="Acute", region="London")
    snapshot = FrameworkSnapshot(
        framework_key="matrix",
        version="1",
        title="Matrix framework",
        content_hash="0" * 64,
        scale=[],
    )
    db.session.add_all([x, y, a, b, snapshot])
    db.session.flush()
    domain = SnapshotDomain(
        snapshot_id=snapshot.id,
        code="REL",
        name="Relationships",
        description="Matrix domain",
        weight=1,
        position=1,
    )
    domain.standards.append(
        SnapshotStandard(
            snapshot_id=snapshot.id,
            code="REL-1",
            statement="Matrix standard",
            core=True,
            target=3,
            weight=1,
            guidance="",
            position=1,
            questions=[
                SnapshotQuestion(
                    snapshot_id=snapshot.id,
                    code="REL-1.1",
                    kind="yes_no",
                    text="Matrix question?",
                    guidance="",
                    required=True,
                    weight=1,
                    position=1,
                    options={"yes_level": 5},
                )
            ],
        )
    )
    db.session.add(domain)
    memberships = [
        Membership(
            alliance_id=x.id,
            trust_id=a.id,
            collaboration_type="multi_service",
            joined_on=date(2024, 4, 1),
        ),
        Membership(
            alliance_id=y.id,
            trust_id=b.id,
            collaboration_type="multi_service",
            joined_on=date(2024, 4, 1),
        ),
    ]
    db.session.add_all(memberships)
    cycles = [
        Cycle(
            alliance_id=alliance.id,
            name="2025/26",
            snapshot_id=snapshot.id,
            state="open",
            opens_on=date(2025, 4, 1),
            closes_on=date(2025, 6, 30),
        )
        for alliance in (x, y)
    ]
    db.session.add_all(cycles)
    db.session.flush()
    assessments = [
        Assessment(cycle_id=c.id, membership_id=m.id)
        for c, m in zip(cycles, memberships, strict=True)
    ]
    db.session.add_all(assessments)
    c = Trust(code="TC1", name="Trust C", trust_type="Acute", region="London")
    db.session.add(c)
    db.session.flush()
    membership_c = Membership(
        alliance_id=x.id,
        trust_id=c.id,
        collaboration_type="multi_service",
        joined_on=date(2024, 4, 1),
    )
    db.session.add(membership_c)
    db.session.flush()
    pair_x = BuddyPair(
        alliance_id=x.id,
        mentor_membership_id=membership_c.id,
        mentee_membership_id=memberships[0].id,
        cycle_id=cycles[0].id,
        focus_standards=["REL-1"],
        start_date=date(2025, 5, 1),
        status="proposed",
    )
    db.session.add(pair_x)
    hashed = generate_password_hash(TEST_PASSWORD, method=FAST_HASH)

    def user(
        name: str,
        role: str | None = None,
        *,
        alliance: Any = None,
        trust: Any = None,
        password_hash: str | None = hashed,
    ) -> User:
        account = User(
            email=f"{name}@example.nhs.uk",
            name=name.replace("_", " ").title(),
            password_hash=password_hash,
        )
        if role:
            account.grants.append(
                RoleGrant(
                    role=role,
                    alliance_id=alliance.id if alliance else None,
                    trust_id=trust.id if trust else None,
                )
            )
        db.session.add(account)
        return account

    users = {
        "trust_a": user("trust_a", "trust_user", alliance=x, trust=a),
        "trust_b": user("trust_b", "trust_user", alliance=y, trust=b),
        "coord_x": user("coord_x", "coordinator", alliance=x),
        "coord_y": user("coord_y", "coordinator", alliance=y),
        "lead_x": user("lead_x", "buddying_lead", alliance=x),
        "admin": user("admin", "site_admin"),
        "no_grant": user("no_grant"),
    }
    target = user("target", "trust_user", alliance=x, trust=a)
    invitee = user("invitee", "trust_user", alliance=x, trust=a, password_hash=None)
    offer = RoleInvitation(
        email="offered@example.nhs.uk",
        name="Offered",
        role="trust_user",
        alliance_id=x.id,
        trust_id=a.id,
    )
    request = MembershipRequest(
        alliance_id=x.id,
        code="TN1",
        name="Trust New",
        trust_type="Acute",
        region="London",
        collaboration_type="multi_service",
    )
    db.session.add_all([offer, request])
    db.session.flush()
    notification = Notification(
        user_id=users["trust_a"].id,
        category="cycle",
        title="Matrix news",
        body="Matrix",
        link="/trusts/TA1/",
        alliance_id=x.id,
    )
    db.session.add(notification)
    db.session.add(
        EvidenceBlob(sha256="cd" * 32, size=9, media_type="application/pdf", content=b"%PDF-1.7\n")
    )
    evidence = EvidenceFile(
        assessment_id=assessments[0].id,
        question_code="REL-1.1",
        blob_sha256="cd" * 32,
        filename="matrix.pdf",
    )
    db.session.add(evidence)
    failed_email = OutboxEmail(
        recipient="typo@example.nhs.uk",
        subject="Matrix email",
        body="Matrix",
        state="failed",
        attempts=1,
        last_error="recipient refused",
    )
    db.session.add(failed_email)
    db.session.add(RespondentsSetting(assessment_id=assessments[0].id, lead_id=users["trust_a"].id))
    action = ImprovementAction(
        membership_id=memberships[0].id,
        cycle_id=cycles[0].id,
        standard_code="REL-1",
        title="Matrix action",
        owner=users["trust_a"],
        due_on=date(2027, 3, 31),
    )
    db.session.add(action)
    report = ReportSnapshot(
        assessment_id=assessments[0].id,
        event="submitted",
        event_at=datetime(2025, 5, 1, 9, 30, tzinfo=UTC),
        member_pdf=b"%PDF-matrix-member",
        alliance_pdf=b"%PDF-matrix-alliance",
    )
    db.session.add(report)
    db.session.commit()
    return World(
        alliance_x=x,
        alliance_y=y,
        trust_a=a,
        trust_b=b,
        cycle_x=cycles[0],
        cycle_y=cycles[1],
        assessment_a=assessments[0],
        assessment_b=assessments[1],
        users=users,
        target=target,
        invitee=invitee,
        membership_a=memberships[0],
        pair_x=pair_x,
        offer=offer,
        request=request,
        notification=notification,
        evidence=evidence,
        failed_email=failed_email,
        action=action,
        report=report,
        homes={
            "trust_a": "/trusts/TA1/",
            "trust_b": "/trusts/TB1/",
            "coord_x": "/alliances/alliance-x/",
            "coord_y": "/alliances/alliance-y/",
            "lead_x": "/alliances/alliance-x/buddying/",
            "admin": "/admin/",
        },
    )


def _sign_in(client: FlaskClient, user: User) -> None:
    page = client.get("/auth/sign-in")
    response = client.post(
        "/auth/sign-in",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302, "sign-in failed"


def _as(client: FlaskClient, world: World, role: str, *, token: bool = True) -> str:
    """Sign the client in as ``role`` and return a CSRF token from a page that role can see."""
    if role == "anonymous":
        return csrf_token(client.get("/auth/sign-in").text) if token else ""
    _sign_in(client, world.users[role])
    if not token:
        return ""
    page = client.get("/home", follow_redirects=True)
    assert page.status_code == 200
    return csrf_token(page.text)


def _snapshot() -> dict[str, list[str]]:
    """Every row of every table, to show that a refused request changed nothing."""
    return {
        table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
        for table in db.metadata.sorted_tables
    }


def _is_login_redirect(response: Any, path: str) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response.headers["Location"])
    return location.path == "/auth/sign-in" and parse_qs(location.query).get("next") == [path]


def _check(
    outcome: Any, response: Any, *, endpoint: str, role: str, path: str, world: World
) -> None:
    where = f"{endpoint} as {role}: got {response.status_code} {response.headers.get('Location')}"
    if outcome == OK:
        if endpoint == "main.home" and role in world.homes:
            assert response.status_code == 302, where
            assert urlsplit(response.headers["Location"]).path == world.homes[role], where
        else:
            assert response.status_code == 200, where
    elif outcome == LOGIN:
        assert _is_login_redirect(response, path), where
    elif outcome == RDR:
        assert response.status_code == 302, where
        assert not _is_login_redirect(response, path), where
    else:
        assert response.status_code == outcome, where


def _rules_of(application: Flask) -> list[tuple[str, str]]:
    return sorted(
        (rule.endpoint, rule.rule)
        for rule in application.url_map.iter_rules()
        if rule.endpoint != "static"
    )


# The routes are read from a throwaway app at collection time (create_app touches no database).
_RULES = _rules_of(build_app("sqlite://"))
_ROUTES = [pytest.param(endpoint, rule, id=f"{endpoint}[{rule}]") for endpoint, rule in _RULES]


def test_every_route_has_an_entry_in_the_matrix(app):
    endpoints = {endpoint for endpoint, _ in _rules_of(app)}
    missing = sorted(endpoints - EXPECTED.keys())
    assert not missing, f"add these endpoints to EXPECTED in {__file__}: {missing}"
    stale = sorted(EXPECTED.keys() - endpoints)
    assert not stale, f"EXPECTED names endpoints that no longer exist: {stale}"


def test_every_view_declares_its_access_rule(app):
    undeclared = sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not getattr(view, "access_rule", None)
    )
    assert not undeclared, f"views without an access decorator: {undeclared}"


@pytest.mark.parametrize(("endpoint", "rule_text"), _ROUTES)
def test_access_matrix(app, endpoint, rule_text):
    """One route as every role, each in a client of its own, and every wrong cell reported.

    The roles share one world: a GET changes nothing another role meets, and after a POST that
    was let through the world is built again, so each role meets the same world. (One world per
    cell made this matrix ~15% of the suite's time for no more checking.)
    """
    assert endpoint in EXPECTED, f"no entry for {endpoint} in EXPECTED: add one"
    rule = next(
        r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == rule_text
    )
    use_get = "GET" in (rule.methods or set())
    world = build_world()
    wrong: list[str] = []
    for role in ROLES:
        outcome = EXPECTED[endpoint][role]
        with app.test_request_context():
            path = url_for(endpoint, **world.url_values(endpoint, set(rule.arguments)))
        client = app.test_client()
        token = _as(client, world, role, token=not use_get)
        if use_get:
            response = client.get(path)
            wrong += _wrong(outcome, response, endpoint=endpoint, role=role, path=path, world=world)
            continue
        data = POST_DATA.get(endpoint, lambda w: {})(world)
        before = _snapshot()
        response = client.post(path, data={**data, "csrf_token": token})
        wrong += _wrong(outcome, response, endpoint=endpoint, role=role, path=path, world=world)
        db.session.expire_all()
        if outcome in (LOGIN, 403, 404):
            if _snapshot() != before:
                wrong.append(f"{endpoint} was refused to {role} but changed the database")
            continue
        if endpoint in POST_DATA and _snapshot() == before:
            wrong.append(f"{endpoint} let {role} through but changed nothing")
        db.session.rollback()
        _empty_tables()
        world = build_world()
    assert not wrong, "\n".join(wrong)


def _wrong(outcome: Any, response: Any, **where: Any) -> list[str]:
    """``_check``'s verdict on one cell as a list of what was wrong (empty: as expected)."""
    try:
        _check(outcome, response, **where)
    except AssertionError as error:
        return [str(error).splitlines()[0]]
    return []


# Object level: the right role, but someone else's object.


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("trust_a", "/trusts/TB1/", 403),
        ("trust_b", "/trusts/TA1/", 403),
        ("coord_x", "/alliances/alliance-y/", 403),
        ("coord_y", "/alliances/alliance-x/", 403),
        ("lead_x", "/alliances/alliance-y/buddying/", 403),
        ("coord_x", "/alliances/alliance-x/cycles/{cycle_y}/answers.csv", 404),
        ("coord_x", "/alliances/alliance-x/cycles/{cycle_y}/scores.csv", 404),
        ("coord_x", "/alliances/alliance-y/cycles/{cycle_y}/answers.csv", 403),
        ("coord_y", "/alliances/alliance-x/cycles/{cycle_x}/scores.csv", 403),
        ("trust_a", "/trusts/NOPE/", 404),
        ("coord_x", "/alliances/no-such-alliance/", 404),
        ("lead_x", "/alliances/no-such-alliance/buddying/", 404),
        ("coord_x", "/alliances/alliance-x/cycles/999999/answers.csv", 404),
        ("anonymous", "/alliances/no-such-alliance/", LOGIN),
        ("anonymous", "/trusts/NOPE/", LOGIN),
        ("coord_x", "/alliances/alliance-y/dashboard", 403),
        ("coord_x", "/alliances/alliance-x/members/TB1/dashboard", 404),
        ("trust_b", "/trusts/TB1/alliances/alliance-x/dashboard", 404),
        ("trust_a", "/trusts/TA1/alliances/no-such-alliance/dashboard", 404),
        ("coord_x", "/alliances/alliance-x/cycles/{cycle_y}/profile", 404),
        ("coord_y", "/alliances/alliance-x/cycles/{cycle_x}/profile", 403),
        ("lead_x", "/alliances/alliance-y/cycles/{cycle_y}/profile", 403),
        ("coord_x", "/alliances/alliance-x/cycles/999999/profile", 404),
        # Improvement plans: a member of another alliance, another alliance's plan, no such action.
        ("coord_x", "/alliances/alliance-x/members/TB1/plan", 404),
        # Stored report PDFs: another member's, another alliance's, another trust's own.
        (
            "coord_x",
            "/alliances/alliance-x/cycles/{cycle_x}/members/TC1/report/stored/{report}.pdf",
            404,
        ),
        (
            "coord_x",
            "/alliances/alliance-x/cycles/{cycle_y}/members/TA1/report/stored/{report}.pdf",
            404,
        ),
        (
            "coord_y",
            "/alliances/alliance-y/cycles/{cycle_y}/members/TB1/report/stored/{report}.pdf",
            404,
        ),
        (
            "coord_y",
            "/alliances/alliance-x/cycles/{cycle_x}/members/TA1/report/stored/{report}.pdf",
            403,
        ),
        (
            "trust_b",
            "/trusts/TB1/alliances/alliance-y/cycles/{cycle_y}/report/stored/{report}.pdf",
            404,
        ),
        (
            "trust_b",
            "/trusts/TB1/alliances/alliance-x/cycles/{cycle_x}/report/stored/{report}.pdf",
            404,
        ),
        ("lead_x", "/alliances/alliance-y/members/TB1/plan", 403),
        ("trust_b", "/trusts/TB1/alliances/alliance-x/plan/", 404),
        ("trust_a", "/trusts/TA1/alliances/alliance-x/plan/actions/999999", 404),
        (
            "trust_a",
            "/trusts/TA1/alliances/alliance-x/plan/cycles/{cycle_y}/standards/REL-1/new",
            404,
        ),
        (
            "trust_a",
            "/trusts/TA1/alliances/alliance-x/plan/cycles/{cycle_x}/standards/NOPE-9/new",
            404,
        ),
    ],
)
def test_other_tenants_objects_are_refused(client, world, role, path, status):
    path = path.format(cycle_x=world.cycle_x.id, cycle_y=world.cycle_y.id, report=world.report.id)
    _as(client, world, role, token=False)
    response = client.get(path)
    if status == LOGIN:
        assert _is_login_redirect(response, path), response.headers.get("Location")
    else:
        assert response.status_code == status, (role, path, response.status_code)


def test_admin_toggling_a_missing_user_is_404_and_changes_nothing(client, world):
    token = _as(client, world, "admin")
    before = _snapshot()
    response = client.post("/admin/users/999999/active", data={"csrf_token": token})
    assert response.status_code == 404
    db.session.expire_all()
    assert _snapshot() == before


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "admin")])
def test_refused_deactivation_leaves_the_target_signed_in(app, client, world, role):
    victim = app.test_client()
    _sign_in(victim, world.target)
    token = _as(client, world, role)
    response = client.post(f"/admin/users/{world.target.id}/active", data={"csrf_token": token})
    assert response.status_code == 403
    assert victim.get("/trusts/TA1/").status_code == 200
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(UserSession)
            .where(UserSession.user_id == world.target.id)
        )
        == 1
    )


def test_another_trusts_assessment_is_refused(app, world):
    client = app.test_client()
    _as(client, world, "trust_a", token=False)
    # B's assessment under A's own trust code: as good as missing.
    assert client.get(f"/trusts/TA1/assessments/{world.assessment_b.id}/").status_code == 404
    # Under B's code: not A's trust at all.
    assert client.get(f"/trusts/TB1/assessments/{world.assessment_b.id}/").status_code == 403
    assert client.get("/trusts/TA1/assessments/999999/").status_code == 404
