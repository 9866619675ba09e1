"""Database engine settings that must hold on every connection."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import Engine, event


def configure_sqlite(engine: Engine) -> None:
    """Open SQLite with WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE`` writes.

    pysqlite's own transaction handling starts transactions lazily as DEFERRED, so a read that
    later upgrades to a write fails at once with "database is locked". SQLAlchemy's SQLite docs
    show these two hooks: take over BEGIN ourselves and make it IMMEDIATE.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN" if _read_only_request() else "BEGIN IMMEDIATE")


def _read_only_request() -> bool:
    """Say whether this transaction belongs to a GET/HEAD request, which never writes.

    Reads stay DEFERRED so pages do not queue behind writers; everything else (form posts, CLI
    commands) takes the write lock up front.
    """
    return has_request_context() and request.method in {"GET", "HEAD", "OPTIONS"}
