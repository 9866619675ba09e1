"""The member report's HTML, for the page, the live PDF and the stored snapshots alike."""

from __future__ import annotations

from collections.abc import Sequence

from flask import render_template

from .services import MemberReport


def member_html(
    report: MemberReport,
    pdf_url: str,
    back_url: str,
    *,
    for_pdf: bool = False,
    stamp: str | None = None,
    snapshot_links: Sequence[tuple[str, str]] = (),
) -> str:
    """The report; ``stamp`` says in the PDF which moment a stored snapshot records, and
    ``snapshot_links`` are the page's (label, URL) downloads of the stored PDFs."""
    return render_template(
        "reports/member.html",
        report=report,
        view=report.view,
        pdf_url=pdf_url,
        back_url=back_url,
        for_pdf=for_pdf,
        stamp=stamp,
        snapshot_links=snapshot_links,
    )
