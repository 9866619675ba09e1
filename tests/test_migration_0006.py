"""Migration 0006 turns each trust-wide trust-user grant into one grant per membership, so no
one loses access they had, and comes back down to one grant per trust."""

from __future__ import annotations

import os
import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from selfassess.extensions import db
from tests.conftest import BACKENDS, build_app


def _url(backend: str, tmp_path) -> tuple[str, str | None]:  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'm0006.sqlite3'}", None
    base = os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return base + ("&" if "?" in base else "?") + f"options=-csearch_path%3D{schema}", schema


def _drop(schema: str | None) -> None:
    """Drop the PostgreSQL schema ``_url`` made (nothing on SQLite)."""
    if not schema:
        return
    engine = create_engine(
        os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    )
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_trust_grants_become_one_per_membership(backend, tmp_path):
    url, schema = _url(backend, tmp_path)
    try:
        app = build_app(url)
        with app.app_context():
            upgrade(revision="0005")
            run = db.session.execute
            run(
                text(
                    "INSERT INTO alliance (id, slug, name, collaboration_type, "
                    "named_benchmarking, max_active_pairs_per_mentor) VALUES "
                    "(1, 'w', 'W', 'multi_service', false, 2), "
                    "(2, 's', 'S', 'multi_service', false, 2)"
                )
            )
            run(
                text(
                    "INSERT INTO trust (id, code, name, trust_type, region) VALUES "
                    "(1, 'RHQ', 'Sheffield', 'Acute', 'North'), (2, 'RN3', 'GW', 'Acute', 'SW')"
                )
            )
            run(
                text(
                    "INSERT INTO membership (id, alliance_id, trust_id, collaboration_type, "
                    "joined_on, active) VALUES (1, 1, 1, 'multi_service', '2024-04-01', true), "
                    "(2, 2, 1, 'multi_service', '2024-04-01', true), "
                    "(3, 2, 2, 'multi_service', '2024-04-01', true)"
                )
            )
            run(
                text(
                    "INSERT INTO user_account (id, email, name, active, created_at) VALUES "
                    "(1, 'a@x.nhs.uk', 'A', true, '2025-01-01 00:00:00+00'), "
                    "(2, 'b@x.nhs.uk', 'B', true, '2025-01-01 00:00:00+00')"
                )
            )
            run(
                text(
                    "INSERT INTO role_grant (user_id, role, alliance_id, trust_id) VALUES "
                    "(1, 'trust_user', NULL, 1), (2, 'trust_user', NULL, 2), "
                    "(2, 'coordinator', 1, NULL)"
                )
            )
            db.session.commit()
            upgrade(revision="0006")
            grants = sorted(
                tuple(r)
                for r in db.session.execute(
                    text("SELECT user_id, role, alliance_id, trust_id FROM role_grant")
                )
            )
            assert grants == [
                (1, "trust_user", 1, 1),
                (1, "trust_user", 2, 1),
                (2, "coordinator", 1, None),
                (2, "trust_user", 2, 2),
            ]
            db.session.commit()
            downgrade(revision="0005")
            grants = sorted(
                tuple(r)
                for r in db.session.execute(
                    text("SELECT user_id, role, alliance_id, trust_id FROM role_grant")
                )
            )
            assert grants == [
                (1, "trust_user", None, 1),
                (2, "coordinator", 1, None),
                (2, "trust_user", None, 2),
            ]
            db.session.commit()
            db.engine.dispose()
    finally:
        _drop(schema)
