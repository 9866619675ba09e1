"""Response headers every response carries, and a request id for logs and audit events."""

from __future__ import annotations

import uuid

from flask import Flask, Response, g, request

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
    """Register the request-id and security-header hooks."""

    @app.before_request
    def _request_id() -> None:
        g.request_id = uuid.uuid4().hex

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if "request_id" in g:
            headers["X-Request-ID"] = g.request_id
        if request.endpoint != "static":
            # Pages and downloads hold assessment data: never store them in shared caches.
            headers["Cache-Control"] = "no-store"
        if app.config["SELFASSESS_ENV"] == "production":
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
