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
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
        ):
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
            f"{_relative(path)} imports {name}"
        )
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
    assert names == [
        "selfassess.extensions",
        "selfassess.scoring.rules",
        "selfassess.scoring.specs.FrameworkSpec",
        "importlib",
        "flask_login",
        "sqlalchemy.orm",
    ]


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


# -- What an assessment is has one home (selfassess/assessments/) ----------------------------

CORE = PACKAGE / "assessments"
#: Where assessment rows may be locked and their state set: the core, and the demo loader,
#: which builds made-up assessments in whatever state it needs (bench/ is outside the package).
ASSESSMENT_WRITERS = (CORE, PACKAGE / "demo")
FEATURE_PACKAGES = (
    "alliance_profile",
    "api",
    "questionnaire",
    "workbook",
    "coordinator",
    "imports",
    "dashboards",
    "buddying",
    "reports",
    "admin",
    "auth",
    "main",
    "frameworks",
    "invitations",
    "exports",
    "notifications",
    "respondents",
)
#: All the core may use: models and scoring below it, and the app-wide extensions and audit.
CORE_MAY_IMPORT = (
    "assessments",
    "models",
    "extensions",
    "audit",
    "events",
    "scoring",
    "questionbank",
    "control_characters",
)
ASSESSMENT_STATES = {"not_started", "in_progress", "submitted", "returned", "validated"}

CORE_SOURCES = sorted(CORE.rglob("*.py"))
FEATURE_SOURCES = sorted(
    path
    for path in ALL_SOURCES
    if not any(path.is_relative_to(home) for home in ASSESSMENT_WRITERS)
)


def _names(node: ast.AST) -> set[str]:
    """Every name and attribute (``Assessment``, ``AssessmentState.IN_PROGRESS``) under ``node``."""
    found: set[str] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            found.add(inner.id)
        elif isinstance(inner, ast.Attribute):
            found.add(inner.attr)
    return found


def _mentions_assessment(node: ast.AST, queries: set[str]) -> bool:
    return any(
        name == "Assessment" or "assessment" in name.lower() or name in queries
        for name in _names(node)
    )


def _sets_assessment_state(value: ast.AST) -> bool:
    return "AssessmentState" in _names(value) or any(
        isinstance(inner, ast.Constant) and inner.value in ASSESSMENT_STATES
        for inner in ast.walk(value)
    )


def _assessment_writes(path: Path, source: str | None = None) -> list[str]:
    """Each place ``path`` creates or locks an assessment row or sets an assessment's state,
    as ``line: what``; only ``selfassess/assessments/`` may do any of them."""
    tree = ast.parse(path.read_text() if source is None else source, filename=str(path))
    # Names bound to an assessment or a query over them (``locked``, ``query``), so a lock
    # built in two steps is still seen.
    queries = {"locked"} | {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and "Assessment" in _names(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name | ast.Attribute) and (
                getattr(node.func, "id", None) == "Assessment"
                or getattr(node.func, "attr", None) == "Assessment"
            ):
                found.append(f"{node.lineno}: creates an assessment")
            locks = (
                isinstance(node.func, ast.Attribute) and node.func.attr == "with_for_update"
            ) or any(k.arg == "with_for_update" for k in node.keywords)
            if locks and _mentions_assessment(node, queries):
                found.append(f"{node.lineno}: locks an assessment row")
            if (
                isinstance(node.func, ast.Attribute)
                and node.func.attr == "values"
                and "Assessment" in _names(node.func.value)
                and any(k.arg == "state" for k in node.keywords)
            ):
                found.append(f"{node.lineno}: updates assessment.state")
            if (
                isinstance(node.func, ast.Name)
                and node.func.id == "setattr"
                and node.args[1:]
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == "state"
                and _mentions_assessment(node.args[0], queries)
            ):
                found.append(f"{node.lineno}: sets an assessment's state")
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and node.value:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for inner in ast.walk(target):
                    if (
                        isinstance(inner, ast.Attribute)
                        and inner.attr == "state"
                        and (
                            _mentions_assessment(inner.value, queries)
                            or _sets_assessment_state(node.value)
                        )
                    ):
                        found.append(f"{node.lineno}: sets an assessment's state")
    return found


def test_the_assessment_core_and_its_callers_were_found():
    assert {path.name for path in CORE_SOURCES} >= {
        "answers.py",
        "locking.py",
        "scores.py",
        "snapshots.py",
        "transitions.py",
    }
    for name in FEATURE_PACKAGES:
        assert (PACKAGE / name / "__init__.py").exists(), name
    assert PACKAGE / "questionnaire" / "sections.py" in FEATURE_SOURCES
    assert not set(CORE_SOURCES) & set(FEATURE_SOURCES)


@pytest.mark.parametrize("path", FEATURE_SOURCES, ids=_relative)
def test_only_the_assessment_core_creates_locks_or_changes_assessments(path):
    assert _assessment_writes(path) == [], (
        f"{_relative(path)} creates, locks or changes an assessment itself; call "
        "selfassess.assessments (lock_assessment, the transitions) instead"
    )


def test_the_core_has_the_one_lock_and_sets_the_state():
    writes = {_relative(path): _assessment_writes(path) for path in CORE_SOURCES}
    assert [w for w in writes["selfassess/assessments/locking.py"] if "locks" in w]
    assert [w for w in writes["selfassess/assessments/transitions.py"] if "state" in w]
    assert not any(
        "locks" in w
        for path, found in writes.items()
        for w in found
        if path != "selfassess/assessments/locking.py"
    )


@pytest.mark.parametrize(
    "copy",
    [
        # The copies that lived in questionnaire/, spreadsheets/ and workflow.py before the core.
        "locked = db.session.execute(\n    select(Assessment).where(Assessment.id == a.id)\n"
        "    .with_for_update().execution_options(populate_existing=True)\n).scalar_one()\n",
        "db.session.execute(select(Assessment).where(Assessment.id == 1).with_for_update())\n",
        "query = select(Assessment).filter_by(id=1)\n"
        "row = db.session.execute(query.with_for_update())",
        "db.session.refresh(assessment, with_for_update=True)\n",
        "db.session.get(Assessment, 1, with_for_update=True)\n",
        "if locked.state == AssessmentState.NOT_STARTED:\n"
        "    locked.state = AssessmentState.IN_PROGRESS\n",
        "row.state = 'submitted'\n",
        "self.assessment.state = next_state\n",
        "db.session.execute(update(Assessment).where(Assessment.id == 1)"
        ".values(state='returned'))\n",
        "setattr(assessment, 'state', AssessmentState.VALIDATED)\n",
        "db.session.add(Assessment(cycle=cycle, membership_id=1, state='not_started'))\n",
        "db.session.add(models.Assessment(cycle=cycle, membership_id=1))\n",
    ],
)
def test_the_write_scan_sees_a_copy_of_the_lock_or_a_state_change(copy):
    """The scanner itself: a copy of the lock or of a transition must not slip past it."""
    assert _assessment_writes(PACKAGE / "questionnaire" / "probe.py", copy)


@pytest.mark.parametrize(
    "other",
    [
        "db.session.execute(select(Alliance.id).where(Alliance.id == 1).with_for_update())\n",
        "db.session.refresh(pair, with_for_update=True)\n",
        "cycle.state = CycleState.CLOSED\n",
        "select(Assessment).where(Assessment.state == AssessmentState.SUBMITTED)\n",
    ],
)
def test_the_write_scan_leaves_other_rows_alone(other):
    assert _assessment_writes(PACKAGE / "coordinator" / "probe.py", other) == []


@pytest.mark.parametrize("path", CORE_SOURCES, ids=_relative)
def test_the_assessment_core_imports_no_feature(path):
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] != "selfassess" or len(parts) < 2:
            continue
        assert parts[1] not in FEATURE_PACKAGES, f"{_relative(path)} imports {name}"
        assert parts[1] in CORE_MAY_IMPORT, f"{_relative(path)} imports {name}"


# Access failures are exceptions (issue #14, point 4) ----------------------------------------

#: Modules that may answer a request with an HTTP error directly: the views, the guards, and the
#: request hooks that refuse malformed requests before any view runs.
MAY_ABORT = {PACKAGE / "access.py", PACKAGE / "security.py", PACKAGE / "errors.py", *ROUTE_MODULES}


def _calls_abort(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "abort")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "abort")
        )
    ]


@pytest.mark.parametrize("path", [p for p in ALL_SOURCES if p not in MAY_ABORT], ids=_relative)
def test_services_raise_instead_of_aborting(path):
    """A service that cannot find a record raises ``access.RecordMissing`` (a 404 page); only
    views, guards and request hooks speak HTTP."""
    assert _calls_abort(path) == [], f"{_relative(path)} calls abort at {_calls_abort(path)}"


def test_the_guards_import_no_feature():
    """``access.py`` is below every feature: the sign-in page is auth's answer to
    ``SignInRequired``, not something the guards render."""
    features = (
        "alliance_profile",
        "auth",
        "admin",
        "questionnaire",
        "coordinator",
        "buddying",
        "dashboards",
        "reports",
        "workbook",
        "imports",
        "invitations",
        "main",
        "frameworks",
        "exports",
        "notifications",
    )
    bad = [
        name
        for name in _imports(PACKAGE / "access.py")
        if name.split(".")[1:2] and name.split(".")[1] in features
    ]
    assert bad == []


# -- Which way imports go (docs/architecture.md) ---------------------------------------------

#: Wiring: modules that put the app together, allowed to import anything.
WIRING = ("__init__", "blueprints", "cli", "demo")
#: Features: one package per concept, each with its routes, forms and services.
FEATURES = (
    "admin",
    "api",
    "alliance_profile",
    "auth",
    "buddying",
    "coordinator",
    "dashboards",
    "evidence",
    "exports",
    "frameworks",
    "imports",
    "invitations",
    "main",
    "moderation",
    "notifications",
    "plans",
    "questionnaire",
    "reports",
    "respondents",
    "standards",
    "summaries",
    "workbook",
)
#: Below the features: the pure cores, and the app-wide platform modules.
PURE = PURE_PACKAGES
#: The imports from one feature into another that remain, each for a reason; anything new
#: belongs in a lower layer or needs a line here.
CROSS_FEATURE = {
    ("admin", "auth"): "an admin's sign-in and two-step pages reuse auth's forms and checks",
    ("admin", "imports"): "the admin page lists the members import's waiting requests",
    ("admin", "invitations"): "admins invite users and answer membership requests",
    ("imports", "invitations"): "an imported user becomes an invitation, never a grant",
    ("invitations", "auth"): "accepting an offer with a new password signs the user in",
    ("coordinator", "exports"): "the cycle page offers the CSV and XLSX exports",
    ("coordinator", "questionnaire"): "review shows the questionnaire's completeness check",
    ("moderation", "questionnaire"): "the panel reads the answers as the review page lists them",
    ("coordinator", "alliance_profile"): "the cycle page shows how many facts are answered",
    ("alliance_profile", "questionnaire"): "facts are asked with the section form's question-type "
    "registry, so validation and messages match",
    ("workbook", "questionnaire"): "uploaded cells go through the section form's own rules",
    ("workbook", "exports"): "workbook cells are written and read with the exports' safe cells",
    ("exports", "coordinator"): "the members table is the cycle page's own list",
    ("exports", "dashboards"): "exports and dashboards share one peer-group computation",
    ("reports", "dashboards"): "a report prints a dashboard's figures",
    ("reports", "buddying"): "a member's report lists its buddying pairs",
    ("notifications", "questionnaire"): "deadline reminders go to the owners of the sections "
    "the task list counts as unfinished",
    ("api", "dashboards"): "the API serves the dashboards' figures through their visibility gate, "
    "never a copy of it",
    ("api", "exports"): "the scores resource is the scores export's own rows, so both agree",
    ("api", "auth"): "API tokens are counted in sign-in's shared limiter storage",
    ("respondents", "questionnaire"): "a respondent's own section is the section form, page and "
    "question-type registry, so every kind is asked, validated and shown the same way",
}


def _layer_of(name: str) -> str:
    top = name.split(".")[1] if name.count(".") else ""
    if top in WIRING:
        return "wiring"
    if top in FEATURES:
        return "feature"
    if top == "assessments":
        return "core"
    if top in PURE:
        return "pure"
    return "platform"


def _top_level_imports() -> dict[tuple[str, str], list[str]]:
    """(importing package, imported package) -> the modules that make the import."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in ALL_SOURCES:
        source = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] != "selfassess" or len(parts) < 2 or parts[1] == source:
                continue
            found.setdefault((source, parts[1]), []).append(_relative(path))
    return found


def test_imports_point_down_the_layers():
    """Features use the core, the platform and the pure packages; the core uses only the
    platform and pure packages; the platform uses neither features nor the core."""
    rank = {"pure": 0, "platform": 1, "core": 2, "feature": 3, "wiring": 4}
    upward = []
    for (source, target), where in _top_level_imports().items():
        here, there = _layer_of(f"selfassess.{source}"), _layer_of(f"selfassess.{target}")
        if (
            (here == "pure" and there != "pure")
            or (
                here in ("platform", "core")
                and rank[there] >= rank[here]
                and (here == "core" or there != "platform")
            )
            or (here == "feature" and there == "wiring")
        ):
            upward.append(f"{source} -> {target} ({where[0]})")
    assert upward == []


def test_cross_feature_imports_are_the_short_allow_list():
    used = {
        pair: where
        for pair, where in _top_level_imports().items()
        if _layer_of(f"selfassess.{pair[0]}") == "feature"
        and _layer_of(f"selfassess.{pair[1]}") == "feature"
    }
    unexpected = {pair: where for pair, where in used.items() if pair not in CROSS_FEATURE}
    assert unexpected == {}, "a new import between features: move the shared code down a layer"
    stale = set(CROSS_FEATURE) - set(used)
    assert stale == set(), "an allowed cross-feature import is gone: take it off the list"


def test_the_layer_check_catches_an_upward_import(monkeypatch):
    """The check itself: a platform module importing a feature must be reported."""
    real = _top_level_imports()
    monkeypatch.setitem(
        globals(),
        "_top_level_imports",
        lambda: {**real, ("access", "dashboards"): ["selfassess/access.py"]},
    )
    with pytest.raises(AssertionError):
        test_imports_point_down_the_layers()
