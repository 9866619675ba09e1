"""The tests' shared engines (tests/speedups.py): a second app disposing "its" engine, which is
the shared one, orphans no connection the test's own session still holds."""

from __future__ import annotations

import gc
import sys
from typing import Any

from sqlalchemy import select

from selfassess.extensions import db
from tests.conftest import build_app


def test_a_second_app_disposing_the_engine_leaves_no_connection_to_the_collector(app) -> None:
    db.session.execute(select(1))  # the test's session now holds a connection
    second = build_app(app.config["SQLALCHEMY_DATABASE_URI"])
    with second.app_context():
        assert db.engine is not None
        db.engine.dispose()
    db.session.remove()  # the connection goes back to its pool
    caught: list[Any] = []
    previous, sys.unraisablehook = sys.unraisablehook, caught.append
    try:
        gc.collect()
    finally:
        sys.unraisablehook = previous
    warnings = [u.exc_value for u in caught if isinstance(u.exc_value, ResourceWarning)]
    assert warnings == []
