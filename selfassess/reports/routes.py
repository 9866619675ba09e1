"""A member's printable report for a cycle, as HTML and as PDF.

Coordinators and buddying leads see any member's report; a trust user sees their own trust's,
in an alliance it belongs to, anonymised as the alliance's dashboards are.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, render_template, url_for
from werkzeug.wrappers import Response

from ..access import alliance_role_required, load_cycle, load_trust_alliance, trust_user_required
from ..downloads import PDF, attachment
from ..errors import render_error
from ..models import Alliance, Role, Trust
from . import snapshots
from .alliance import alliance_report
from .pdf import PdfUnavailable, html_to_pdf
from .rendering import member_html
from .services import MemberReport, member_report

bp = Blueprint("reports", __name__)
ALLIANCE_ROLES = (Role.COORDINATOR, Role.BUDDYING_LEAD)


def _html(report: MemberReport, pdf_url: str, back_url: str, *, for_pdf: bool = False) -> str:
    return member_html(report, pdf_url, back_url, for_pdf=for_pdf)


def _page(
    report: MemberReport, pdf_url: str, back_url: str, snapshot_url: Callable[[int], str]
) -> str:
    """The report page, with the stored PDFs of the member's submissions and validations."""
    stored = snapshots.stored_reports(report.cycle, report.view.member.membership_id)
    links = [(s.label, snapshot_url(s.id)) for s in stored]
    return member_html(report, pdf_url, back_url, snapshot_links=links)


def _stored(stored: snapshots.StoredReport, data: bytes, code: str, cycle_name: str) -> Response:
    return attachment(
        data,
        PDF,
        f"{code}-{cycle_name}-report-{stored.event}-{stored.event_at:%Y%m%d-%H%M}",
        ".pdf",
    )


def _pdf(html: str, name: str) -> Response:
    try:
        data = html_to_pdf(html)
    except PdfUnavailable:
        return render_error(
            500,
            "PDF reports are not available on this server. Print the "
            "report page to PDF from your browser instead.",
        )
    return attachment(data, PDF, name, ".pdf")


@bp.route("/alliances/<slug>/cycles/<int:cycle_id>/members/<code>/report")
@alliance_role_required(*ALLIANCE_ROLES)
def member_report_page(alliance: Alliance, cycle_id: int, code: str) -> str:
    report = member_report(alliance, load_cycle(alliance, cycle_id), code, own=False)
    return _page(
        report,
        url_for(".member_report_pdf", slug=alliance.slug, cycle_id=cycle_id, code=code),
        url_for("dashboards.member_dashboard", slug=alliance.slug, code=code),
        lambda snapshot_id: url_for(
            ".member_report_stored",
            slug=alliance.slug,
            cycle_id=cycle_id,
            code=code,
            snapshot_id=snapshot_id,
        ),
    )


@bp.route("/alliances/<slug>/cycles/<int:cycle_id>/members/<code>/report.pdf")
@alliance_role_required(*ALLIANCE_ROLES)
def member_report_pdf(alliance: Alliance, cycle_id: int, code: str) -> Response:
    report = member_report(alliance, load_cycle(alliance, cycle_id), code, own=False)
    return _pdf(_html(report, "", "", for_pdf=True), f"{code}-{report.cycle.name}-report")


@bp.route("/trusts/<code>/alliances/<slug>/cycles/<int:cycle_id>/report")
@trust_user_required
def trust_report_page(trust: Trust, slug: str, cycle_id: int) -> str:
    alliance = load_trust_alliance(trust, slug)
    report = member_report(alliance, load_cycle(alliance, cycle_id), trust.code, own=True)
    return _page(
        report,
        url_for(".trust_report_pdf", code=trust.code, slug=slug, cycle_id=cycle_id),
        url_for("dashboards.trust_dashboard", code=trust.code, slug=slug),
        lambda snapshot_id: url_for(
            ".trust_report_stored",
            code=trust.code,
            slug=slug,
            cycle_id=cycle_id,
            snapshot_id=snapshot_id,
        ),
    )


@bp.route("/trusts/<code>/alliances/<slug>/cycles/<int:cycle_id>/report.pdf")
@trust_user_required
def trust_report_pdf(trust: Trust, slug: str, cycle_id: int) -> Response:
    alliance = load_trust_alliance(trust, slug)
    report = member_report(alliance, load_cycle(alliance, cycle_id), trust.code, own=True)
    return _pdf(_html(report, "", "", for_pdf=True), f"{trust.code}-{report.cycle.name}-report")


@bp.route(
    "/alliances/<slug>/cycles/<int:cycle_id>/members/<code>/report/stored/<int:snapshot_id>.pdf"
)
@alliance_role_required(*ALLIANCE_ROLES)
def member_report_stored(
    alliance: Alliance, cycle_id: int, code: str, snapshot_id: int
) -> Response:
    """A stored snapshot of the alliance's report on the member: who may read the live PDF."""
    cycle = load_cycle(alliance, cycle_id)
    stored, data = snapshots.stored_pdf(alliance, cycle, code, snapshot_id, own=False)
    return _stored(stored, data, code, cycle.name)


@bp.route(
    "/trusts/<code>/alliances/<slug>/cycles/<int:cycle_id>/report/stored/<int:snapshot_id>.pdf"
)
@trust_user_required
def trust_report_stored(trust: Trust, slug: str, cycle_id: int, snapshot_id: int) -> Response:
    """A stored snapshot of the trust's own report, as the trust's live PDF is guarded."""
    alliance = load_trust_alliance(trust, slug)
    cycle = load_cycle(alliance, cycle_id)
    stored, data = snapshots.stored_pdf(alliance, cycle, trust.code, snapshot_id, own=True)
    return _stored(stored, data, trust.code, cycle.name)


@bp.route("/alliances/<slug>/cycles/<int:cycle_id>/report")
@alliance_role_required(*ALLIANCE_ROLES)
def alliance_report_page(alliance: Alliance, cycle_id: int) -> str:
    report = alliance_report(alliance, load_cycle(alliance, cycle_id))
    return render_template(
        "reports/alliance.html",
        report=report,
        view=report.view,
        for_pdf=False,
        pdf_url=url_for(".alliance_report_pdf", slug=alliance.slug, cycle_id=cycle_id),
        back_url=url_for("dashboards.alliance_dashboard", slug=alliance.slug),
    )


@bp.route("/alliances/<slug>/cycles/<int:cycle_id>/report.pdf")
@alliance_role_required(*ALLIANCE_ROLES)
def alliance_report_pdf(alliance: Alliance, cycle_id: int) -> Response:
    report = alliance_report(alliance, load_cycle(alliance, cycle_id))
    html = render_template(
        "reports/alliance.html",
        report=report,
        view=report.view,
        for_pdf=True,
        pdf_url="",
        back_url="",
    )
    return _pdf(html, f"{alliance.slug}-{report.cycle.name}-report")
