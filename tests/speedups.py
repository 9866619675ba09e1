"""Test-run speed-ups that change no test's meaning.

Every test still gets an app of its own, built by ``create_app`` exactly as before; what is
shared between those apps is only work whose result cannot differ from one app to the next:

* URL rules: Werkzeug compiles a Python function per rule to build its URLs (``url_for``).
  That was most of ``create_app``'s time, paid once per test. The function depends only on
  the rule's parsed parts and defaults, so it is compiled once per process and reused.
* Templates: one in-memory Jinja bytecode cache (Jinja's documented ``BytecodeCache`` hook)
  for every app, so each template is parsed and compiled once per process, not once per test.
  A template whose source changes gets a new checksum and is compiled again.
* Engines: one SQLAlchemy engine per database URL for the process (see ``share_engines``), so
  SQL is compiled once per process rather than once per test.
* The SQLite test database lives in a RAM-backed folder (``/dev/shm``) when there is one, so
  its commits (WAL, ``synchronous=FULL``, as in production) do not wait on a disk.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


def memoise_url_builders() -> None:
    """Compile each distinct URL builder once per process (see the module docstring)."""
    from werkzeug.routing.rules import Rule

    original = getattr(Rule, "_compile_builder", None)
    if original is None or getattr(original, "_selfassess_memoised", False):
        return  # another Werkzeug: leave it alone; correctness never depends on this
    cache: dict[Any, Any] = {}

    def compile_builder(self: Rule, append_unknown: bool = True) -> Any:
        try:
            defaults = tuple(sorted((k, repr(v)) for k, v in (self.defaults or {}).items()))
            key = (
                self.rule,
                self.host,
                self.subdomain,
                self.merge_slashes,
                tuple(self._trace),
                defaults,
                tuple(
                    (
                        k,
                        type(c),
                        tuple(sorted((a, repr(v)) for a, v in vars(c).items() if a != "map")),
                    )
                    for k, c in self._converters.items()
                ),
                append_unknown,
            )
            hash(key)
        except (AttributeError, TypeError):
            return original(self, append_unknown)
        builder = cache.get(key)
        if builder is None:
            builder = cache[key] = original(self, append_unknown)
        return builder

    compile_builder._selfassess_memoised = True  # type: ignore[attr-defined]
    Rule._compile_builder = compile_builder  # type: ignore[method-assign]


class SharedTemplateCache(BytecodeCache):
    """Compiled templates kept in memory, shared by every app the tests build."""

    def __init__(self) -> None:
        self._store: dict[str, tuple[str, Any]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        hit = self._store.get(bucket.key)
        if hit is not None and hit[0] == bucket.checksum:
            bucket.code = hit[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = (bucket.checksum, bucket.code)


TEMPLATE_CACHE = SharedTemplateCache()

_at_end: list[Any] = []


def at_end(function: Any, *args: Any, **kwargs: Any) -> None:
    """Run ``function`` when the test session ends (``pytest_sessionfinish``, else at exit)."""
    _at_end.append((function, args, kwargs))


def clean_up() -> None:
    while _at_end:
        function, args, kwargs = _at_end.pop()
        function(*args, **kwargs)


atexit.register(clean_up)

_ram_folder: Path | None = None


def sqlite_folder(fallback: Path) -> Path:
    """A folder for this process's SQLite test databases: in RAM when the machine has
    ``/dev/shm``, else ``fallback``. Removed when the process ends."""
    global _ram_folder
    if _ram_folder is None:
        shm = Path("/dev/shm")
        if not (shm.is_dir() and os.access(shm, os.W_OK)):
            return fallback
        _ram_folder = Path(tempfile.mkdtemp(prefix="selfassess-tests-", dir=shm))
        at_end(shutil.rmtree, _ram_folder, ignore_errors=True)
    return _ram_folder


def worker_database() -> None:
    """Under pytest-xdist, give this worker a PostgreSQL database of its own.

    ``TEST_DATABASE_URL`` names the database a plain run uses; worker ``gw1`` gets a fresh
    ``<that name>_gw1`` on the same server, made from scratch (the tests migrate it from empty,
    as always), and ``TEST_DATABASE_URL`` is pointed at it for the rest of this process, so
    every test, fixture and helper that reads it uses the worker's database. The database is
    dropped when the worker ends. Commits there skip waiting for the WAL flush
    (``synchronous_commit = off``): what each transaction sees is unchanged; only a server
    crash could lose the last commits of a database that is thrown away anyway.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base = os.environ.get("TEST_DATABASE_URL")
    if not worker or not base or os.environ.get("SELFASSESS_TEST_BASE_DATABASE_URL"):
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base)
    name = f"{url.database}_{worker}"
    admin = create_engine(_psycopg(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    finally:
        admin.dispose()
    os.environ["SELFASSESS_TEST_BASE_DATABASE_URL"] = base
    os.environ["TEST_DATABASE_URL"] = url.set(database=name).render_as_string(hide_password=False)
    at_end(_drop_worker_database, base, name)


def _psycopg(url: Any) -> Any:
    return url.set(drivername="postgresql+psycopg") if url.drivername == "postgresql" else url


def _drop_worker_database(base: str, name: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(_psycopg(make_url(base)), isolation_level="AUTOCOMMIT")
    # Best effort: a database left behind is dropped by the next run's worker of that name.
    with contextlib.suppress(Exception), admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _keeping_the_pool(engine: Any) -> Any:
    """``dispose`` for a shared engine: close its idle connections, keep its pool.

    ``Engine.dispose`` gives the engine a new pool. A test that builds a second app on the
    same database and disposes "its" engine disposes the shared one, while the test's own
    session may still hold a connection: that connection then belongs to a pool nothing
    references, is closed only when the garbage collector finds it, and psycopg reports it as
    a ResourceWarning in whichever later test the collection happens to run (two failures of
    an unrelated test so). Kept in its pool, it is closed by the next dispose instead.
    """

    def dispose(close: bool = True) -> None:
        engine.pool.dispose()

    return dispose


def share_engines() -> None:
    """One SQLAlchemy engine per database URL for the whole process, instead of one per app.

    An engine keeps the SQL it has compiled; a new engine per test compiled every statement
    again. Each app still binds the engine through ``db.init_app`` and each test still ends
    with ``engine.dispose()`` (closing every connection). In-memory SQLite URLs keep an
    engine per app: there the engine *is* the database. ``configure_sqlite`` registers its
    connection hooks once per engine, as it would for one app.
    """
    from flask_sqlalchemy import SQLAlchemy
    from sqlalchemy.engine import make_url

    from selfassess import database

    if getattr(SQLAlchemy._make_engine, "_selfassess_shared", False):
        return
    make_engine = SQLAlchemy._make_engine
    engines: dict[str, Any] = {}

    def shared(self: SQLAlchemy, bind_key: str | None, options: dict[str, Any], app: Any) -> Any:
        url = make_url(options["url"])
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return make_engine(self, bind_key, options, app)
        key = repr(sorted((k, str(v)) for k, v in options.items()))
        if key not in engines:
            engines[key] = engine = make_engine(self, bind_key, options, app)
            engine.dispose = _keeping_the_pool(engine)  # type: ignore[method-assign]
        return engines[key]

    shared._selfassess_shared = True  # type: ignore[attr-defined]
    SQLAlchemy._make_engine = shared  # type: ignore[method-assign]

    configure = database.configure_sqlite
    configured: weakref.WeakSet[Any] = weakref.WeakSet()

    def configure_once(engine: Any) -> None:
        if engine not in configured:
            configured.add(engine)
            configure(engine)

    database.configure_sqlite = configure_once  # type: ignore[assignment]
