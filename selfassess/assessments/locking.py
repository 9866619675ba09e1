"""The assessment row lock, where a change to an assessment starts from.

A change (a workbook upload, copy forward, a state change, the respondents' pages) first locks
the assessment's row and re-reads it, so a change someone else committed meanwhile is seen, and
waits for us, instead of being overwritten by a copy loaded before the lock. SQLite serialises
writers anyway; on PostgreSQL this is ``SELECT ... FOR UPDATE``. A section save, the one hot
path, reads and checks without the lock and takes it only to write, with
``answers.claim_for_answers`` (a conditional version bump that takes the same row lock).
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
