"""The committed JSON Schemas match the models, and the bank's files satisfy them."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from selfassess.questionbank.schema import SCHEMA_DIR, render_schemas, write_schemas


def test_committed_schemas_equal_what_the_models_generate() -> None:
    for name, text in render_schemas().items():
        committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} is stale: run python -m selfassess.questionbank.schema"


def test_write_schemas_writes_both_files(tmp_path: Path) -> None:
    written = write_schemas(tmp_path)
    assert sorted(path.name for path in written) == ["domain.schema.json", "framework.schema.json"]
    assert {path.name: path.read_text() for path in written} == render_schemas()


def test_the_minimal_bank_satisfies_the_schemas(bank: Path) -> None:
    validate_folder(bank)


def test_the_schema_rejects_an_unknown_field(bank: Path) -> None:
    data = yaml.safe_load((bank / "governance.yaml").read_text())
    data["standards"][0]["questions"][0]["guidence"] = "typo"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema("domain.schema.json"))


def schema(name: str) -> dict[str, object]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def validate_folder(folder: Path) -> None:
    """Validate every YAML file in a framework folder against its JSON Schema."""
    for path in sorted(folder.glob("*.yaml")):
        name = "framework.schema.json" if path.name == "framework.yaml" else "domain.schema.json"
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema(name))
