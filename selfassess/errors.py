"""Error pages: plain words, a reference to quote, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, make_response, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .access import RecordMissing
from .extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Sorry, there is a problem with that request", "Go back and try again."),
    403: (
        "You do not have access to this page",
        "Your account does not have a role that allows this. Ask your alliance coordinator.",
    ),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("That action is not allowed here", "Go back and use the buttons on the page."),
    409: (
        "Someone else changed this at the same time",
        "Reload the page to see the latest version.",
    ),
    413: ("The file or form is too large", "Send a smaller file or less text at once."),
    429: ("Too many attempts", "Wait a few minutes and try again."),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. If it keeps happening, quote the reference below.",
    ),
}


def init_app(app: Flask) -> None:
    """Register one handler for HTTP errors and one for anything unexpected."""

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> Response:
        return render_error(
            400,
            "Your form could not be sent because the page had expired. "
            "Go back, reload the page and send it again.",
        )

    @app.errorhandler(RecordMissing)
    def _missing(error: RecordMissing) -> Response:
        return render_error(404)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response | HTTPException:
        code = error.code or 500
        if code not in MESSAGES:
            return error
        response = render_error(code)
        allow = error.get_response().headers.get("Allow")
        if allow:
            response.headers["Allow"] = allow
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response | HTTPException:
        if isinstance(error, HTTPException):
            return _http(error)
        log.exception("Unhandled error (request %s)", g.get("request_id"))
        # A failed statement leaves the session unusable; the error page itself reads the user.
        db.session.rollback()
        return render_error(500)


def render_error(code: int, detail: str | None = None) -> Response:
    """Render the error page for ``code`` with the request id as a reference."""
    title, hint = MESSAGES[code]
    body = render_template(
        "errors/error.html",
        code=code,
        title=title,
        hint=detail or hint,
        request_id=g.get("request_id"),
    )
    return make_response(body, code)
