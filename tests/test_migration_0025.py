"""Migration 0025 stores each assessment's count of standards met, filled from its stored
standard scores as the scoring writes it, and comes back down."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from selfassess.extensions import db
from selfassess.models import Assessment
from tests.conftest import BACKENDS, build_app
from tests.dashboards.conftest import build_scored
from tests.test_migration_0006 import _drop, _url


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_count_is_filled_from_the_stored_scores(backend, tmp_path):
    url, schema = _url(backend, tmp_path)
    try:
        app = build_app(url)
        with app.app_context():
            upgrade()
            build_scored(4, scored=3)
            expected = dict(
                db.session.execute(select(Assessment.id, Assessment.standards_met)).all()
            )
            assert sorted(v is None for v in expected.values()) == [False] * 6 + [True] * 2
            assert len(set(expected.values())) > 2  # the members meet different numbers
            db.session.remove()
            downgrade(revision="0024")
            upgrade()
            found = dict(db.session.execute(select(Assessment.id, Assessment.standards_met)).all())
            assert found == expected
            db.session.remove()  # no open transaction may hold the table being altered
            downgrade(revision="0024")
            columns = db.session.execute(text("SELECT * FROM assessment")).keys()
            assert "standards_met" not in columns
            db.session.remove()
    finally:
        _drop(schema)
