"""Work left until the response has been sent, so how long it takes never shows in the answer.

A page that must answer alike whatever it is given (the forgotten-password page, issue #13)
cannot do different work before answering: the time taken would tell known emails from unknown
ones. ``defer`` runs a job when the server closes the response (WSGI ``close()``), in a copy
of the request's context, so it can use the database, ``url_for`` and audit as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, copy_current_request_context, g
from werkzeug.wrappers import Response

_JOBS = "after_response_jobs"


def init_app(app: Flask) -> None:
    """Hand each request's deferred jobs to its response."""

    @app.after_request
    def _attach(response: Response) -> Response:
        for job in g.pop(_JOBS, []):
            response.call_on_close(job)
        return response


def defer(job: Callable[..., None], *args: Any) -> None:
    """Run ``job(*args)`` after the response is sent, in a copy of this request's context."""
    request_id = g.get("request_id")

    @copy_current_request_context
    def run() -> None:
        g.request_id = request_id  # the copy has a fresh ``g``; audit events keep the id
        job(*args)

    g.setdefault(_JOBS, []).append(run)
