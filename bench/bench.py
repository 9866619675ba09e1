"""``make bench``: how fast selfassess is at national scale, against the targets of issue #8.

Generates a synthetic instance (default: one alliance of 500 trusts, one of 50 for the scaling
comparison, 50 small alliances, 10 cycles of the shipped framework), rebuilds its stored scores
with ``flask scores rebuild``, times every page with the app's test client (server time, SQL
queries per request, cProfile listings in ``bench/profiles/``), then measures throughput under
gunicorn on 127.0.0.1. Prints a table and writes ``bench/results.json``.

Run: ``make bench`` or ``.venv/bin/python -m bench.bench --help`` (``--quick`` for a small run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import tenancy
from .goals import goals, table
from .inprocess import Bench
from .instance import ROOT, Instance, Scale, build
from .served import Server, cold_start, paired, throughput

HERE = Path(__file__).resolve().parent
QUICK = Scale(members=100, compare=20, small_alliances=5, small_members=5, cycles=4)
#: (figure, limit, how it is read from the results) — the issue's targets.
TARGETS = (
    (
        "coordinator dashboard median at 500 <= 250 ms",
        250.0,
        lambda r: r["operations"]["coordinator_dashboard"]["median_ms"],
    ),
    (
        "trust dashboard median at 500 <= 100 ms",
        100.0,
        lambda r: r["operations"]["trust_dashboard"]["median_ms"],
    ),
    ("section save median <= 50 ms", 50.0, lambda r: r["operations"]["section_save"]["median_ms"]),
    ("coordinator dashboard 500/50 <= 3x", 3.0, lambda r: r["scaling"]["coordinator_500_over_50"]),
    ("trust dashboard 500/50 <= 3x", 3.0, lambda r: r["scaling"]["trust_500_over_50"]),
    ("flask scores rebuild < 60 s", 60.0, lambda r: r["rebuild_s"]),
    ("worker peak memory < 300 MB", 300.0, lambda r: r["worker_peak_mb"]),
    (
        "save rps >= 40% of floor rps",
        -0.40,  # negative: at least
        lambda r: r["throughput"]["save_rps"] / max(r["throughput"]["floor_rps"], 1e-9),
    ),
)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Scale()
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small instance, few repeats (a minute or two, for development)",
    )
    for name in ("members", "compare", "small_alliances", "small_members", "cycles", "editors"):
        parser.add_argument(
            "--" + name.replace("_", "-"), type=int, help=f"default {getattr(default, name)}"
        )
    parser.add_argument("--repeats", type=int, help="timed calls per page (default 20)")
    parser.add_argument("--seconds", type=float, help="seconds per throughput run (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--threads", type=int, default=4, help="users per client process")
    parser.add_argument("--port", type=int, default=8181)
    parser.add_argument("--no-served", action="store_true", help="skip the gunicorn part")
    parser.add_argument(
        "--no-tenancy",
        action="store_true",
        help="skip goal 1 (two more instances: one alliance, and 500 alliances)",
    )
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="FOLDER",
        help="measure the instance an earlier run left in FOLDER (no generation "
        "and no rebuild): before/after figures on the same data",
    )
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    return parser.parse_args(argv)


def scale_from(args: argparse.Namespace) -> Scale:
    base = QUICK if args.quick else Scale()
    chosen = {k: getattr(args, k) for k in asdict(base) if getattr(args, k, None) is not None}
    return Scale(**{**asdict(base), **chosen})


def rebuild(url: str) -> tuple[float, float]:
    """Run ``flask scores rebuild`` as a user would; seconds taken and its peak memory (MB)."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FLASK_APP": "selfassess",
        "SECRET_KEY": "bench-" + "k" * 40,
    }
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "scores", "rebuild"], cwd=ROOT, env=env, check=True
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(seconds, 1), round(peak, 1)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    scale = scale_from(args)
    repeats = args.repeats or (5 if args.quick else 20)
    seconds = args.seconds or (3.0 if args.quick else 8.0)
    began = time.perf_counter()
    rebuild_s = rebuild_mb = None
    if args.reuse:
        instance = Instance(**json.loads((args.reuse / "instance.json").read_text()))
    else:
        folder = Path(tempfile.mkdtemp(prefix="selfassess-bench-"))
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        print(f"Generating {scale} in {folder} ...", flush=True)
        instance = build(url, scale)
        (folder / "instance.json").write_text(json.dumps(asdict(instance)))
        built = time.perf_counter() - began
        print(
            f"  {instance.trusts} trusts, {instance.assessments} assessments, "
            f"{instance.answers} answers ({instance.questions} questions) in {built:.0f} s",
            flush=True,
        )
        print("flask scores rebuild ...", flush=True)
        rebuild_s, rebuild_mb = rebuild(url)
        print(f"  {rebuild_s} s, peak {rebuild_mb} MB", flush=True)

    bench = Bench(instance)
    operations: dict[str, dict[str, Any]] = {}
    profiles: dict[str, str] = {}
    # No app context around the requests: each must push its own, as under a server (a
    # shared one would share ``g``, and with it Flask-WTF's cached CSRF token).
    ops = bench.operations("national") + bench.operations("compare", suffix="_at_50")
    for op in ops:
        operations[op.name] = bench.measure(op, repeats)
        print(f"  {op.name:28} {operations[op.name]}", flush=True)
    pdf = bench.member_pdf("national")
    try:
        operations[pdf.name] = bench.measure(pdf, 3)
    except RuntimeError as failed:  # the report's route may answer otherwise (a background job)
        print(f"  member_pdf: {failed}", flush=True)
    else:
        print(f"  member_pdf                   {operations[pdf.name]}", flush=True)
    for op in ops:
        if op.name in ("coordinator_dashboard", "trust_dashboard", "section_save", "scores_csv"):
            profiles[op.name] = bench.profile(op, HERE / "profiles")
    transfer = _transfers(bench, instance)
    print(f"  transfer: {transfer}", flush=True)

    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "database": "sqlite",
        },
        "scale": {
            **asdict(scale),
            "trusts": instance.trusts,
            "assessments": instance.assessments,
            "answers": instance.answers,
            "questions": instance.questions,
        },
        "operations": operations,
        "scaling": {
            "coordinator_500_over_50": _ratio(operations, "coordinator_dashboard"),
            "trust_500_over_50": _ratio(operations, "trust_dashboard"),
        },
        "rebuild_s": rebuild_s,
        "rebuild_peak_mb": rebuild_mb,
        "throughput": {},
        "worker_peak_mb": None,
        "transfer": transfer,
        "cold_start": None,
        "tenancy": None,
    }
    if not args.no_served:
        # As a deployment does before it starts its app servers (README: TEMPLATE_CACHE_DIR),
        # so the cold start below measures a fresh worker, not a first deployment.
        from selfassess.frontend import compile_templates

        print(f"  templates compiled: {compile_templates(bench.app)}", flush=True)
        server = Server(instance.url, args.port, args.workers)
        server.start()
        try:
            # Each worker builds the Vega bundle and its chart skeletons on first use: warm both
            # up (unmeasured) so the runs show the steady state, not process start-up.
            throughput(server, instance, "dashboard", 2.0, args.clients, args.threads)
            _touch_every_page(server, instance)
            # floor: the trivial page; insert: one durable ORM insert (bench.floor), the
            # floor a save is held to (issue #21 goal 3).
            for mode in ("floor", "dashboard"):
                rps, _errors = throughput(
                    server, instance, mode, seconds, args.clients, args.threads
                )
                results["throughput"][f"{mode}_rps"] = rps
                print(f"  {mode}: {rps} req/s", flush=True)
            pairs = paired(server, instance, seconds, args.clients, args.threads)
            results["throughput"].update(pairs)
            results["worker_peak_mb"] = server.worker_peak_mb()
        finally:
            server.stop()
        results["cold_start"] = cold_start(instance, args.port + 1)
        print(f"  cold start: {results['cold_start']}", flush=True)
    if not args.no_tenancy:
        results["tenancy"] = _tenancy(args, repeats)
    results["bench_s"] = round(time.perf_counter() - began, 1)
    results["goals"] = goals(results)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    report(results, profiles)
    return 0


def _transfers(bench: Bench, instance: Instance) -> dict[str, Any]:
    """Bytes sent plain and compressed (goals 2 and 7): both dashboards at 500, the bundle."""
    from selfassess.charts import bundle as vega

    info = instance.alliances["national"]
    editor = info["editors"][0]
    with bench.app.app_context():
        script = f"/assets/vega-{vega.bundle().digest}.js"
    return {
        "coordinator_dashboard": bench.transfer(
            info["coordinator"], "/alliances/national/dashboard"
        ),
        "trust_dashboard": bench.transfer(
            editor["email"], f"/trusts/{editor['code']}/alliances/national/dashboard"
        ),
        "vega_bundle": bench.transfer(None, script),
    }


def _tenancy(args: argparse.Namespace, repeats: int) -> dict[str, Any]:
    """Goal 1: build the one-alliance and the many-alliance instances, time both."""
    shape = tenancy.QUICK_TENANCY if args.quick else tenancy.Tenancy()
    folder = Path(tempfile.mkdtemp(prefix="selfassess-tenancy-"))
    started = time.perf_counter()
    print(f"Goal 1: {shape} in {folder} ...", flush=True)
    small, big = tenancy.instances(folder, shape)
    built = round(time.perf_counter() - started, 1)
    print(f"  built in {built} s: {big.assessments} assessments, {big.answers} answers", flush=True)
    figures = tenancy.measure(small, big, max(repeats, 10))
    for name, figure in figures.items():
        print(f"  {name:24} {figure}", flush=True)
    return {
        "shape": asdict(shape),
        "members": tenancy.MEMBERS,
        "big_instance": {
            "alliances": len(big.alliances),
            "trusts": big.trusts,
            "assessments": big.assessments,
            "answers": big.answers,
        },
        "build_s": built,
        "figures": figures,
    }


def _ratio(operations: dict[str, dict[str, Any]], name: str) -> float:
    return round(operations[name]["median_ms"] / operations[name + "_at_50"]["median_ms"], 2)


def _touch_every_page(server: Server, instance: Instance) -> None:
    """Request the heaviest pages a few times so both workers' peak memory includes them."""
    from .served import Browser

    info = instance.alliances["national"]
    browser = Browser(server.base)
    browser.sign_in(info["coordinator"])
    for _ in range(2 * server.workers):
        browser.send("/alliances/national/dashboard")
        browser.send(f"/alliances/national/cycles/{instance.closed_cycle['national']}/answers.csv")


def report(results: dict[str, Any], profiles: dict[str, str]) -> None:
    """Print the table, the targets and the top of each profile."""
    print("\nWhere the time goes (cProfile, by own time; full listings in bench/profiles/):")
    for name, text in profiles.items():
        lines = [line for line in text.splitlines() if line.strip()][:18]
        print(f"--- {name}\n" + "\n".join(lines[-13:]))
    print(f"\n{'operation':30} {'median ms':>10} {'p95 ms':>10} {'queries':>8} {'cpu ms':>8}")
    for name, figures in results["operations"].items():
        print(
            f"{name:30} {figures['median_ms']:>10} {figures['p95_ms']:>10} "
            f"{figures['queries']:>8} {figures['cpu_median_ms']:>8}"
        )
    print(f"\nthroughput: {results['throughput']}  scaling: {results['scaling']}")
    print(
        f"rebuild: {results['rebuild_s']} s; worker peak: {results['worker_peak_mb']} MB; "
        f"whole bench: {results['bench_s']} s; load average: {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores\n"
    )
    print("Issue #21 goals (ratios from this run; goal 6 from make loadtest's last rush):")
    print(table(results["goals"]) + "\n")
    print("Issue #8 targets:")
    for label, limit, read in TARGETS:
        try:
            value = read(results)
        except (KeyError, TypeError):
            value = None
        if value is None:  # e.g. no rebuild with --reuse
            print(f"  n/a   {label}")
            continue
        ok = value >= -limit if limit < 0 else value <= limit
        print(f"  {'PASS' if ok else 'FAIL'}  {label}: {round(value, 2)}")


if __name__ == "__main__":
    sys.exit(main())
