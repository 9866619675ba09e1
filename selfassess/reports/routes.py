"""A member's printable report for a cycle, as HTML and as PDF.

Coordinators and buddying leads see any member's report; a trust user sees their own trust's,
in an alliance it belongs to, anonymised as the alliance's dashboards are.
"""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from werkzeug.wrappers import Response

from ..access import alliance_role_required, load_cycle, load_trust_alliance, trust_user_required
from ..downloads import PDF, attachment
from ..errors import render_error
from ..models import Alliance, Role, Trust
from .alliance import alliance_report
from .pdf import PdfUnavailable, html_to_pdf
from .services import MemberReport, member_report

bp = Blueprint("reports", __name__)
ALLIANCE_ROLES = (Role.COORDINATOR, Role.BUDDYING_LEAD)


def _html(report: MemberReport, pdf_url: str, back_url: str, *, for_pdf: bool = False) -> str:
    return render_template(
        "reports/member.html",
        report=report,
        view=report.view,
        pdf_url=pdf_url,
        back_url=back_url,
        for_pdf=for_pdf,
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
    return _html(
        report,
        url_for(".member_report_pdf", slug=alliance.slug, cycle_id=cycle_id, code=code),
        url_for("dashboards.member_dashboard", slug=alliance.slug, code=code),
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
    return _html(
        report,
        url_for(".trust_report_pdf", code=trust.code, slug=slug, cycle_id=cycle_id),
        url_for("dashboards.trust_dashboard", code=trust.code, slug=slug),
    )


@bp.route("/trusts/<code>/alliances/<slug>/cycles/<int:cycle_id>/report.pdf")
@trust_user_required
def trust_report_pdf(trust: Trust, slug: str, cycle_id: int) -> Response:
    alliance = load_trust_alliance(trust, slug)
    report = member_report(alliance, load_cycle(alliance, cycle_id), trust.code, own=True)
    return _pdf(_html(report, "", "", for_pdf=True), f"{trust.code}-{report.cycle.name}-report")


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
