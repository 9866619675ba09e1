"""What an oversized workbook upload costs the worker that reads it (issue #13, finding 5).

Builds a questionnaire workbook, then the red team's attack on it: about 1.15 million tiny cells
(an .xlsx of about 50 KiB that unpacks to about 17 MB), on the *Read me* sheet or on a domain
sheet, with or without the sheet's declared dimension. Each file is read by ``read_workbook`` in a
fresh process, which reports the wall time, the CPU time and how much its peak resident memory
grew, and in a second, traced read the peak of Python's own allocations.
Run: ``.venv/bin/python -m bench.workbook_bomb``.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import resource
import subprocess
import sys
import time
import tracemalloc
import zipfile

from selfassess.workbook.writing import (
    Cover,
    DomainSheet,
    Identity,
    QuestionRow,
    build_workbook,
)

CELLS_PER_ROW = 1000
ROWS = 1150


def honest() -> bytes:
    """A workbook shaped like a real one: five domains of fifteen questions."""
    domains = []
    fingerprints = {}
    for d in range(5):
        sheet = DomainSheet(f"D{d}", f"Domain {d}", "What this domain is about. " * 5)
        for q in range(15):
            code = f"D{d}-{q}"
            sheet.rows.append(
                QuestionRow(
                    code,
                    "A question text. " * 8,
                    "Choose a level",
                    "1: none\n2: some\n3: most\n4: all\n5: more",
                    "Guidance. " * 20,
                    "Standard statement. " * 5,
                    True,
                    ("1", "2", "3", "4", "5"),
                    "3",
                    "Evidence. " * 10,
                )
            )
            fingerprints[code] = "0" * 20
        domains.append(sheet)
    cover = Cover(
        "Trust",
        "Alliance",
        "2026/27",
        "Framework 1.0",
        "30 September 2026",
        [(str(n), f"Level {n}") for n in range(1, 6)],
    )
    return build_workbook(Identity(1, "RXX", 1, "hash"), cover, domains, fingerprints, 5000)


def bomb(data: bytes, sheet: str, dimension: bool) -> bytes:
    """``data`` with about 1.15 million cells added to ``sheet`` (a part name)."""
    row = "<row>" + "<c><v>1</v></c>" * CELLS_PER_ROW + "</row>"
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == sheet:
                text = part.decode()
                if not dimension:
                    text = re.sub(r"<dimension [^>]*/>", "", text)
                text = text.replace("</sheetData>", row * ROWS + "</sheetData>")
                part = text.encode()
            target.writestr(info.filename, part)
    return out.getvalue()


def measure(data: bytes) -> dict[str, object]:
    """Read ``data`` here and say what it cost (call in a fresh process)."""
    from selfassess.workbook.reading import Unreadable, read_workbook

    before = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.monotonic()
    try:
        read_workbook(data)
        outcome = "read"
    except Unreadable as refused:
        outcome = f"refused: {refused}"
    after = resource.getrusage(resource.RUSAGE_SELF)
    result: dict[str, object] = {
        "seconds": round(time.monotonic() - wall, 2),
        "cpu": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
        "rss_growth_mb": round((after.ru_maxrss - before.ru_maxrss) / 1024, 1),
        "peak_mb": round(after.ru_maxrss / 1024),
        "outcome": outcome,
    }
    tracemalloc.start()  # a second read, traced: Python's own allocations at their peak
    with contextlib.suppress(Unreadable):
        read_workbook(data)
    result["traced_mb"] = round(tracemalloc.get_traced_memory()[1] / 1024 / 1024, 1)
    tracemalloc.stop()
    return result


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.stdin.buffer.read())))
        return
    base = honest()
    cases = {
        "honest workbook": base,
        "Read me bomb": bomb(base, "xl/worksheets/sheet1.xml", dimension=True),
        "Read me bomb, no dimension": bomb(base, "xl/worksheets/sheet1.xml", dimension=False),
        "domain sheet bomb, no dimension": bomb(base, "xl/worksheets/sheet2.xml", dimension=False),
    }
    for name, data in cases.items():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
        run = subprocess.run(
            [sys.executable, "-m", "bench.workbook_bomb", "--measure"],
            input=data,
            capture_output=True,
            check=True,
        )
        result = json.loads(run.stdout)
        print(
            f"{name:34} {len(data) / 1024:7.0f} KiB -> {unpacked / 1e6:5.1f} MB: "
            f"{result['seconds']:5.2f} s ({result['cpu']:5.2f} s CPU), "
            f"peak RSS +{result['rss_growth_mb']:6.1f} MB (to {result['peak_mb']} MB), "
            f"traced peak {result['traced_mb']:6.1f} MB, "
            f"{result['outcome'][:60]}"
        )


if __name__ == "__main__":
    main()
