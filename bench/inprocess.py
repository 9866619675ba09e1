"""Server time per page, measured with the app's own test client, with SQL query counts.

No network and no client parsing inside the timed part: the figure is what the app spends on
one request (routing, SQL, charts, templates). ``profile`` runs one operation under cProfile so
the report can say where that time goes.
"""

from __future__ import annotations

import cProfile
import gzip
import io
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from .floor import PATH as FLOOR_PATH
from .floor import register as register_floor
from .forms import SectionForm, csrf_token
from .instance import PASSWORD, Instance


@dataclass
class Operation:
    """A named request to time: ``call`` makes it and returns the response."""

    name: str
    call: Callable[[], Any]
    expect: int = 200
    #: At most this many timed calls (a live PDF takes seconds: a few tell its median).
    most: int | None = None


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 20 runs is the 19th fastest)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def sign_in(client: Any, email: str) -> None:
    """Sign in through the real form, CSRF token and all."""
    token = csrf_token(client.get("/auth/sign-in").get_data(as_text=True))
    answer = client.post(
        "/auth/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in of {email} answered {answer.status_code}")


class Bench:
    """One app and its signed-in clients over a generated instance."""

    def __init__(self, instance: Instance) -> None:
        from selfassess import create_app
        from selfassess.extensions import db

        self.instance = instance
        self.app = register_floor(create_app({"SQLALCHEMY_DATABASE_URI": instance.url}))
        self.db = db
        self.queries = 0
        with self.app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._count)
        self.anonymous = self.app.test_client()
        self.clients: dict[str, Any] = {}

    def _count(self, *_args: Any) -> None:
        statement = str(_args[2]).lstrip().upper()
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA", "COMMIT")):
            self.queries += 1

    def client(self, email: str) -> Any:
        """A test client signed in as ``email`` (one per user, kept)."""
        if email not in self.clients:
            client = self.app.test_client()
            sign_in(client, email)
            self.clients[email] = client
        return self.clients[email]

    def operations(self, slug: str, suffix: str = "") -> list[Operation]:
        """Every page the issue names, for one alliance (suffix tells alliances apart)."""
        info = self.instance.alliances[slug]
        editor = info["editors"][0]
        coordinator = self.client(info["coordinator"])
        trust = self.client(editor["email"])
        section = f"/trusts/{editor['code']}/assessments/{editor['assessment']}/sections/GOV"
        form = SectionForm.parse(trust.get(section).get_data(as_text=True))

        def save() -> Any:
            # As a browser's cookie stands at its next save: the page after this one shows and
            # clears the "saved" message (see served.Browser.save).
            kept = trust.get_cookie("session")
            answer = trust.post(section, data=form.next_save("inprocess"))
            trust.set_cookie("session", kept.value, domain=kept.domain, path=kept.path)
            if answer.status_code == 409:  # computed fingerprint wrong: read the page again
                fresh = SectionForm.parse(trust.get(section).get_data(as_text=True))
                form.csrf, form.seen, form.values = fresh.csrf, fresh.seen, fresh.values
            return answer

        closed = self.instance.closed_cycle[slug]
        code = editor["code"]
        report = f"/alliances/{slug}/cycles/{closed}/members/{code}/report"
        stored = self.stored_report(code, closed)
        ops = [
            Operation(
                "trust_dashboard" + suffix,
                lambda: trust.get(f"/trusts/{editor['code']}/alliances/{slug}/dashboard"),
            ),
            Operation(
                "coordinator_dashboard" + suffix,
                lambda: coordinator.get(f"/alliances/{slug}/dashboard"),
            ),
        ]
        if suffix:
            return ops
        return [
            *ops,
            Operation("floor_template", lambda: self.anonymous.get("/auth/sign-in")),
            Operation("section_page", lambda: trust.get(section)),
            Operation("section_save", save, expect=302),
            Operation(
                "floor_insert",
                lambda: trust.post(FLOOR_PATH, data={"csrf_token": form.csrf}),
                expect=302,
            ),
            Operation(
                "scores_csv",
                lambda: coordinator.get(f"/alliances/{slug}/cycles/{closed}/scores.csv"),
            ),
            Operation(
                "answers_csv",
                lambda: coordinator.get(f"/alliances/{slug}/cycles/{closed}/answers.csv"),
            ),
            # A member's PDF rendered while the coordinator waits, and the one kept when the
            # assessment was validated (rendered on the job queue), served from storage.
            Operation("member_pdf", lambda: coordinator.get(report + ".pdf"), most=5),
            Operation(
                "member_pdf_stored", lambda: coordinator.get(f"{report}/stored/{stored}.pdf")
            ),
        ]

    def member_pdf(self, slug: str) -> Operation:
        """A member's PDF report of the latest closed cycle, as its trust user asks for it."""
        editor = self.instance.alliances[slug]["editors"][0]
        trust = self.client(editor["email"])
        closed = self.instance.closed_cycle[slug]
        path = f"/trusts/{editor['code']}/alliances/{slug}/cycles/{closed}/report.pdf"
        return Operation("member_pdf", lambda: trust.get(path))

    def transfer(self, email: str | None, path: str) -> dict[str, Any]:
        """Bytes of one page as sent with no compression, gzip, and as a browser asks (same-site,
        as a browser following a link sends it: ``compression.safe_to_compress``), and the
        server time of the compressed one."""
        client = self.client(email) if email else self.anonymous
        found: dict[str, Any] = {}
        # A browser's Accept-Encoding: brotli for pages, the bundle's own gzip file for it.
        browser = "gzip, deflate, br, zstd"
        for label, encoding in (("bytes", ""), ("gzip_bytes", "gzip"), ("browser_bytes", browser)):
            headers = {"Sec-Fetch-Site": "same-origin", "Accept-Encoding": encoding}
            client.get(path, headers=headers)  # warm
            times = []
            for _ in range(3):
                started = time.perf_counter()
                answer = client.get(path, headers=headers)
                times.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                raise RuntimeError(f"{path} answered {answer.status_code}")
            found[label] = len(answer.get_data())
            found[label.replace("bytes", "ms")] = round(statistics.median(times), 1)
            found[label.replace("bytes", "encoding")] = answer.headers.get("Content-Encoding")
        return found

    def stored_report(self, code: str, cycle_id: int) -> int:
        """The id of the stored PDFs of ``code``'s validated assessment in ``cycle_id``,
        rendered here as the validation's background job would (once per instance)."""
        from selfassess.models import Assessment, Membership, ReportSnapshot, Trust
        from selfassess.models._types import utcnow
        from selfassess.reports.snapshots import VALIDATED, render_snapshot

        with self.app.app_context():
            assessment = self.db.session.scalars(
                select(Assessment)
                .join(Membership, Membership.id == Assessment.membership_id)
                .join(Trust, Trust.id == Membership.trust_id)
                .where(Assessment.cycle_id == cycle_id, Trust.code == code)
            ).one()
            if assessment.validated_at is None:  # the generator writes states, not times
                assessment.state = "validated"
                assessment.validated_at = utcnow()
                self.db.session.commit()
            render_snapshot(assessment.id, VALIDATED, assessment.validated_at.isoformat())
            found = self.db.session.scalar(
                select(ReportSnapshot.id).where(ReportSnapshot.assessment_id == assessment.id)
            )
            self.db.session.remove()
        if found is None:
            raise RuntimeError(f"no stored report for {code}: is WeasyPrint installed?")
        return int(found)

    def measure(self, op: Operation, repeats: int) -> dict[str, Any]:
        """Median and p95 of ``repeats`` calls after one warm-up, and queries per call.

        Wall time is the figure the targets speak of; the CPU-time median beside it tells a slow
        page from a busy machine (other jobs share these two cores)."""
        repeats = min(repeats, op.most or repeats)
        first = op.call()
        if first.status_code != op.expect:
            raise RuntimeError(f"{op.name} answered {first.status_code}, not {op.expect}")
        times, cpu, queries = [], [], []
        for _ in range(repeats):
            before = self.queries
            started, started_cpu = time.perf_counter(), time.process_time()
            answer = op.call()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            queries.append(self.queries - before)
            if answer.status_code != op.expect:
                raise RuntimeError(f"{op.name} answered {answer.status_code}")
        return {
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "queries": max(queries),
            "runs": repeats,
            "bytes": len(first.get_data()),
            # What the page costs to send compressed (gzip level 6, as a proxy or the app would).
            "gzip_bytes": len(gzip.compress(first.get_data(), compresslevel=6)),
            # CPU time of this process: the same figure when others load the machine too.
            "cpu_median_ms": round(statistics.median(cpu), 1),
        }

    def profile(self, op: Operation, folder: Path, calls: int = 3) -> str:
        """cProfile ``calls`` calls of ``op``; write the full listing, return the top lines."""
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            op.call()
        profiler.disable()
        folder.mkdir(parents=True, exist_ok=True)
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats("cumulative").print_stats(45)
        (folder / f"{op.name}.txt").write_text(text.getvalue())
        top = io.StringIO()
        pstats.Stats(profiler, stream=top).sort_stats("tottime").print_stats(12)
        return top.getvalue()
