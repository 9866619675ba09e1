"""The scoring core stays pure: no web framework, no database, no clock, no environment."""

import ast
import importlib
import pkgutil
import types
from pathlib import Path

import pytest

import selfassess.scoring

PACKAGE_DIR = Path(selfassess.scoring.__file__).parent
FORBIDDEN_ROOTS = {
    "flask",
    "flask_sqlalchemy",
    "flask_login",
    "flask_wtf",
    "flask_migrate",
    "sqlalchemy",
    "werkzeug",
    "datetime",
    "time",
    "os",
    "random",
}
ALLOWED_SELFASSESS = ("selfassess.scoring", "selfassess.questionbank.kinds")
SOURCES = sorted(PACKAGE_DIR.glob("*.py"))
MODULES = ["selfassess.scoring"] + [
    f"selfassess.scoring.{info.name}" for info in pkgutil.iter_modules([str(PACKAGE_DIR)])
]


def _imported_names(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: use absolute imports"
            names.append(node.module or "")
    return names


def test_package_has_the_expected_modules():
    assert {p.stem for p in SOURCES} >= {
        "__init__",
        "specs",
        "rules",
        "scores",
        "status",
        "peers",
        "buddies",
        "rounding",
    }


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_source_imports_nothing_impure(path):
    for name in _imported_names(path):
        root = name.split(".")[0]
        assert root not in FORBIDDEN_ROOTS, f"{path.name} imports {name}"
        if root == "selfassess":
            assert name.startswith(ALLOWED_SELFASSESS), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_modules_stay_small(path):
    assert len(path.read_text().splitlines()) <= 300


@pytest.mark.parametrize("module_name", MODULES)
def test_imported_module_holds_no_impure_module(module_name):
    module = importlib.import_module(module_name)
    for name, value in vars(module).items():
        held = value if isinstance(value, types.ModuleType) else None
        origin = held.__name__ if held else getattr(value, "__module__", None) or ""
        assert origin.split(".")[0] not in FORBIDDEN_ROOTS, f"{module_name}.{name} is {origin}"


def test_public_api_is_exported():
    for name in selfassess.scoring.__all__:
        assert hasattr(selfassess.scoring, name), name
