"""RFC 9457 problem details: the one shape of every API error.

Services and hooks raise ``Problem``; the blueprint's error handlers turn it, and any HTTP
error or guard refusal inside ``/api/v1``, into ``application/problem+json``.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from flask import Response, g, request
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM_TYPE = "application/problem+json"

#: What each status means for an API caller, said once for the document and the answers.
DETAILS = {
    400: "The request's parameters are not valid; see 'errors'.",
    401: "Send a valid personal API token: 'Authorization: Bearer <token>'. Tokens that are "
    "unknown, expired or revoked are refused alike.",
    403: "The token's owner holds no role that allows this, or the token is narrowed to "
    "another alliance.",
    404: "There is no such resource, or it belongs to an alliance or trust the token does "
    "not reach.",
    405: "The API is read-only: only GET (and HEAD) are allowed.",
    406: "This resource is available as application/json or text/csv.",
    429: "Too many requests: wait for the number of seconds in 'Retry-After'.",
    500: "Something went wrong on our side; quote the request id.",
}


class Problem(Exception):
    """An error to answer as problem details."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        errors: list[dict[str, object]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or DETAILS.get(status, ""))
        self.status = status
        self.detail = detail or DETAILS.get(status, HTTP_STATUS_CODES.get(status, "Error"))
        self.errors = errors
        self.headers = headers or {}


def html_safe(text: str) -> str:
    """JSON text with ``<``, ``>``, ``&`` and ``'`` escaped (as Flask's ``tojson`` does): a path
    or a name echoed in an answer can never become markup or end an attribute, whatever a
    client does with it."""
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )


def problem_response(problem: Problem) -> Response:
    """The problem as an HTTP response."""
    body: dict[str, object] = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(problem.status, "Error"),
        "status": problem.status,
        "detail": problem.detail,
        # A URI reference, so percent-encoded: nothing typed into the URL comes back as typed.
        "instance": quote(request.path, safe="/"),
        "request_id": g.get("request_id"),
    }
    if problem.errors is not None:
        body["errors"] = problem.errors
    response = Response(html_safe(json.dumps(body)), status=problem.status, mimetype=PROBLEM_TYPE)
    for name, value in problem.headers.items():
        response.headers[name] = value
    if problem.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="selfassess"'
    return response
