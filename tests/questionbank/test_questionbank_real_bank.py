"""The real question bank in questions/ loads cleanly and satisfies the JSON Schemas."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from selfassess.questionbank import FrameworkDocument, QuestionBankError, load_framework
from selfassess.questionbank.schema import SCHEMA_DIR

REPO = Path(__file__).resolve().parents[2]
REAL = REPO / "questions" / "alliance-maturity-1.0"


@pytest.fixture(scope="module")
def real() -> FrameworkDocument:
    try:
        return load_framework(REAL, display_root=REPO)
    except QuestionBankError as exc:
        pytest.fail(f"the real bank has problems:\n{exc}")


def test_the_real_bank_loads_cleanly(real: FrameworkDocument) -> None:
    assert f"{real.id}-{real.version}" == REAL.name  # questions/<framework-id>-<version>/
    assert [domain.id for domain in real.domains]
    assert all(standard.questions for _, standard in real.standards())


def test_the_real_bank_cites_only_its_own_sources(real: FrameworkDocument) -> None:
    keys = {source.key for source in real.sources}
    cited = {
        (standard.id, standard.source)
        for _, standard in real.standards()
        if standard.source is not None
    }
    uncited = [(sid, text) for sid, text in cited if not any(key in text for key in keys)]
    assert uncited == []


def test_the_real_bank_satisfies_the_json_schemas() -> None:
    import jsonschema

    for path in sorted(REAL.glob("*.yaml")):
        name = "framework.schema.json" if path.name == "framework.yaml" else "domain.schema.json"
        schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_the_command_checks_everything_under_questions_by_default() -> None:
    command = [sys.executable, "-m", "selfassess.questionbank"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("OK alliance-maturity 1.0: ")
