"""Shared fixtures: the app on each database, factories, sign-in through the real form.

Every database test runs on SQLite, and again on PostgreSQL when ``TEST_DATABASE_URL`` is set.
The schema is built once per database by running the real migrations from empty.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import event, select, text

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
# Background jobs run inline, inside the commit that enqueues them (tests/test_jobs.py runs a
# real consumer too).
os.environ.setdefault("JOBS_URL", "immediate")
# Rendering each submission's PDFs inline would add seconds to every submit and validate;
# tests/reports/test_reports_snapshots.py turns it on.
os.environ.setdefault("REPORT_SNAPSHOTS", "false")

from selfassess import create_app
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Membership,
    Role,
    RoleGrant,
    Trust,
    User,
)
from tests import speedups

# The HTML-validation gate: every page the test client renders is validated at the end of the run.
pytest_plugins = ["tests.html_gate"]

speedups.memoise_url_builders()
speedups.worker_database()
speedups.share_engines()

TEST_PASSWORD = "correct horse battery staple"
FAST_HASH = "pbkdf2:sha256:1000"  # tests only; production uses the configured strong method

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
_migrated: set[str] = set()


def _database_url(backend: str, tmp_factory: pytest.TempPathFactory) -> str:
    if backend == "sqlite":
        folder = speedups.sqlite_folder(tmp_factory.getbasetemp())
        return f"sqlite:///{folder / 'selfassess-test.sqlite3'}"
    url = os.environ["TEST_DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """After every fixture's teardown, and before an xdist worker reports that it is done."""
    speedups.clean_up()


class Client(FlaskClient):
    """A test client whose requests each start with an empty ``g``.

    Tests keep one app context open so they can use ``db.session`` between requests; Flask
    reuses that context for requests, so without this ``g`` (Flask-Login's cached user, the
    CSRF token) would leak from one request into the next, which never happens in production.

    Responses are read whole and closed, as a server does once it has sent them: that runs the
    work an app leaves until after the response (``Response.call_on_close``) and closes files.
    """

    def open(self, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        from flask import g

        for key in list(vars(g)):
            g.pop(key)
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


def build_app(url: str, **extra: Any) -> Flask:
    """Create an app for tests on ``url``; CSRF stays on, as in production."""
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "TEMPLATE_CACHE_DIR": "",  # one in-memory cache for every test app (speedups)
    }
    config.update(extra)
    application = create_app(config)
    application.test_client_class = Client
    application.jinja_env.bytecode_cache = speedups.TEMPLATE_CACHE
    return application


def _migrate_once(app: Flask, url: str) -> None:
    if url in _migrated:
        return
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
    _migrated.add(url)


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        # Only the tables holding rows, found in one statement, emptied with DELETE in the
        # order the foreign keys need (children first). TRUNCATE ... CASCADE took 0.1 to 0.5 s
        # a test: it cascades over every table that references the user or alliance tables,
        # nearly all ~50, and gives each new files. A DELETE leaves rows' slots to be reused,
        # so rows read without ORDER BY can come back in another order than inserted: no
        # query may rely on that (the app orders what it shows). Every sequence restarts in
        # one statement, as RESTART IDENTITY did.
        probe = " UNION ALL ".join(
            f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM {t.name})" for t in tables
        )
        filled = set(db.session.scalars(text(probe)).all())
        for table in tables:
            if table.name in filled:
                db.session.execute(table.delete())
        db.session.execute(
            text(
                "SELECT setval(c.oid, 1, false) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            )
        )
    else:
        # Deferred to the commit: a self-referencing table (snapshot variants) empties in one go.
        db.session.execute(text("PRAGMA defer_foreign_keys = ON"))
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(params=BACKENDS)
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    url = _database_url(request.param, tmp_path_factory)
    application = build_app(url)
    _migrate_once(application, url)
    with application.app_context():
        yield application
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


@contextlib.contextmanager
def demo_instance(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo loaded once into the backend's test database, for a module whose tests only
    read it (loading takes seconds; a module of such tests shares one load per backend).

    A module using it must not also use the ``app`` fixture, whose teardown empties the tables.
    """
    from selfassess.demo.loader import load_demo

    url = _database_url(backend, tmp_path_factory)
    application = build_app(url)
    _migrate_once(application, url)
    with application.app_context():
        _empty_tables()
        load_demo()
        yield application
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The demo, loaded once per module and backend, for a module whose tests only read it (a
    module needing something else of it defines its own ``demo``)."""
    with demo_instance(request.param, tmp_path_factory) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


_seq = itertools.count(1)


@pytest.fixture
def make_alliance(app: Flask) -> Callable[..., Alliance]:
    def make(**kw: Any) -> Alliance:
        n = next(_seq)
        alliance = Alliance(
            slug=kw.pop("slug", f"alliance-{n}"),
            name=kw.pop("name", f"Test Alliance {n}"),
            collaboration_type=kw.pop("collaboration_type", "multi_service"),
            **kw,
        )
        db.session.add(alliance)
        db.session.commit()
        return alliance

    return make


@pytest.fixture
def make_trust(app: Flask) -> Callable[..., Trust]:
    def make(**kw: Any) -> Trust:
        n = next(_seq)
        trust = Trust(
            code=kw.pop("code", f"T{n:04d}"),
            name=kw.pop("name", f"Test Hospitals NHS Foundation Trust {n}"),
            trust_type=kw.pop("trust_type", "Acute"),
            region=kw.pop("region", "North East and Yorkshire"),
            **kw,
        )
        db.session.add(trust)
        db.session.commit()
        return trust

    return make


@pytest.fixture
def make_membership(app: Flask) -> Callable[..., Membership]:
    def make(alliance: Alliance, trust: Trust, **kw: Any) -> Membership:
        membership = Membership(
            alliance_id=alliance.id,
            trust_id=trust.id,
            collaboration_type=kw.pop("collaboration_type", alliance.collaboration_type),
            joined_on=kw.pop("joined_on", date(2024, 4, 1)),
            **kw,
        )
        db.session.add(membership)
        db.session.commit()
        return membership

    return make


def grants_for(role: Role, scope: Any) -> list[RoleGrant]:
    """The grants a test means by ``(role, scope)``.

    A trust user's grant covers one membership: a ``Membership`` scope gives that one, a
    ``Trust`` scope one per membership the trust has now (as the 0006 migration did).
    """
    if role == Role.TRUST_USER:
        if isinstance(scope, Membership):
            return [RoleGrant(role=role, alliance_id=scope.alliance_id, trust_id=scope.trust_id)]
        memberships = db.session.scalars(
            select(Membership).where(Membership.trust_id == scope.id)
        ).all()
        assert memberships, f"trust {scope.code} must be a member of an alliance first"
        return [
            RoleGrant(role=role, alliance_id=m.alliance_id, trust_id=m.trust_id)
            for m in memberships
        ]
    return [RoleGrant(role=role, alliance_id=scope.id if isinstance(scope, Alliance) else None)]


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Make a user with a password and grants: ``make_user(("coordinator", alliance))``."""
    from werkzeug.security import generate_password_hash

    hashed = generate_password_hash(TEST_PASSWORD, method=FAST_HASH)

    def make(*grants: tuple[str, Any], **kw: Any) -> User:
        n = next(_seq)
        user = User(
            email=kw.pop("email", f"user{n}@example.nhs.uk"),
            name=kw.pop("name", f"Test User {n}"),
            password_hash=kw.pop("password_hash", hashed),
            **kw,
        )
        for role, scope in grants:
            user.grants.extend(grants_for(Role(role), scope))
        db.session.add(user)
        db.session.commit()
        return user

    return make


def csrf_token(html: str) -> str:
    """Read the CSRF token from a page's first form."""
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert field is not None, "page has no CSRF token"
    return str(field["value"])


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., Any]:
    """Sign in through the real form, CSRF token included."""

    def do_login(user: User, password: str = TEST_PASSWORD, follow: bool = False) -> Any:
        page = client.get("/auth/sign-in")
        return client.post(
            "/auth/sign-in",
            data={"email": user.email, "password": password, "csrf_token": csrf_token(page.text)},
            follow_redirects=follow,
        )

    return do_login


@pytest.fixture
def get_page(client: FlaskClient) -> Callable[..., BeautifulSoup]:
    """GET a page, check it is a well-formed page of ours, and return it parsed."""

    def get(url: str, status: int = 200) -> BeautifulSoup:
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        page = BeautifulSoup(response.text, "html.parser")
        assert page.find("h1") is not None, f"{url} has no h1"
        assert page.find("main") is not None, f"{url} has no main landmark"
        assert page.title is not None and page.title.text.strip(), f"{url} has no title"
        return page

    return get


@contextlib.contextmanager
def count_queries() -> Iterator[list[str]]:
    """Record the SQL statements run inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")):
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


# Hypothesis's per-example deadline is a timed assertion: on a busy 2-core machine an example can
# take longer than 200 ms without anything being wrong, so examples are judged on behaviour only.
settings.register_profile("selfassess", deadline=None)
settings.load_profile("selfassess")


@pytest.fixture(autouse=True)
def _workbook_time_budget_out_of_the_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """The workbook reader stops after ``MAX_SECONDS`` of wall-clock time. Tests about what it
    reads must not race a loaded machine against that clock; the budget itself is tested with a
    budget set to run out (``tests/workbook/test_workbook_limits.py``)."""
    from selfassess.workbook import archive

    monkeypatch.setattr(archive, "MAX_SECONDS", 600.0)


def sign_in_as(client: FlaskClient, login: Callable[..., Any], user: User) -> None:
    """Sign out through the real form, then sign in as ``user`` (a test changing hands)."""
    page = client.get("/", follow_redirects=True)
    client.post("/auth/sign-out", data={"csrf_token": csrf_token(page.text)})
    assert login(user).status_code == 302
