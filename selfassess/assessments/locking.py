"""The assessment row lock: the one place a change to an assessment starts from.

Every change (a section save, a workbook upload, copy forward, a state change) first locks the
assessment's row and re-reads it, so a change someone else committed meanwhile is seen, and
waits for us, instead of being overwritten by a copy loaded before the lock. SQLite serialises
writers anyway; on PostgreSQL this is ``SELECT ... FOR UPDATE``.
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Assessment


def lock_assessment(assessment_id: int) -> Assessment:
    """Lock the assessment's row for this transaction and return it re-read from the database
    (the session's own copy, refreshed, so callers holding that copy see the stored values)."""
    return db.session.execute(
        select(Assessment)
        .where(Assessment.id == assessment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
