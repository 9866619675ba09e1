"""Response headers every response carries, and a request id for logs and audit events."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask, Response, abort, g, request
from werkzeug.routing import IntegerConverter, Map

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
#: Ids are 32-bit in PostgreSQL; larger numbers in URLs simply match no route (404).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` limited to the database's id range."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


#: Public, content-addressed assets that set their own Cache-Control; every other response holds
#: (or may hold) assessment data and is never stored.
LONG_CACHED_ENDPOINTS = frozenset({"static", "dashboards.vega_bundle"})

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Vega's SVG renderer sets style attributes on elements; this allows attributes only.
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    """Register the request-id and security-header hooks and the bounded id converter."""
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def _request_id() -> None:
        g.request_id = uuid.uuid4().hex

    @app.before_request
    def _refuse_nul() -> None:
        # No text field has a use for NUL, and PostgreSQL cannot store it: refuse it at the door.
        values = [request.path, *request.args.values()]
        if request.method not in ("GET", "HEAD") and request.mimetype in FORM_TYPES:
            values += request.form.values()
        if any("\x00" in value for value in values):
            abort(400)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        # A response that set a stricter policy keeps it (evidence downloads are sandboxed).
        policy = CONTENT_SECURITY_POLICY
        if "csp_nonce" in g:
            # The design system's page template sets its "JavaScript is on" class inline.
            policy = policy.replace("script-src 'self'", f"script-src 'self' 'nonce-{g.csp_nonce}'")
        headers.setdefault("Content-Security-Policy", policy)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if "request_id" in g:
            headers["X-Request-ID"] = g.request_id
        if request.endpoint not in LONG_CACHED_ENDPOINTS or response.status_code >= 400:
            # Pages and downloads hold assessment data: never store them in shared caches.
            headers["Cache-Control"] = "no-store"
        if app.config["SELFASSESS_ENV"] == "production":
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
