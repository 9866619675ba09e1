"""Load and fault test: many people saving sections at once, with the server killed midway.

``make loadtest`` runs five phases against gunicorn on 127.0.0.1, each on a fresh database:

1. SQLite, 50 simulated users each saving 20 sections;
2. the same on PostgreSQL;
3. SQLite while the server is killed with SIGKILL midway and restarted;
4. the same on PostgreSQL;
5. two app servers on different ports sharing one PostgreSQL, sign-in throttling shared through
   Redis, each user's requests alternating between them;
6. the deadline rush (issue #21 goal 6): 200 people on two app servers and PostgreSQL for five
   minutes, each saving a section every 12 s on average (6 to 18 s: reading and typing between
   saves), at most 60 saves each. Required besides the above: p95 of a save's answer time
   <= 300 ms. Its passwords use a cheap hash: 200 sign-ins at once would measure scrypt.

Ten pairs of users work for the same trust and save the same section at the same moment (a
barrier lines them up), so the conflict check is exercised hundreds of times. Each save puts a
token unique to that save in every evidence comment of the section, so afterwards every
acknowledged save (a 302 answer) can be looked for in the database and the audit trail.

Printed per phase: requests, errors inside and outside the kill window, acknowledged saves, those
found in the database (a lost save is one acknowledged but not found), conflicts refused (409),
and silent overwrites: a stored change whose "before" differs from what its author's page showed.
Required: 0 errors outside the kill window, 0 lost, 0 silent overwrites.

Run: ``make loadtest`` (or ``.venv/bin/python -m bench.loadtest --help``).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load test password 2026"
SECTIONS = ("REL", "VIS", "GOV", "DATA", "MET")
PG_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/loadtest")


# --- the instance under test ---------------------------------------------------------------


def prepare_database(url: str, users: int, pairs: int) -> list[dict[str, Any]]:
    """Migrate a fresh database and create one alliance, its trusts, an open cycle and users.

    Users ``0 .. pairs*2-1`` come in twos sharing a trust; the rest have a trust each.
    """
    from flask_migrate import upgrade
    from sqlalchemy import text
    from werkzeug.security import generate_password_hash

    from selfassess import create_app
    from selfassess.assessments.snapshots import import_framework
    from selfassess.extensions import db
    from selfassess.models import (
        Alliance,
        Assessment,
        Cycle,
        Membership,
        Role,
        RoleGrant,
        Trust,
        User,
    )

    if url.startswith("postgresql"):
        _create_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade(directory=str(ROOT / "migrations"))
        snapshot = import_framework(Path(app.config["QUESTIONS_DIR"]) / "alliance-maturity-1.0")
        alliance = Alliance(slug="load", name="Load Alliance", collaboration_type="multi_service")
        db.session.add(alliance)
        cycle = Cycle(
            alliance=alliance,
            name="2026/27",
            snapshot=snapshot,
            state="open",
            opens_on=date(2026, 4, 1),
            closes_on=date(2099, 3, 31),
        )
        db.session.add(cycle)
        hashed = generate_password_hash(PASSWORD, method=app.config["PASSWORD_HASH_METHOD"])
        people = []
        n_trusts = pairs + (users - 2 * pairs)
        trusts = []
        for t in range(n_trusts):
            trust = Trust(
                code=f"L{t:03d}", name=f"Load Trust {t}", trust_type="Acute", region="London"
            )
            membership = Membership(
                alliance=alliance,
                trust=trust,
                collaboration_type="multi_service",
                joined_on=date(2024, 4, 1),
            )
            assessment = Assessment(cycle=cycle, membership=membership)
            db.session.add_all([trust, membership, assessment])
            trusts.append((trust, assessment))
        db.session.flush()
        for u in range(users):
            trust, assessment = trusts[u // 2] if u < 2 * pairs else trusts[u - pairs]
            user = User(
                email=f"load{u}@example.nhs.uk", name=f"Load User {u}", password_hash=hashed
            )
            user.grants.append(
                RoleGrant(role=Role.TRUST_USER, alliance_id=alliance.id, trust_id=trust.id)
            )
            db.session.add(user)
            people.append(
                {
                    "email": user.email,
                    "trust": trust,
                    "assessment": assessment,
                    "pair": u // 2 if u < 2 * pairs else None,
                }
            )
        db.session.commit()
        result = [
            {
                "email": p["email"],
                "code": p["trust"].code,
                "assessment": p["assessment"].id,
                "pair": p["pair"],
            }
            for p in people
        ]
        db.session.remove()
        db.engine.dispose()
    return result


def _create_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` if it does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


class Server:
    """gunicorn serving ``wsgi:app`` on one port, in its own process group (killable whole)."""

    def __init__(self, port: int, env: dict[str, str], workers: int) -> None:
        self.port, self.env, self.workers = port, env, workers
        self.process: subprocess.Popen[bytes] | None = None
        self.log = Path(tempfile.gettempdir()) / f"selfassess-loadtest-{port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> float:
        """Start and wait until it answers; return the time it became ready."""
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "wsgi:app",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(self.workers),
                "--threads",
                "4",
                "--graceful-timeout",
                "2",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/auth/sign-in", timeout=2):
                    return time.monotonic()
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn on {self.port} did not start; see {self.log}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no graceful shutdown, as in a crash."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)


# --- simulated users -----------------------------------------------------------------------


@dataclass
class Save:
    """One save as its author saw it: what the page showed and what was typed."""

    user: int
    assessment: int
    section: str
    token: str
    seen: dict[str, tuple[str | None, str | None]]
    typed: dict[str, tuple[str | None, str | None]]
    request_id: str | None = None


@dataclass
class Tally:
    requests: int = 0
    errors: list[tuple[float, str]] = field(default_factory=list)
    acknowledged: list[Save] = field(default_factory=list)
    conflicts: int = 0
    save_ms: list[float] = field(default_factory=list)  # every save's answer time (POST)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append((time.monotonic(), what))


class SignInFailed(RuntimeError):
    """The user could not sign in (a reason to start again from the sign-in page)."""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class VirtualUser(threading.Thread):
    """Signs in, then saves ``saves`` sections, retrying through conflicts and outages."""

    def __init__(
        self,
        index: int,
        person: dict[str, Any],
        bases: list[str],
        saves: int,
        tally: Tally,
        barrier: threading.Barrier | None,
        deadline: float,
        think: float = 0.0,
    ) -> None:
        super().__init__(daemon=True)
        self.index, self.person, self.bases, self.saves = index, person, bases, saves
        self.tally, self.barrier, self.deadline = tally, barrier, deadline
        self.think = think  # mean seconds between one save and the next (reading, typing)
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )
        self.turn = 0

    def _base(self) -> str:
        self.turn += 1
        return self.bases[self.turn % len(self.bases)]

    def _send(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str, Any]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self._base() + path, data=data)
        with self.tally.lock:
            self.tally.requests += 1
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode(errors="replace"), answer.headers

    def _sign_in(self) -> None:
        self.cookies.clear()
        status, html, _ = self._send("/auth/sign-in")
        if status != 200:
            raise SignInFailed(f"sign-in page answered {status}")
        token = _hidden(html, "csrf_token")
        status, _, _ = self._send(
            "/auth/sign-in",
            {"email": self.person["email"], "password": PASSWORD, "csrf_token": token},
        )
        if status != 302:
            raise SignInFailed(f"sign-in answered {status}")

    def run(self) -> None:
        rng = random.Random(self.index)
        # People arrive over a few seconds, not all in the same instant: each sign-in costs a
        # deliberately slow password hash (scrypt, about 0.4 s of CPU).
        time.sleep(self.index * 0.1)
        signed_in = False
        done = 0
        while done < self.saves and time.monotonic() < self.deadline:
            try:
                if not signed_in:
                    self._sign_in()
                    signed_in = True
                section = SECTIONS[done % len(SECTIONS)]
                outcome = self._save(section, done, rng)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as failure:
                self.tally.error(f"user {self.index}: {failure}")
                time.sleep(0.3)
                continue
            except SignInFailed as failure:
                self.tally.error(f"user {self.index}: {failure}")
                signed_in = False
                time.sleep(0.3)
                continue
            except RuntimeError as failure:  # an unexpected answer to a save: count, go on
                self.tally.error(f"user {self.index}: {failure}")
                time.sleep(0.3)
                continue
            if outcome == "saved":
                done += 1
            elif outcome == "signed_out":
                signed_in = False
            if self.think:
                pause = rng.uniform(0.5 * self.think, 1.5 * self.think)
                time.sleep(max(0.0, min(pause, self.deadline - time.monotonic())))

    def _save(self, section: str, number: int, rng: random.Random) -> str:
        path = (
            f"/trusts/{self.person['code']}/assessments/{self.person['assessment']}"
            f"/sections/{section}"
        )
        status, html, _ = self._send(path)
        if status == 302:
            return "signed_out"
        if status != 200:
            raise RuntimeError(f"GET {section} answered {status}")
        state = _read_forms(html)
        token = f"u{self.index}-s{number}-{rng.randrange(10**9)}"
        if "csrf_token" not in state.hidden or "seen" not in state.hidden:
            raise RuntimeError(f"GET {section}: no form on the page")
        form = {
            "csrf_token": state.hidden["csrf_token"],
            "seen": state.hidden["seen"],
            "action": "later",
        }
        seen, typed = {}, {}
        for name, value, comment in _questions(state):
            new = _new_value(state, name, rng, name in state.numbers)
            form[name], form["c_" + name[2:]] = new, token
            seen[name[2:]] = (value, comment)
            typed[name[2:]] = (new, token)
        save = Save(self.index, self.person["assessment"], section, token, seen, typed)
        if self.barrier is not None:
            try:
                self.barrier.wait(timeout=5)
            except threading.BrokenBarrierError:
                self.barrier = None  # the partner has finished or stalled: carry on alone
        sent = time.perf_counter()
        status, _, headers = self._send(path, form)
        with self.tally.lock:
            self.tally.save_ms.append((time.perf_counter() - sent) * 1000)
        if status == 302 and "/auth/sign-in" not in headers.get("Location", ""):
            save.request_id = headers.get("X-Request-ID")
            with self.tally.lock:
                self.tally.acknowledged.append(save)
            return "saved"
        if status == 409:
            with self.tally.lock:
                self.tally.conflicts += 1
            return "conflict"
        if status in (302, 401):
            return "signed_out"
        raise RuntimeError(f"POST {section} answered {status}")


_TAG = re.compile(r"<input\b([^>]*)>|<textarea\b([^>]*)>(.*?)</textarea>", re.S)
_ATTR = re.compile(r'([\w-]+)(?:="([^"]*)")?')


@dataclass
class FormState:
    """What a page's forms hold, read with regular expressions: the simulated users parse
    thousands of pages, and a full HTML parser in the client would starve the server."""

    hidden: dict[str, str] = field(default_factory=dict)
    radios: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # number inputs and text areas
    numbers: set[str] = field(default_factory=set)  # answer fields asking for a number
    order: list[str] = field(default_factory=list)  # answer field names, page order


def _read_forms(html: str) -> FormState:
    state = FormState()
    for match in _TAG.finditer(html):
        attrs = {k: unescape(v or "") for k, v in _ATTR.findall(match.group(1) or match.group(2))}
        name = attrs.get("name", "")
        if match.group(1) is not None:
            kind = attrs.get("type", "text")
            if kind == "hidden":
                state.hidden[name] = attrs.get("value", "")
            elif kind == "radio":
                if name not in state.radios:
                    state.order.append(name)
                state.radios.setdefault(name, []).append(
                    (attrs.get("value", ""), "checked" in attrs)
                )
            elif name.startswith("a_"):
                state.texts[name] = attrs.get("value", "")
                state.order.append(name)
                if attrs.get("inputmode") == "decimal":  # a metric's number box
                    state.numbers.add(name)
        else:
            state.texts[name] = unescape(match.group(3)).strip()
            if name.startswith("a_"):
                state.order.append(name)
    return state


def _hidden(html: str, name: str) -> str:
    value = _read_forms(html).hidden.get(name)
    if value is None:
        raise RuntimeError(f"no {name} field on the page")
    return value


def _questions(state: FormState) -> list[tuple[str, str | None, str | None]]:
    """(answer field name, shown value, shown comment) for each question on a section page."""
    found = []
    for name in state.order:
        if name in state.radios:
            checked = [value for value, on in state.radios[name] if on]
            value = checked[0] if checked else None
        else:
            value = state.texts.get(name, "").strip() or None
        found.append((name, value, state.texts.get("c_" + name[2:], "").strip() or None))
    return found


def _new_value(state: FormState, name: str, rng: random.Random, number: bool) -> str:
    if name in state.radios:
        return rng.choice([value for value, _ in state.radios[name]])
    if number:
        return "50"  # inside every metric's range; the comment token makes each save differ
    return f"Free text {rng.randrange(10**6)}"


# --- checking what happened ----------------------------------------------------------------


def verify(url: str, tally: Tally) -> dict[str, int]:
    """Look for every acknowledged save in the database, check that each stored answer is the
    last audited change to it, and check each audited change's "before" against what its
    author's page showed (a difference is a silent overwrite)."""
    from sqlalchemy import select

    from selfassess import create_app
    from selfassess.extensions import db
    from selfassess.models import Answer, AuditEvent, SnapshotQuestion

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        code_of = dict(db.session.execute(select(SnapshotQuestion.id, SnapshotQuestion.code)).all())
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "assessment.answers_saved")
            .order_by(AuditEvent.id)
        ).all()
        by_request = {e.request_id: e for e in events}
        written: dict[tuple[int, str], set[str]] = {}
        last_change: dict[tuple[int, str], str | None] = {}
        for event in events:
            for code, change in event.after["answers"].items():
                last_change[(event.entity_id, code)] = change.get("comment")
                if change.get("comment"):
                    written.setdefault((event.entity_id, change["comment"]), set()).add(code)
        stored = {
            (a.assessment_id, code_of[a.question_id]): a.comment
            for a in db.session.scalars(select(Answer))
        }
        inconsistent = sum(1 for key, comment in stored.items() if last_change.get(key) != comment)
        found = overwrites = 0
        for save in tally.acknowledged:
            if len(written.get((save.assessment, save.token), set())) == len(save.typed):
                found += 1
            event = by_request.get(save.request_id)
            if event is None:
                continue  # a retry of a save whose first try committed, unacknowledged
            seen = {code_of[int(k)]: v for k, v in save.seen.items()}
            before = event.before["answers"]
            if set(before) - set(seen) or any(
                (change.get("value"), change.get("comment")) != seen[code]
                for code, change in before.items()
            ):
                overwrites += 1
        db.session.remove()
        db.engine.dispose()
    return {"found": found, "silent_overwrites": overwrites, "inconsistent": inconsistent}


# --- phases --------------------------------------------------------------------------------


def run_phase(
    name: str,
    url: str,
    *,
    kill: bool,
    servers: int,
    users: int,
    saves: int,
    pairs: int,
    timeout: float,
    workers: int,
    think: float = 0.0,
    cheap_hash: bool = False,
    port: int = 8101,
) -> dict[str, Any]:
    if cheap_hash:
        # Hundreds of sign-ins at once would measure scrypt (0.4 s of CPU each), not saves.
        os.environ["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    people = prepare_database(url, users, pairs)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "loadtest-" + "k" * 40,
        "PYTHONPATH": str(ROOT),
    }
    if servers > 1:
        env["SIGN_IN_LIMIT_STORAGE"] = "redis://127.0.0.1:6379"
    ports = [port + i for i in range(servers)]
    running = [Server(port, env, workers) for port in ports]
    for server in running:
        server.start()
    tally = Tally()
    barriers = {p: threading.Barrier(2) for p in range(pairs)}
    started = time.monotonic()
    deadline = started + timeout
    threads = [
        VirtualUser(
            i,
            person,
            [s.url for s in running],
            saves,
            tally,
            barriers.get(person["pair"]) if person["pair"] is not None else None,
            deadline,
            think,
        )
        for i, person in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    window = (0.0, 0.0)
    if kill:
        total = users * saves
        while len(tally.acknowledged) < total // 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        killed_at = time.monotonic()
        running[0].kill()
        time.sleep(1.0)
        ready_at = running[0].start()
        window = (killed_at, ready_at + 1.0)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()) + 5)
    elapsed = time.monotonic() - started
    for server in running:
        server.stop()
    checked = verify(url, tally)
    inside = sum(1 for at, _ in tally.errors if window[0] <= at <= window[1])
    outside = len(tally.errors) - inside
    return {
        "phase": name,
        "requests": tally.requests,
        "seconds": round(elapsed, 1),
        "rps": round(tally.requests / elapsed, 1),
        "errors_in_kill_window": inside,
        "errors_outside": outside,
        "acknowledged": len(tally.acknowledged),
        "found": checked["found"],
        "lost": len(tally.acknowledged) - checked["found"],
        "conflicts_409": tally.conflicts,
        "silent_overwrites": checked["silent_overwrites"],
        "stored_not_last_audited": checked["inconsistent"],
        "unfinished_users": sum(1 for t in threads if t.is_alive()),
        "users": users,
        "save_p50_ms": _percentile(tally.save_ms, 0.50),
        "save_p95_ms": _percentile(tally.save_ms, 0.95),
        "save_max_ms": round(max(tally.save_ms, default=0.0), 1),
        "first_errors": [what for _, what in tally.errors[:3]],
    }


def _percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile, in ms, of the save answer times (None without any)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))], 1)


#: The deadline rush (issue #21 goal 6): how many people, for how long, how often each saves.
RUSH = {"users": 200, "seconds": 300.0, "think": 12.0, "pairs": 20, "saves": 60}
RUSH_P95_MS = 300.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--saves", type=int, default=20, help="sections saved per user")
    parser.add_argument("--pairs", type=int, default=10, help="pairs of users sharing a trust")
    parser.add_argument("--timeout", type=float, default=180, help="seconds per phase, at most")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per server")
    parser.add_argument(
        "--phases",
        default="sqlite,postgresql,sqlite-kill,postgresql-kill,two-servers,rush",
        help="comma-separated",
    )
    parser.add_argument("--port", type=int, default=8101, help="first server's port")
    parser.add_argument("--rush-users", type=int, default=int(RUSH["users"]))
    parser.add_argument("--rush-seconds", type=float, default=RUSH["seconds"])
    parser.add_argument(
        "--rush-think", type=float, default=RUSH["think"], help="mean seconds between saves"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="selfassess-loadtest-"))
    plans = {
        "sqlite": (f"sqlite:///{folder / 'load.sqlite3'}", False, 1),
        "postgresql": (PG_URL, False, 1),
        "sqlite-kill": (f"sqlite:///{folder / 'load-kill.sqlite3'}", True, 1),
        "postgresql-kill": (PG_URL, True, 1),
        "two-servers": (PG_URL, False, 2),
        "rush": (PG_URL, False, 2),
    }
    results = []
    for name in args.phases.split(","):
        url, kill, servers = plans[name]
        sizes = {"users": args.users, "saves": args.saves, "pairs": args.pairs}
        if name == "rush":
            sizes = {"users": args.rush_users, "saves": RUSH["saves"], "pairs": RUSH["pairs"]}
        result = run_phase(
            name,
            url,
            kill=kill,
            servers=servers,
            **sizes,
            timeout=args.rush_seconds if name == "rush" else args.timeout,
            workers=args.workers,
            think=args.rush_think if name == "rush" else 0.0,
            cheap_hash=name == "rush",
            port=args.port,
        )
        results.append(result)
        print(json.dumps(result), flush=True)
    columns = (
        "phase",
        "requests",
        "seconds",
        "rps",
        "errors_in_kill_window",
        "errors_outside",
        "acknowledged",
        "found",
        "lost",
        "conflicts_409",
        "silent_overwrites",
        "save_p95_ms",
    )
    print()
    print(" | ".join(columns))
    for result in results:
        print(" | ".join(str(result[c]) for c in columns))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    failed = [
        r["phase"]
        for r in results
        if r["errors_outside"]
        or r["lost"]
        or r["silent_overwrites"]
        or r["stored_not_last_audited"]
        or r["unfinished_users"]
        or (r["phase"] == "rush" and (r["save_p95_ms"] or 0) > RUSH_P95_MS)
    ]
    print(
        "\nFAILED: " + ", ".join(failed)
        if failed
        else "\nall phases passed: 0 errors outside "
        "the kill window, 0 acknowledged saves lost, 0 silent overwrites"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
