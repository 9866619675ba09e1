"""Generate the JSON Schemas in questions/schema/ from the models, so editors can check the files.

The committed files are generated, never edited: run `python -m selfassess.questionbank.schema`
after changing documents.py; a test fails when they differ from what the models generate.
"""

import json
from pathlib import Path

from pydantic import BaseModel

from selfassess.questionbank.documents import DomainDocument, FrameworkFileDocument

#: The repository's questions/schema/ folder.
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "questions" / "schema"
SCHEMAS: dict[str, type[BaseModel]] = {
    "framework.schema.json": FrameworkFileDocument,
    "domain.schema.json": DomainDocument,
}
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def render_schemas() -> dict[str, str]:
    """Return each schema file's name and text as the models define it."""
    return {
        name: json.dumps({"$schema": _DIALECT, **model.model_json_schema()}, indent=2) + "\n"
        for name, model in SCHEMAS.items()
    }


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Write the schema files into `folder` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_schemas():
        print(f"wrote {path}")
