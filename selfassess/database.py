"""Database engine settings that must hold on every connection."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import Engine, event

from .extensions import db


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
        # Under a burst of saves, waiting up to 30 s for the write lock beats failing the save.
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        reads_only = conn.get_execution_options().get(READS_ONLY, False)
        conn.exec_driver_sql("BEGIN" if reads_only or _read_only_request() else "BEGIN IMMEDIATE")


#: An execution option for a connection of its own that only reads, during a request that
#: writes: its transaction must not wait for the write lock the request's session holds (on
#: SQLite it would wait the whole busy timeout, 30 s, for a lock its own request keeps).
READS_ONLY = "selfassess_reads_only"


def _read_only_request() -> bool:
    """Say whether this transaction belongs to a GET/HEAD request, which never writes, or to
    a request that has said it is done writing (``reads_only_from_now``).

    Reads stay DEFERRED so pages do not queue behind writers; everything else (form posts, CLI
    commands) takes the write lock up front.
    """
    if not has_request_context() or g.get("writes", False):
        return False
    return request.method in {"GET", "HEAD", "OPTIONS"} or g.get("reads_only", False)


def writes_from_now() -> None:
    """Start this request's next transaction with the write lock, though the request is a GET.

    For a GET that records something before it reads (an API request counts its token's use
    and its rate-limit hit): a DEFERRED read upgraded to a write fails at once on SQLite.
    """
    db.session.rollback()
    g.writes = True


def reads_only_from_now() -> None:
    """End this request's transaction and read without the write lock from here on.

    For a form post that ends by showing the form again (a validation error, a conflict): the
    page may take a while to render, and on SQLite holding the write lock through it would
    make every other save wait.
    """
    db.session.rollback()
    g.reads_only = True
    g.writes = False
