"""Compiled templates kept on disk (issue #21 goal 4): a freshly started worker loads what an
earlier one, or ``flask templates compile``, compiled, instead of compiling on a person's first
request."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from jinja2 import Environment

from selfassess import create_app


def _fresh(app: Flask, folder: Path) -> Flask:
    """Another worker: a new app on the same database and the same cache folder."""
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TEMPLATE_CACHE_DIR": str(folder),
        }
    )


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates compiled from source from now on."""
    seen: list[str] = []
    original = Environment.compile

    def counting(self: Environment, source: Any, name: str | None = None, *args: Any) -> Any:
        seen.append(str(name))
        return original(self, source, name, *args)

    monkeypatch.setattr(Environment, "compile", counting)
    return seen


def test_a_second_worker_compiles_nothing_the_first_compiled(app, tmp_path, compiles):
    folder = tmp_path / "template-cache"
    first = _fresh(app, folder)
    assert first.test_client().get("/auth/sign-in").status_code == 200
    assert "auth/sign_in.html" in compiles and "nhsuk/template.jinja" in compiles
    assert any(folder.iterdir())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # loaded as code: the app's alone
    compiles.clear()
    second = _fresh(app, folder)
    assert second.test_client().get("/auth/sign-in").status_code == 200
    assert compiles == []


def test_flask_templates_compile_fills_the_cache_for_every_page(app, tmp_path, compiles):
    folder = tmp_path / "template-cache"
    cli_app = _fresh(app, folder)
    with cli_app.app_context():  # the command runs in this app, not the test's own
        result = cli_app.test_cli_runner().invoke(args=["templates", "compile"])
    assert result.exit_code == 0, result.output
    count = int(result.output.split()[1])
    assert count > 90 and f"into {folder}" in result.output
    assert "questionnaire/section.html" in compiles  # ours, and the design system's macros
    assert "nhsuk/components/radios/template.jinja" in compiles
    compiles.clear()
    fresh = _fresh(app, folder)
    with fresh.app_context():
        for name in ("dashboards/alliance.html", "questionnaire/section.html"):
            fresh.jinja_env.get_template(name)
    assert compiles == []


def test_an_empty_setting_keeps_no_cache_and_says_so(app, tmp_path):
    off = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "TEMPLATE_CACHE_DIR": ""}
    )
    assert off.jinja_env.bytecode_cache is None
    with off.app_context():
        result = off.test_cli_runner().invoke(args=["templates", "compile"])
    assert result.exit_code != 0 and "TEMPLATE_CACHE_DIR is empty" in result.output
