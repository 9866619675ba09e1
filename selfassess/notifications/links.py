"""Links for notifications: paths for the in-app list and absolute URLs for emails.

Emails are written by jobs and periodic tasks as well as in requests, so absolute URLs come
from the configured ``BASE_URL``, never from a request's Host header.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import MapAdapter


def _adapter() -> MapAdapter:
    base = urlsplit(str(current_app.config["BASE_URL"]))
    return current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )


def path_for(endpoint: str, **values: Any) -> str:
    """The path of a page inside the app."""
    return str(_adapter().build(endpoint, values))


def absolute(path: str) -> str:
    """The full address of an in-app ``path`` (as ``path_for`` returns it)."""
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    prefix = urlsplit(base).path.rstrip("/")
    return base + path[len(prefix) :] if prefix and path.startswith(prefix) else base + path
