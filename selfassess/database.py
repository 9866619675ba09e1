"""Database engine settings that must hold on every connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g, has_request_context, request
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
        deferred = conn.get_execution_options().get(READS_ONLY, False) or _read_only_request()
        conn.info[_DEFERRED] = deferred
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


#: Where a SQLite connection notes whether its transaction began DEFERRED (reading only).
_DEFERRED = "selfassess_deferred"


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
    if request.method in {"GET", "HEAD", "OPTIONS"} or g.get("reads_only", False):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "locks_late", False)


F = TypeVar("F", bound=Callable[..., Any])


def locks_late(view: F) -> F:
    """Mark a form post that reads and validates first and takes the write lock only to write.

    On SQLite a post's transaction otherwise begins ``IMMEDIATE`` at its first query (reading
    the session's user), so it holds the database's one write lock through everything the
    request does: the access checks, building and validating the form, the merge. Saves then
    queue behind each other for all of it (issue #21 goal 3). A view marked here reads in a
    DEFERRED transaction and calls ``take_write_lock`` before it writes; whatever can change
    meanwhile must be read again after that (``take_write_lock`` says when).
    """
    view.locks_late = True  # type: ignore[attr-defined]
    return view


def take_write_lock() -> bool:
    """Hold the write lock from here to the commit; say whether this started a new transaction.

    On SQLite, when the request has been reading in a DEFERRED transaction (``locks_late``),
    that transaction ends and the next query begins ``BEGIN IMMEDIATE``. A DEFERRED read cannot
    be upgraded in place: under WAL, once another writer has committed since it began, its
    first write fails at once ("database is locked"), whatever the busy timeout. What the
    session loaded stays loaded (no expiry), because the caller keeps using what never changes
    (the user, the section's structure); when this returns True, everything that may have
    changed (the assessment, its answers) must be read again, under the lock. Elsewhere (and
    on PostgreSQL, whose row locks do this job) nothing happens and it returns False.
    """
    g.writes, g.reads_only = True, False
    session = db.session()
    if not session.in_transaction() or not session.connection().info.get(_DEFERRED, False):
        return False
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("take_write_lock: changes were made before the write lock was taken")
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()  # ends a transaction that only read: nothing is written
    finally:
        session.expire_on_commit = keep
    return True


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
