"""Throughput under gunicorn on 127.0.0.1: the trivial page, section saves, a dashboard.

The client is plain Python (no wrk on the machine): ``processes`` processes of ``threads``
threads each, every thread its own signed-in user, sharing the two cores with the server. The
three runs use the same client in the same server, so their *ratio* is the figure that
matters; the absolute requests per second are lower than wrk would show (see MEASURED.md).
"""

from __future__ import annotations

import http.cookiejar
import multiprocessing
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from .floor import PATH as FLOOR_PATH
from .forms import SectionForm, csrf_token
from .instance import HASH_METHOD, PASSWORD, ROOT, Instance


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep 302s as answers: a save answers 302 and must not cost a second request."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """One user's cookies and requests."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def save(self, path: str, form: dict[str, str]) -> tuple[int, str]:
        """Post a save as a browser does, without paying for the page after it.

        A browser follows the save's redirect, and that page shows and clears the "saved"
        message the save put in the session cookie. Not following it, this client would carry
        every message so far in its cookie: after a few hundred saves each request signs and
        parses a cookie of kilobytes, a cost no person's browser pays. So the cookie is kept as
        it was before the save, as it is again once the next page has shown the message.
        """
        kept = list(self.cookies)
        answer = self.send(path, form)
        self.cookies.clear()
        for cookie in kept:
            self.cookies.set_cookie(cookie)
        return answer

    def send(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(
                urllib.request.Request(self.base + path, data=data), timeout=60
            ) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode(errors="replace")

    def sign_in(self, email: str) -> None:
        token = csrf_token(self.send("/auth/sign-in")[1])
        status, _ = self.send(
            "/auth/sign-in", {"email": email, "password": PASSWORD, "csrf_token": token}
        )
        if status != 302:
            raise RuntimeError(f"sign-in of {email} answered {status}")


#: The app as ``wsgi:app`` builds it plus the save benchmark's floor route (``bench.floor``).
FLOOR_APP = "bench.floor:make_app()"


class Server:
    """gunicorn serving the app in its own process group."""

    def __init__(self, url: str, port: int, workers: int, app: str = FLOOR_APP) -> None:
        self.port, self.workers, self.app = port, workers, app
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-" + "k" * 40,
            "PASSWORD_HASH_METHOD": HASH_METHOD,
            "PYTHONPATH": str(ROOT),
            "SIGN_IN_LIMIT_PER_ADDRESS": "100000/minute",
        }
        self.log = Path(tempfile.gettempdir()) / f"selfassess-bench-{port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # Something else answering on the port would be measured instead: refuse to start.
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise RuntimeError(f"port {self.port} is in use; choose another with --port")
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                self.app,
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(self.workers),
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/auth/sign-in", timeout=5):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def worker_peak_mb(self) -> float:
        """The largest peak resident size (VmHWM) among the workers, in MB."""
        assert self.process is not None
        peaks = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            if fields.get("PPid", "").strip() == str(self.process.pid) and "VmHWM" in fields:
                peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
        return round(max(peaks, default=0.0), 1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def _user_loop(
    base: str,
    mode: str,
    person: dict[str, Any] | None,
    slug: str,
    start_at: float,
    until: float,
    counts: list[int],
    errors: list[str],
) -> None:
    """Make requests of one kind until ``until``; count the successful ones."""
    browser = Browser(base)
    form = None
    if person is not None:
        browser.sign_in(person["email"])
    section = ""
    if mode in ("save", "insert"):
        assert person is not None
        section = f"/trusts/{person['code']}/assessments/{person['assessment']}/sections/REL"
        form = SectionForm.parse(browser.send(section)[1])
    time.sleep(max(0.0, start_at - time.monotonic()))
    done = 0
    while time.monotonic() < until:
        if mode == "floor":
            status, _ = browser.send("/auth/sign-in")
            ok = status == 200
        elif mode == "insert":  # the floor: one durable ORM insert, same middleware
            assert form is not None
            status, _ = browser.send(FLOOR_PATH, {"csrf_token": form.csrf})
            ok = status == 302
        elif mode == "save":
            assert form is not None and person is not None
            status, _ = browser.save(section, form.next_save(f"served {person['code']}"))
            ok = status == 302
            if status == 409:
                form = SectionForm.parse(browser.send(section)[1])
        else:
            assert person is not None
            status, _ = browser.send(f"/trusts/{person['code']}/alliances/{slug}/dashboard")
            ok = status == 200
        if ok:
            done += 1
        else:
            errors.append(f"{mode} answered {status}")
    counts.append(done)


def _process(
    base: str,
    mode: str,
    people: list[dict[str, Any] | None],
    slug: str,
    start_at: float,
    seconds: float,
    queue: Any,
) -> None:
    """One client process: a thread per person, all starting together."""
    counts: list[int] = []
    errors: list[str] = []
    until = start_at + seconds
    threads = [
        threading.Thread(
            target=_user_loop, args=(base, mode, p, slug, start_at, until, counts, errors)
        )
        for p in people
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((sum(counts), errors[:3], len(errors)))


def throughput(
    server: Server, instance: Instance, mode: str, seconds: float, processes: int, threads: int
) -> tuple[float, int]:
    """Requests per second of one kind, with ``processes * threads`` users at once."""
    editors = instance.alliances["national"]["editors"]
    users = processes * threads
    if mode == "floor":
        people: list[dict[str, Any] | None] = [None] * users
    else:
        people = [editors[k % len(editors)] for k in range(users)]
        if mode in ("save", "insert") and users > len(editors):
            raise RuntimeError(f"{users} savers need as many editors; generate --editors")
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.monotonic() + 3.0  # time for every user to sign in first
    jobs = [
        context.Process(
            target=_process,
            args=(server.base, mode, people[k::processes], "national", start_at, seconds, queue),
        )
        for k in range(processes)
    ]
    for job in jobs:
        job.start()
    results = [queue.get(timeout=seconds + 120) for _ in jobs]
    for job in jobs:
        job.join()
    done = sum(r[0] for r in results)
    errors = sum(r[2] for r in results)
    first = [e for r in results for e in r[1]]
    if first:
        print(f"  {mode}: {errors} failed requests, e.g. {first[0]}")
    return round(done / seconds, 1), errors


def paired(
    server: Server,
    instance: Instance,
    seconds: float,
    processes: int,
    threads: int,
    rounds: int = 3,
) -> dict[str, Any]:
    """Saves against the floor's inserts, alternated in ``rounds`` pairs on one server.

    One insert run and one save run in a row share the machine's state of the moment (another
    process, the disk's cache), so each pair's ratio is steadier than two lone figures; the
    median of the pairs' ratios is the figure, and every pair is kept to show the spread."""
    pairs = []
    for _ in range(rounds):
        insert, _ = throughput(server, instance, "insert", seconds, processes, threads)
        save, _ = throughput(server, instance, "save", seconds, processes, threads)
        pairs.append({"insert_rps": insert, "save_rps": save, "pct": round(100 * save / insert, 1)})
        print(f"  insert {insert} req/s, save {save} req/s: {pairs[-1]['pct']}%", flush=True)
    middle = sorted(pairs, key=lambda p: p["pct"])[len(pairs) // 2]
    return {**middle, "pairs": pairs}


def cold_start(instance: Instance, port: int, warm_calls: int = 5) -> dict[str, float]:
    """The first coordinator dashboard a fresh worker serves against the same page warm.

    A one-worker server is started, a coordinator signs in (the sign-in pages are all it has
    served), then the dashboard is fetched once (cold) and ``warm_calls`` times more."""
    server = Server(instance.url, port, workers=1)
    server.start()
    try:
        browser = Browser(server.base)
        browser.sign_in(instance.alliances["national"]["coordinator"])
        timings = []
        for _ in range(1 + warm_calls):
            started = time.perf_counter()
            status, _ = browser.send("/alliances/national/dashboard")
            timings.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise RuntimeError(f"dashboard answered {status}")
    finally:
        server.stop()
    warm = sorted(timings[1:])[len(timings[1:]) // 2]
    return {
        "first_ms": round(timings[0], 1),
        "warm_median_ms": round(warm, 1),
        "ratio": round(timings[0] / warm, 2),
    }
