"""File downloads: one way to name and send them (CSV, XLSX, PDF).

Names come from free text (cycle names, trust codes), so they are cut down to ASCII letters,
digits, dots, hyphens and underscores: the Content-Disposition header stays one line and needs
no quoting rules.
"""

from __future__ import annotations

import re

from werkzeug.wrappers import Response

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
ZIP = "application/zip"


def safe_filename(text: str, suffix: str) -> str:
    """An ASCII, one-word file name for a Content-Disposition header."""
    return (re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "download") + suffix


def attachment(data: bytes, mimetype: str, stem: str, suffix: str) -> Response:
    """``data`` as a download named ``stem`` (made safe) plus ``suffix``."""
    name = safe_filename(stem, suffix)
    return Response(
        data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
