"""selfassess: maturity self-assessment, benchmarking and buddying for NHS provider alliances."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from .config import build_config
from .extensions import csrf, db, login_manager, migrate


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, errors and CLI. Nothing else."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(build_config(Path(app.instance_path)))
    if config:
        app.config.update(config)

    from . import (
        after_response,
        database,
        demonstration,
        errors,
        frontend,
        jobs,
        security,
        sessions,
    )
    from .auth import throttle
    from .blueprints import register_blueprints
    from .cli import register_cli

    # First, so the request id exists before any other hook (CSRF checks included) can fail.
    security.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        database.configure_sqlite(db.engine)
    sessions.init_app(app)
    after_response.init_app(app)
    jobs.init_app(app)
    throttle.init_app(app)
    errors.init_app(app)
    frontend.init_app(app)
    demonstration.init_app(app)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
    register_blueprints(app)
    register_cli(app)
    return app
