"""A member's PDF report as it stood when its self-assessment was submitted or validated.

Rendered in the background (``reports.snapshots``) once the submission or validation commits,
and kept: every submission has its own PDF for audit, and the report page serves the stored
file instead of rendering one (a member PDF takes seconds to render). Two PDFs per row: the
trust's own report (anonymised as the alliance's dashboards are) and the coordinators' and
buddying leads' report, each served only to whoever may read the live one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ._types import UTCDateTime, utcnow


class ReportSnapshot(Model):
    """One assessment's reports at one event: ``submitted`` or ``validated`` at ``event_at``."""

    __tablename__ = "report_snapshot"
    __table_args__ = (UniqueConstraint("assessment_id", "event", "event_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(16))
    event_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The trust's own report, and the alliance's (coordinators, buddying leads) report.
    member_pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    alliance_pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
