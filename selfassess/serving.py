"""The app as a served worker runs it: built by the factory, then readied before any request.

``wsgi.py`` (gunicorn) and the bench's served app (``bench.floor``) both start from here, so
what the bench measures is what is deployed.
"""

from __future__ import annotations

from flask import Flask

from . import create_app
from .charts.alliance import build_skeletons


def served_app() -> Flask:
    """Build the app and what each worker would otherwise build on its first visitor's page:
    the coordinator dashboard's chart skeletons (README, Speed: goal 4)."""
    app = create_app()
    build_skeletons()
    return app
