"""Each submitted and validated self-assessment's member report, rendered once and kept.

A member PDF takes seconds to render, so it is not rendered while someone waits: when a trust
submits or a coordinator validates, a background job (``store_snapshot``, on the job queue once
the change commits) renders both versions of the member's report — the trust's own and the
alliance's — and stores them keyed by assessment, event and the moment of the event. The report
pages offer these stored files ("as submitted on …", "as validated on …"), which also gives
every submission its own PDF for audit. The live PDF still works as before.

The job takes ids and a timestamp, never objects, and is idempotent: a second run for the same
event finds the row and stops; a run for an event overtaken by a later one (returned and
resubmitted since) stores nothing, since the report would no longer show that moment.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit, events, jobs
from ..access import RecordMissing
from ..extensions import db
from ..models import Alliance, Assessment, Cycle, Membership, ReportSnapshot, Trust
from .pdf import PdfUnavailable, html_to_pdf
from .rendering import member_html
from .services import member_report

log = logging.getLogger(__name__)
SUBMITTED, VALIDATED = "submitted", "validated"
LABELS = {SUBMITTED: "as submitted", VALIDATED: "as validated"}


@dataclass(frozen=True)
class StoredReport:
    """A stored snapshot as the report page lists it (no PDF bytes)."""

    id: int
    event: str
    event_at: datetime

    @property
    def label(self) -> str:
        return f"PDF {LABELS.get(self.event, self.event)} on {self.event_at:%-d %B %Y at %H:%M} UTC"


def _event_time(assessment: Assessment, event: str) -> datetime | None:
    return assessment.submitted_at if event == SUBMITTED else assessment.validated_at


def _enqueue(assessment_id: int, event: str) -> None:
    if not current_app.config.get("REPORT_SNAPSHOTS", True):
        return
    assessment = db.session.get(Assessment, assessment_id)
    at = _event_time(assessment, event) if assessment is not None else None
    if at is not None:
        jobs.enqueue_after_commit(store_snapshot, assessment_id, event, at.isoformat())


def on_submitted(event: events.AssessmentSubmitted) -> None:
    _enqueue(event.assessment_id, SUBMITTED)


def on_validated(event: events.AssessmentValidated) -> None:
    _enqueue(event.assessment_id, VALIDATED)


def register() -> None:
    """Render a snapshot after every submission and validation (safe to call once per app)."""
    events.listen(events.AssessmentSubmitted, on_submitted)
    events.listen(events.AssessmentValidated, on_validated)


def render_snapshot(assessment_id: int, event: str, at: str) -> int | None:
    """Render and store the snapshot of ``event`` at ``at`` (ISO time); its id, or None when
    there is nothing to store (already stored, overtaken, or PDFs unavailable here)."""
    moment = datetime.fromisoformat(at)
    existing = db.session.scalar(
        select(ReportSnapshot.id).where(
            ReportSnapshot.assessment_id == assessment_id,
            ReportSnapshot.event == event,
            ReportSnapshot.event_at == moment,
        )
    )
    if existing is not None:
        return None
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or event not in LABELS or _event_time(assessment, event) != moment:
        log.info("report snapshot %s %s at %s overtaken; not stored", assessment_id, event, at)
        return None
    membership = assessment.membership
    stamp = f"This report is stored {LABELS[event]} on {moment:%-d %B %Y at %H:%M} UTC."
    pdfs = {}
    try:
        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            for own in (True, False):
                report = member_report(
                    membership.alliance, assessment.cycle, membership.trust.code, own=own
                )
                html = member_html(report, "", "", for_pdf=True, stamp=stamp)
                pdfs[own] = html_to_pdf(html)
    except PdfUnavailable:
        log.warning(
            "report snapshot %s %s not stored: PDF rendering unavailable", assessment_id, event
        )
        return None
    snapshot = ReportSnapshot(
        assessment_id=assessment_id,
        event=event,
        event_at=moment,
        member_pdf=pdfs[True],
        alliance_pdf=pdfs[False],
    )
    db.session.add(snapshot)
    audit.record(
        "report.snapshot",
        "assessment",
        assessment_id,
        after={"event": event, "event_at": at, "bytes": len(pdfs[True]) + len(pdfs[False])},
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
    )
    try:
        db.session.commit()
    except IntegrityError:  # another run of the same job stored it first
        db.session.rollback()
        return None
    return snapshot.id


@jobs.task(retries=2, retry_delay=60)
def store_snapshot(assessment_id: int, event: str, at: str) -> None:
    """The background job: ``render_snapshot`` in an app context of its own."""
    render_snapshot(assessment_id, event, at)


def stored_reports(cycle: Cycle, membership_id: int) -> list[StoredReport]:
    """The member's stored snapshots in ``cycle``, oldest first (one query, no PDF bytes)."""
    rows = db.session.execute(
        select(ReportSnapshot.id, ReportSnapshot.event, ReportSnapshot.event_at)
        .join(Assessment, Assessment.id == ReportSnapshot.assessment_id)
        .where(Assessment.cycle_id == cycle.id, Assessment.membership_id == membership_id)
        .order_by(ReportSnapshot.event_at, ReportSnapshot.id)
    )
    return [StoredReport(*row) for row in rows]


def stored_pdf(
    alliance: Alliance, cycle: Cycle, code: str, snapshot_id: int, *, own: bool
) -> tuple[StoredReport, bytes]:
    """Snapshot ``snapshot_id`` of member ``code``'s assessment in ``cycle`` of ``alliance``: the
    trust's own PDF (``own``) or the alliance's. Anything else is as good as missing (404)."""
    column = ReportSnapshot.member_pdf if own else ReportSnapshot.alliance_pdf
    row = db.session.execute(
        select(ReportSnapshot.id, ReportSnapshot.event, ReportSnapshot.event_at, column)
        .join(Assessment, Assessment.id == ReportSnapshot.assessment_id)
        .join(Membership, Membership.id == Assessment.membership_id)
        .join(Trust, Trust.id == Membership.trust_id)
        .where(
            ReportSnapshot.id == snapshot_id,
            Assessment.cycle_id == cycle.id,
            Membership.alliance_id == alliance.id,
            Trust.code == code,
        )
    ).first()
    if row is None:
        raise RecordMissing("no such stored report")
    return StoredReport(row[0], row[1], row[2]), row[3]
