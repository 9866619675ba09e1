"""Migration 0002 carries each pair's old single note into the notes history, and back."""

from __future__ import annotations

import os
import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from selfassess.extensions import db
from tests.conftest import BACKENDS, build_app

ROWS = [
    "INSERT INTO alliance (id, slug, name, collaboration_type, named_benchmarking, "
    "max_active_pairs_per_mentor) VALUES (1, 'm', 'M', 'multi_service', false, 2)",
    "INSERT INTO trust (id, code, name, trust_type, region) VALUES "
    "(1, 'T1', 'One', 'Acute', 'North'), (2, 'T2', 'Two', 'Acute', 'North')",
    "INSERT INTO membership (id, alliance_id, trust_id, collaboration_type, joined_on, active) "
    "VALUES (1, 1, 1, 'multi_service', '2024-04-01', true), "
    "(2, 1, 2, 'multi_service', '2024-04-01', true)",
    "INSERT INTO buddy_pair (id, alliance_id, mentor_membership_id, mentee_membership_id, "
    "focus_standards, start_date, status, notes, created_at) VALUES "
    "(1, 1, 1, 2, '[\"GOV-2\"]', '2024-07-01', 'completed', 'Old note', '2024-07-01 10:00:00'), "
    "(2, 1, 2, 1, '[\"DATA-1\"]', '2024-07-01', 'active', NULL, '2024-07-01 10:00:00')",
]


@pytest.fixture(params=BACKENDS)
def fresh_app(request, tmp_path):  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield build_app(f"sqlite:///{tmp_path / 'm.sqlite3'}")
        return
    url = os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield build_app(url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_notes_survive_the_upgrade_and_the_downgrade(fresh_app):
    with fresh_app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            for statement in ROWS:
                conn.execute(text(statement))
        upgrade(revision="0002")
        with db.engine.connect() as conn:
            notes = conn.execute(
                text("SELECT pair_id, body, author_id FROM buddy_pair_note ORDER BY id")
            ).all()
            closed = conn.execute(
                text("SELECT id, closed_at IS NOT NULL FROM buddy_pair ORDER BY id")
            ).all()
        assert [tuple(n) for n in notes] == [(1, "Old note", None)]
        assert [tuple(c) for c in closed] == [(1, True), (2, False)]
        downgrade(revision="0001")
        with db.engine.connect() as conn:
            back = conn.execute(text("SELECT id, notes FROM buddy_pair ORDER BY id")).all()
        assert [tuple(b) for b in back] == [(1, "Old note"), (2, None)]
        db.engine.dispose()
