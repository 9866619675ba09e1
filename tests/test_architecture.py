"""The shape of the code: pure cores, an app factory with no side effects, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import selfassess
from tests.conftest import build_app

PACKAGE = Path(selfassess.__file__).resolve().parent
PURE_PACKAGES = ("scoring", "questionbank", "charts")
FORBIDDEN = ("flask", "sqlalchemy", "werkzeug")  # and any flask_* extension
MAX_LINES = 400

PURE_SOURCES = sorted(path for name in PURE_PACKAGES for path in (PACKAGE / name).rglob("*.py"))
ALL_SOURCES = sorted(PACKAGE.rglob("*.py"))
ROUTE_MODULES = sorted(PACKAGE.glob("*/routes.py"))


def _relative(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, source: str | None = None) -> list[str]:
    """Every module ``path`` imports, relative imports resolved, dynamic imports included."""
    tree = ast.parse(path.read_text() if source is None else source, filename=str(path))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # Each imported name may itself be a module (``from .. import extensions``).
            names.extend(f"{base}.{alias.name}" for alias in node.names)
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Name) and node.func.id == "__import__")
                   or (isinstance(node.func, ast.Attribute)
                       and node.func.attr == "import_module"))):
            names.append(node.args[0].value)
    return names


def test_the_pure_packages_were_found():
    found = {path.relative_to(PACKAGE).parts[0] for path in PURE_SOURCES}
    assert found == set(PURE_PACKAGES)
    assert len(PURE_SOURCES) >= 10


@pytest.mark.parametrize("path", PURE_SOURCES, ids=_relative)
def test_pure_packages_import_no_web_framework_or_database(path):
    for name in _imports(path):
        root = name.split(".")[0]
        assert root not in FORBIDDEN and not root.startswith("flask_"), (
            f"{_relative(path)} imports {name}")
        if root == "selfassess":
            # Anything else in selfassess (models, extensions, services) pulls in Flask or
            # SQLAlchemy; the pure cores may only use each other.
            inner = name.split(".")[1] if "." in name else ""
            assert inner in PURE_PACKAGES, f"{_relative(path)} imports {name}"


def test_import_scan_sees_relative_and_dynamic_imports():
    """The scanner itself: a hidden Flask or database import must not slip past it."""
    source = (
        "from .. import extensions\n"
        "from . import rules\n"
        "from .specs import FrameworkSpec\n"
        "import importlib\n"
        "importlib.import_module('flask_login')\n"
        "__import__('sqlalchemy.orm')\n"
    )
    names = _imports(PACKAGE / "scoring" / "probe.py", source)  # never written to disk
    assert names == ["selfassess.extensions", "selfassess.scoring.rules",
                     "selfassess.scoring.specs.FrameworkSpec", "importlib", "flask_login",
                     "sqlalchemy.orm"]


def test_create_app_does_not_touch_the_database(tmp_path):
    database = tmp_path / "never-created.sqlite3"
    application = build_app(f"sqlite:///{database}")
    assert application.url_map is not None
    assert not database.exists(), "create_app opened the database"
    assert list(tmp_path.iterdir()) == [], "create_app wrote next to the database"


def test_create_app_works_with_an_unreachable_database_server():
    # Port 9 (discard) on localhost: nothing listens, so any connection attempt would fail.
    application = build_app("postgresql+psycopg://nobody@127.0.0.1:9/nothing")
    assert "main.home" in application.view_functions


@pytest.mark.parametrize("path", ALL_SOURCES, ids=_relative)
def test_modules_stay_under_the_size_limit(path):
    lines = len(path.read_text().splitlines())
    assert lines < MAX_LINES, f"{_relative(path)} has {lines} lines; split it (limit {MAX_LINES})"


def test_every_blueprint_routes_module_is_checked():
    assert ROUTE_MODULES, "no selfassess/*/routes.py found"
    assert set(ROUTE_MODULES) <= set(ALL_SOURCES)
    for path in ROUTE_MODULES:
        assert len(path.read_text().splitlines()) < MAX_LINES, _relative(path)
