"""The services re-check what their forms offer: a value that reaches one without going through
the form (another caller, a form changed later) is refused there too."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from selfassess.coordinator import services as coordinator
from selfassess.extensions import db
from tests.cross_tenant.conftest import FRAMEWORK, World, state


def _close_open_cycle(w: World) -> None:
    w.a.now.state = "closed"
    db.session.commit()


@pytest.mark.parametrize(
    "framework",
    [
        f"../questions/{FRAMEWORK}",  # back into the bank by a detour
        "{elsewhere}",  # a valid framework folder outside the bank, by absolute path
        "schema",  # a folder of the bank that is not a framework
        "",
    ],
)
def test_open_cycle_takes_only_a_framework_the_page_offers(tw, tmp_path, framework):
    _close_open_cycle(tw)
    questions = Path(tw.app.config["QUESTIONS_DIR"])
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(questions / FRAMEWORK, elsewhere)
    before = state()
    with pytest.raises(coordinator.CycleRefused, match="from the list"):
        coordinator.open_cycle(
            tw.a.alliance,
            "Alpha 2027/28",
            questions,
            framework.format(elsewhere=elsewhere),
            date.today() + timedelta(days=90),
            tw.user("coord_a"),
        )
    db.session.rollback()
    assert state() == before


def test_open_cycle_with_an_offered_framework_opens_it(tw):
    _close_open_cycle(tw)
    questions = Path(tw.app.config["QUESTIONS_DIR"])
    cycle = coordinator.open_cycle(
        tw.a.alliance,
        "Alpha 2027/28",
        questions,
        FRAMEWORK,
        date.today() + timedelta(days=90),
        tw.user("coord_a"),
    )
    assert cycle.alliance_id == tw.a.alliance.id
    assert cycle.snapshot_id == tw.a.now.snapshot_id  # the same framework, imported once
