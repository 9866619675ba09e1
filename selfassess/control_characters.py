"""Control characters in text people type or upload: the C0 characters other than tab and the
line breaks. They come pasted from PDFs or hidden in files and are never meant; PostgreSQL cannot
store NUL, and a worksheet cannot hold any of them (openpyxl raises, so a workbook download with
one in an answer was a 500). Answers drop them; uploaded CSV files are refused with them.
"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def without_controls(text: str) -> str:
    """``text`` with its control characters removed."""
    return CONTROL_CHARACTERS.sub("", text)
