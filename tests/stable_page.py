"""Compare two pages for sameness (no oracle) despite the one thing that must differ per response.

Every page carries a fresh script nonce in its CSP and its one inline script; two answers that
must say the same thing are compared with it blanked.
"""

from __future__ import annotations

import re
from typing import Any

NONCE = re.compile(rb'nonce="[^"]*"')


def stable(body: str | bytes) -> bytes:
    """The page with its nonce blanked."""
    raw = body.encode() if isinstance(body, str) else body
    return NONCE.sub(b'nonce=""', raw)


def cell_text(cell: Any) -> str:
    """A table cell's text as a sighted reader on a wide screen sees it: without the heading a
    responsive table repeats in each cell for phones (hidden from screen readers too)."""
    heading = cell.select_one(".nhsuk-table__heading")
    text = cell.get_text(" ")
    if heading is not None:
        text = text.replace(heading.get_text(" "), "", 1)
    return " ".join(text.split())
