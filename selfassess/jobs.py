"""Background jobs on a huey queue: SQLite in ``instance/`` by default, PostgreSQL or Redis when
``JOBS_URL`` names one, or run inline (``immediate``) for tests.

Tasks take ids, never objects, and run in an app context of their own (a fresh database
session), so the same task body serves the consumer process (``flask jobs run``) and immediate
mode. Work that depends on rows written in a request is enqueued only once that transaction
commits (``enqueue_after_commit``): a job started earlier could not see the rows yet.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from huey import Huey
from huey.storage import BaseSqlStorage, PostgresStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import db

log = logging.getLogger(__name__)

#: Until an app configures it, the queue runs tasks inline in memory and touches nothing.
huey = Huey("selfassess", results=False, utc=True, immediate=True)
_app: dict[str, Flask] = {}
_schema_ready: set[int] = set()
_AFTER_COMMIT = "jobs_after_commit"


def storage_for(url: str, instance_path: Path) -> tuple[type | None, dict[str, Any]]:
    """The huey storage class and its arguments for a ``JOBS_URL`` (None: run inline)."""
    if url == "immediate":
        return None, {}
    if url in ("", "sqlite"):
        return SqliteStorage, {"filename": str(instance_path / "jobs.sqlite3")}
    if url.startswith("sqlite:///"):
        return SqliteStorage, {"filename": url[len("sqlite:///") :]}
    if url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        dsn = "postgresql://" + url.split("://", 1)[1]
        return PostgresStorage, {"dsn": dsn}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage, {"url": url}
    raise ValueError(
        f"JOBS_URL must be 'sqlite', sqlite:///path, postgresql://, redis:// or "
        f"'immediate', not {url!r}"
    )


def init_app(app: Flask) -> None:
    """Point the queue at the configured storage; nothing is opened until a job is enqueued."""
    storage_class, kwargs = storage_for(str(app.config["JOBS_URL"]), Path(app.instance_path))
    _app["current"] = app
    if storage_class is None:
        huey.immediate = True
        return
    # Tables are made on first use (ensure_schema), so create_app touches no database.
    huey.storage_class = storage_class
    huey.storage_kwargs = {
        **kwargs,
        **({"create_tables": False} if issubclass(storage_class, BaseSqlStorage) else {}),
    }
    huey.immediate = False
    huey.storage = huey.create_storage()


def ensure_schema() -> None:
    """Create the queue's tables (SQLite or PostgreSQL storage) once per process and storage."""
    storage = huey.storage
    if id(storage) in _schema_ready or not isinstance(storage, BaseSqlStorage):
        return
    if isinstance(storage, SqliteStorage):
        Path(storage.filename).parent.mkdir(parents=True, exist_ok=True)
    storage.initialize_schema()
    _schema_ready.add(id(storage))


def _in_app_context(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        # A context of its own: a fresh session, even when run inline inside a request's commit.
        with _app["current"].app_context():
            try:
                return fn(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def task(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Declare a background task (``fn(*ids)``) that runs in an app context."""

    def decorate(fn: Callable[..., Any]) -> Any:
        # Registered as module.name (huey adds the module): the same in web and consumer.
        return huey.task(**options)(_in_app_context(fn))

    return decorate


def periodic_task(when: Callable[..., bool]) -> Callable[[Callable[..., Any]], Any]:
    """Declare a task the consumer runs on a schedule (``huey.crontab``), in an app context.

    Every consumer process runs it, so the task must be safe to run twice at once.
    """

    def decorate(fn: Callable[..., Any]) -> Any:
        return huey.periodic_task(when)(_in_app_context(fn))

    return decorate


def enqueue(job: Any, *args: Any) -> None:
    """Put ``job(*args)`` on the queue now (or run it now, in immediate mode)."""
    ensure_schema()
    job(*args)


def enqueue_after_commit(job: Any, *args: Any) -> None:
    """Enqueue ``job(*args)`` when the current transaction commits; forget it on rollback."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append((job, args))


def _run_after_commit(session: Session) -> None:
    for job, args in session.info.pop(_AFTER_COMMIT, []):
        try:
            enqueue(job, *args)
        except Exception:  # the sweep re-enqueues what is due; never fail a committed request
            log.exception("could not enqueue %s%r; the periodic sweep will retry", job, args)


def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)


event.listen(db.session, "after_commit", _run_after_commit)
event.listen(db.session, "after_rollback", _forget_after_rollback)
