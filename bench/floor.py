"""The save benchmark's floor: a route doing one durable ORM insert and nothing else.

Issue #21 goal 3 compares a section save with the cheapest request that does what every save
must: pass the same middleware (the signed-in session, the CSRF check, the security headers),
insert one row through the ORM and commit it durably, and answer with a redirect. Its requests
per second in the same run, on the same server, are the floor a save is measured against.

The route lives here, not in ``selfassess``: only ``register`` adds it, and only the bench calls
that (gunicorn runs ``bench.floor:make_app()``; ``Bench`` registers it in process). ``wsgi:app``
never has it, and ``register`` refuses a production configuration.
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect
from werkzeug.wrappers import Response

from selfassess import audit
from selfassess.access import signed_in
from selfassess.extensions import db
from selfassess.serving import served_app

PATH = "/bench/floor"
bp = Blueprint("bench_floor", __name__)


@bp.route(PATH, methods=["POST"])
@signed_in
def floor() -> Response:
    audit.record("bench.floor", "bench", None)
    db.session.commit()
    return redirect("/")


def register(app: Flask) -> Flask:
    """Add the floor route to ``app`` (a bench's own app, never a production one)."""
    if app.config.get("SELFASSESS_ENV") == "production":
        raise RuntimeError("the bench's floor route is never added to a production app")
    app.register_blueprint(bp)
    return app


def make_app() -> Flask:
    """The app as ``wsgi:app`` builds it, plus the floor route: what the bench's gunicorn runs."""
    return register(served_app())
