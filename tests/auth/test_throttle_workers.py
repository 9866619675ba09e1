"""Sign-in limits hold across gunicorn workers with the default settings (issue #13, finding 7).

With counts kept in each process, two workers let ten wrong passwords through a limit of five.
Here the app runs under gunicorn with two sync workers on a migrated SQLite file, with
``SIGN_IN_LIMIT_STORAGE`` unset. Which worker takes a connection is the kernel's choice, so
the test decides it: a connection that has sent half a request keeps one worker waiting, and
the other serves everything meanwhile. Attempts 1-3 go to one worker, 4-6 to the other; the
access log shows which process answered each.
"""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from werkzeug.security import generate_password_hash

from selfassess.auth import two_factor
from selfassess.extensions import db
from selfassess.models import User
from tests.conftest import FAST_HASH, TEST_PASSWORD, _migrate_once, build_app, csrf_token

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
START_SECONDS = 30
WORKER_TIMEOUT = 20  # a held worker is never held this long
WRONG = "wrong password!"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _Browser:
    """One browser's cookies, talking HTTP to the server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def send(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, data=data), timeout=10
            ) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode()


class _HeldWorker:
    """A connection that has sent half a request: one sync worker waits on it until released."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(b"GET /auth/sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.5)  # let a worker accept it before anything else arrives

    def release(self) -> None:
        self.sock.sendall(b"\r\n")
        while self.sock.recv(65536):
            pass
        self.sock.close()


@dataclass
class _Served:
    base: str
    port: int
    access_log: Path
    email: str
    totp_email: str
    totp_secret: str

    def pids_since(self, mark: int, path: str) -> set[str]:
        """The worker processes that answered POSTs to ``path`` after log line ``mark``."""
        time.sleep(0.2)  # a worker logs just after it answers
        lines = self.access_log.read_text().splitlines()[mark:]
        return {line.split()[0] for line in lines if f"POST {path} " in line}

    def log_mark(self) -> int:
        return len(self.access_log.read_text().splitlines())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Served]:
    folder = tmp_path_factory.mktemp("two-workers")
    url = f"sqlite:///{folder / 'workers.sqlite3'}"
    app = build_app(url)
    _migrate_once(app, url)
    hashed = generate_password_hash(TEST_PASSWORD, method=FAST_HASH)
    secret = two_factor.new_secret()
    with app.app_context():
        db.session.add_all(
            [
                User(email="guessed@example.nhs.uk", name="Guessed", password_hash=hashed),
                User(
                    email="coded@example.nhs.uk",
                    name="Coded",
                    password_hash=hashed,
                    totp_secret=secret,
                ),
            ]
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    port = _free_port()
    access_log = folder / "access.log"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "two-workers-" + "k" * 40,
        "PASSWORD_HASH_METHOD": FAST_HASH,
    }
    for name in (
        "SIGN_IN_LIMIT_STORAGE",
        "SIGN_IN_LIMIT_PER_ACCOUNT",
        "SIGN_IN_LIMIT_PER_ADDRESS",
        "SELFASSESS_ENV",
    ):
        env.pop(name, None)  # the defaults are what is tested
    with (folder / "gunicorn.log").open("wb") as output:
        process = subprocess.Popen(
            [
                str(GUNICORN),
                "wsgi:app",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "-k",
                "sync",
                "--timeout",
                str(WORKER_TIMEOUT),
                "--access-logfile",
                str(access_log),
                "--access-logformat",
                "%(p)s %(m)s %(U)s %(s)s",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", process, folder / "gunicorn.log")
        yield _Served(
            f"http://127.0.0.1:{port}",
            port,
            access_log,
            "guessed@example.nhs.uk",
            "coded@example.nhs.uk",
            secret,
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/auth/sign-in", timeout=5):
                # Both workers must be listening, or the first would take every connection.
                if (log.read_text().count("Booting worker")) >= 2:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not start: {log.read_text()}")


def _on_each_worker_in_turn(served: _Served, first: Any, second: Any) -> Any:
    """Run ``first`` on one worker and ``second`` on the other; return what ``second`` does."""
    held_a = _HeldWorker(served.port)
    try:
        first()
        held_b = _HeldWorker(served.port)
    finally:
        held_a.release()
    try:
        return second()
    finally:
        held_b.release()


def _wrong_password(browser: _Browser, email: str) -> int:
    token = csrf_token(browser.send("/auth/sign-in")[1])
    return browser.send("/auth/sign-in", {"email": email, "password": WRONG, "csrf_token": token})[
        0
    ]


def test_the_sixth_wrong_password_is_refused_whichever_worker_takes_it(served):
    browser = _Browser(served.base)
    mark = served.log_mark()
    first_pids: set[str] = set()

    def first() -> None:
        for _ in range(3):
            assert _wrong_password(browser, served.email) == 200
        first_pids.update(served.pids_since(mark, "/auth/sign-in"))

    def second() -> list[int]:
        return [_wrong_password(browser, served.email) for _ in range(3)]

    assert _on_each_worker_in_turn(served, first, second) == [200, 200, 429]
    second_pids = served.pids_since(mark, "/auth/sign-in") - first_pids
    assert len(first_pids) == 1 and len(second_pids) == 1, "both workers answered"


def _wrong_code(secret: str) -> str:
    code = "000000"
    while two_factor.accepted_step(secret, code, None) is not None:  # one in a million
        code = f"{int(code) + 1:06d}"
    return code


def test_code_guesses_are_counted_across_workers_too(served):
    browser = _Browser(served.base)
    token = csrf_token(browser.send("/auth/sign-in")[1])
    status, page = browser.send(
        "/auth/sign-in",
        {"email": served.totp_email, "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert status == 200 and 'name="code"' in page
    code = _wrong_code(served.totp_secret)
    mark = served.log_mark()
    first_pids: set[str] = set()

    def guess() -> int:
        return browser.send("/auth/second-factor", {"code": code, "csrf_token": csrf_token(page)})[
            0
        ]

    def first() -> None:
        for _ in range(3):
            assert guess() == 400
        first_pids.update(served.pids_since(mark, "/auth/second-factor"))

    def second() -> list[int]:
        return [guess() for _ in range(3)]

    assert _on_each_worker_in_turn(served, first, second) == [400, 400, 429]
    second_pids = served.pids_since(mark, "/auth/second-factor") - first_pids
    assert len(first_pids) == 1 and len(second_pids) == 1, "both workers answered"
