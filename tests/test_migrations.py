"""The migrations build the whole schema from empty, agree with the models, and go back down."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from selfassess.extensions import db
from tests.conftest import BACKENDS, build_app


def _schema_differences(app) -> list:  # type: ignore[no-untyped-def]
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _fresh_urls(tmp_path) -> list[str]:  # type: ignore[no-untyped-def]
    urls = [f"sqlite:///{tmp_path / 'fresh.sqlite3'}"]
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        urls.append(base.replace("postgresql://", "postgresql+psycopg://", 1))
    return urls


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_from_empty_matches_models_and_downgrades(backend, tmp_path):
    urls = {u.split(":", 1)[0].split("+")[0]: u for u in _fresh_urls(tmp_path)}
    url = urls[backend]
    schema = None
    if backend == "postgresql":
        # A schema of our own, so the shared test database is not disturbed.
        schema = f"mig_{uuid.uuid4().hex[:8]}"
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    try:
        app = build_app(url)
        with app.app_context():
            upgrade()
            tables = set(inspect(db.engine).get_table_names())
        assert {
            "alliance",
            "trust",
            "membership",
            "user_account",
            "role_grant",
            "framework_snapshot",
            "cycle",
            "assessment",
            "answer",
            "buddy_pair",
            "audit_event",
        } <= tables
        assert _schema_differences(app) == []
        with app.app_context():
            downgrade(revision="base")
            db.engine.dispose()
            left = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert left == set()
        with app.app_context():
            upgrade()
        assert _schema_differences(app) == []
        with app.app_context():
            db.engine.dispose()
    finally:
        if schema:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
