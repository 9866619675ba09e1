"""The Vega libraries, served by the app itself: built once per install, not once per process.

``vl_convert.javascript_bundle()`` returns vega-embed, Vega-Lite and Vega in one script (about
0.9 MB, 1-4 s to build). ``make install`` writes it, with a gzipped copy, to a git-ignored folder
beside the static files (``write_bundle``); each app process reads those files on first use
(milliseconds), so a fresh worker's first dashboard costs about what a warm one does. Where the
files are missing or were written by another vl-convert version, the process builds the bundle
itself and writes the files for the processes after it. It is served under a URL holding a hash
of its content: browsers may cache it for a year, and a new vl-convert version gets a new URL.
No CDN is ever involved, so charts work offline.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import vl_convert

log = logging.getLogger(__name__)

#: Where the built bundle is kept (git-ignored; ``make install`` fills it).
CACHE_DIR = Path(__file__).resolve().parents[1] / "static" / "vendor"

_lock = threading.Lock()
_bundle: Bundle | None = None


@dataclass(frozen=True)
class Bundle:
    """The script, its gzipped form and the content hash that names it."""

    body: bytes
    gzipped: bytes
    digest: str


def _paths(folder: Path) -> tuple[Path, Path]:
    """The script and its gzipped copy for this vl-convert version."""
    version = getattr(vl_convert, "__version__", "unknown")  # the stub does not declare it
    name = f"vega-bundle-{version}.js"
    return folder / name, folder / f"{name}.gz"


def _made(body: bytes, gzipped: bytes | None = None) -> Bundle:
    return Bundle(
        body=body,
        gzipped=gzipped if gzipped is not None else gzip.compress(body, compresslevel=9, mtime=0),
        digest=hashlib.sha256(body).hexdigest()[:20],
    )


def _build() -> Bundle:
    # The stub makes ``snippet`` required; the library has a default (the globals we use).
    return _made(vl_convert.javascript_bundle().encode("utf-8"))  # type: ignore[call-arg]


def _read(folder: Path) -> Bundle | None:
    """The bundle from the files, if both are there and agree (a torn copy is rebuilt)."""
    script, packed = _paths(folder)
    try:
        body, gzipped = script.read_bytes(), packed.read_bytes()
    except OSError:
        return None
    if not body or gzip.decompress(gzipped) != body:
        return None
    return _made(body, gzipped)


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_bundle(folder: Path | None = None) -> Bundle:
    """Build the bundle and write its files (each replaced whole, so a reader never sees half a
    file); ``make install`` runs this. Returns what was written."""
    folder = folder or CACHE_DIR
    made = _build()
    folder.mkdir(parents=True, exist_ok=True)
    script, packed = _paths(folder)
    _write_atomically(script, made.body)
    _write_atomically(packed, made.gzipped)
    return made


def _load(folder: Path) -> Bundle:
    found = _read(folder)
    if found is not None:
        return found
    try:
        return write_bundle(folder)
    except OSError:  # a read-only install: build in memory, as before
        log.warning("Could not write the chart bundle to %s; building it in memory", folder)
        return _build()


def bundle() -> Bundle:
    """Return the bundle: read from its files the first time (built and written when missing),
    once per process even under concurrent calls."""
    global _bundle
    if _bundle is None:
        with _lock:
            if _bundle is None:
                _bundle = _load(CACHE_DIR)
    return _bundle


if __name__ == "__main__":  # ``python -m selfassess.charts.bundle``: what ``make install`` runs
    print(f"Wrote the chart bundle ({write_bundle().digest}) to {CACHE_DIR}")
