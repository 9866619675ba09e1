"""Issue #21 goal 1: what a page costs depends on what it shows, not on the instance around it.

Two instances hold the same 20-member alliance (``national``) with 10 cycles of history: one
holds nothing else; the other holds ``alliances - 1`` more alliances of ``others`` members each,
with the same history (by default 500 alliances in all; ``--quick`` a smaller one). The alliance's
coordinator dashboard, a member's dashboard, its section page and a section save are timed on
both in one process, calls interleaved (small, big, small, big, ...) so a busy machine slows both
alike; the figure is the ratio of medians, big over small. Goal: at most 1.2 for each.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .inprocess import Bench
from .instance import Instance, Scale, build

MEMBERS = 20


@dataclass(frozen=True)
class Tenancy:
    alliances: int = 500
    others: int = 2  # members of each other alliance (bounds the build: ~700,000 answers)
    cycles: int = 10


QUICK_TENANCY = Tenancy(alliances=100, others=2, cycles=10)


def instances(folder: Path, tenancy: Tenancy) -> tuple[Instance, Instance]:
    """Build the one-alliance instance and the many-alliance one in ``folder``."""
    scale = Scale(members=MEMBERS, cycles=tenancy.cycles, editors=4)
    small = build(f"sqlite:///{folder / 'one.sqlite3'}", scale, plan=[("national", MEMBERS)])
    plan = [(f"small-{k:03d}", tenancy.others) for k in range(tenancy.alliances - 1)]
    big = build(f"sqlite:///{folder / 'many.sqlite3'}", scale, plan=[("national", MEMBERS), *plan])
    return small, big


def measure(small: Instance, big: Instance, repeats: int) -> dict[str, Any]:
    """Interleaved medians on both instances, their ratio and the queries each ran."""
    benches = (Bench(small), Bench(big))
    wanted = ("coordinator_dashboard", "trust_dashboard", "section_page", "section_save")
    ops = [{op.name: op for op in b.operations("national") if op.name in wanted} for b in benches]
    figures: dict[str, Any] = {}
    for name in wanted:
        times: tuple[list[float], list[float]] = ([], [])
        queries = [0, 0]
        for side in (0, 1):  # warm-up, unmeasured
            ops[side][name].call()
        for _ in range(repeats):
            for side in (0, 1):
                before = benches[side].queries
                started = time.perf_counter()
                answer = ops[side][name].call()
                times[side].append((time.perf_counter() - started) * 1000)
                queries[side] = max(queries[side], benches[side].queries - before)
                if answer.status_code != ops[side][name].expect:
                    raise RuntimeError(f"{name} answered {answer.status_code}")
        one, many = statistics.median(times[0]), statistics.median(times[1])
        figures[name] = {
            "one_alliance_ms": round(one, 1),
            "many_alliances_ms": round(many, 1),
            "ratio": round(many / one, 2),
            "queries": queries,
        }
    return figures
