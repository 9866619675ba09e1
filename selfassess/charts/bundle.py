"""The Vega libraries, served by the app itself: built once per process from vl-convert.

``vl_convert.javascript_bundle()`` returns vega-embed, Vega-Lite and Vega in one script (about
0.9 MB, 1-2 s to build), so it is built on first use, kept in memory with a gzipped copy, and
served under a URL holding a hash of its content: browsers may cache it for a year, and a new
vl-convert version gets a new URL. No CDN is ever involved, so charts work offline.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass

import vl_convert

_lock = threading.Lock()
_bundle: Bundle | None = None


@dataclass(frozen=True)
class Bundle:
    """The script, its gzipped form and the content hash that names it."""

    body: bytes
    gzipped: bytes
    digest: str


def _build() -> Bundle:
    # The stub makes ``snippet`` required; the library has a default (the globals we use).
    body = vl_convert.javascript_bundle().encode("utf-8")  # type: ignore[call-arg]
    return Bundle(
        body=body,
        gzipped=gzip.compress(body, compresslevel=9, mtime=0),
        digest=hashlib.sha256(body).hexdigest()[:20],
    )


def bundle() -> Bundle:
    """Return the bundle, building it the first time (one build even under concurrent calls)."""
    global _bundle
    if _bundle is None:
        with _lock:
            if _bundle is None:
                _bundle = _build()
    return _bundle
