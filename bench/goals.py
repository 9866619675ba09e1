"""The goals of issue #21, each read from one ``make bench`` run (and ``make loadtest``'s rush).

``goals(results)`` gives one entry per figure: ``measured``, ``target``, ``unit``, ``met`` (and
``at_least`` when the target is a floor, ``detail`` with the figures behind it). Goals 2 and 3
have two figures each (2a, 2b, 3a, 3b). A figure that was not measured in this run (``--quick``
without gunicorn, no load test yet) is ``None`` and not met.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LOADTEST_RESULTS = HERE / "loadtest-results.json"


def _entry(
    goal: int,
    read: Callable[[], Any],
    target: float,
    unit: str,
    at_least: bool = False,
    detail: Callable[[], Any] | None = None,
) -> dict[str, Any]:
    try:
        measured = read()
    except (KeyError, TypeError, ZeroDivisionError, OSError, StopIteration):
        measured = None
    try:
        more = detail() if detail else None
    except (KeyError, TypeError, OSError, StopIteration):
        more = None
    met = measured is not None and (measured >= target if at_least else measured <= target)
    entry = {"goal": goal, "measured": measured, "target": target, "unit": unit, "met": met}
    if at_least:
        entry["at_least"] = True
    if more is not None:
        entry["detail"] = more
    return entry


def _rush() -> dict[str, Any]:
    """The load test's deadline-rush phase, from its last run (``make loadtest``)."""
    phases = json.loads(LOADTEST_RESULTS.read_text())
    return next(p for p in phases if p["phase"] == "rush")


def _rush_p95() -> float | None:
    rush = _rush()
    # Errors, lost saves or silent overwrites fail the goal whatever the time.
    if rush["errors_outside"] or rush["lost"] or rush["silent_overwrites"]:
        return float("inf")
    return float(rush["save_p95_ms"])


def goals(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    ops, put, sizes = r["operations"], r["throughput"], r.get("transfer", {})
    tenancy = r.get("tenancy") or {}
    compressed = ("coordinator_dashboard", "trust_dashboard", "vega_bundle")
    # Named by what this run measured (--quick: 100 members, 100 alliances).
    n = r["scale"]["members"]
    many = (tenancy.get("shape") or {}).get("alliances", "many")
    return {
        f"1 same cost on an instance of {many} alliances (worst ratio)": _entry(
            1,
            lambda: max(f["ratio"] for f in tenancy["figures"].values()),
            1.2,
            "x",
            detail=lambda: tenancy,
        ),
        f"2a coordinator dashboard at {n} members, compressed": _entry(
            2,
            lambda: round(sizes["coordinator_dashboard"]["browser_bytes"] / 1024, 1),
            400,
            "KB",
            detail=lambda: sizes["coordinator_dashboard"],
        ),
        f"2b coordinator dashboard at {n} members, server time (median)": _entry(
            2, lambda: ops["coordinator_dashboard"]["median_ms"], 150, "ms"
        ),
        "3a save rps / floor rps (one durable ORM insert, same middleware)": _entry(
            3,
            lambda: put["pct"],
            50,
            "%",
            at_least=True,
            detail=lambda: {k: put[k] for k in ("save_rps", "insert_rps", "floor_rps", "pairs")},
        ),
        "3b SQL queries per section save": _entry(3, lambda: ops["section_save"]["queries"], 8, ""),
        "4 first dashboard of a fresh worker / warm": _entry(
            4, lambda: r["cold_start"]["ratio"], 2, "x", detail=lambda: r["cold_start"]
        ),
        # Rendered on the job queue when an assessment is submitted or validated and kept: the
        # goal's "or produced in the background" way. The live render is shown beside it.
        "5 member PDF report, kept one served (median)": _entry(
            5,
            lambda: ops["member_pdf_stored"]["median_ms"],
            1000,
            "ms",
            detail=lambda: {"live_median_ms": ops["member_pdf"]["median_ms"]},
        ),
        "6 deadline rush: p95 save, 200 users, 2 servers, PostgreSQL": _entry(
            6, _rush_p95, 300, "ms", detail=_rush
        ),
        "7 HTML, JSON and scripts served compressed": _entry(
            7,
            lambda: sum(
                1 for k in compressed if sizes[k]["browser_encoding"] and sizes[k]["gzip_encoding"]
            ),
            len(compressed),
            f"of {len(compressed)}",
            at_least=True,
            detail=lambda: {k: sizes[k] for k in compressed},
        ),
    }


def table(goals: dict[str, dict[str, Any]]) -> str:
    """The goals as a printed table: figure, measured, target, met."""
    lines = [f"{'goal':66} {'measured':>10} {'target':>10}  met"]
    for name, g in goals.items():
        shown = "n/a" if g["measured"] is None else f"{g['measured']}"
        target = f"{'>=' if g.get('at_least') else '<='} {g['target']}"
        lines.append(
            f"{name:66} {shown + ' ' + g['unit']:>10} {target + ' ' + g['unit']:>10}  "
            f"{'yes' if g['met'] else 'NO'}"
        )
    return "\n".join(lines)
