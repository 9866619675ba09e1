"""The writer: a FrameworkDocument back to the repository's YAML files, read back unchanged."""

from pathlib import Path

import pytest
import yaml

from selfassess.questionbank import FrameworkDocument, discover_frameworks, load_framework
from selfassess.questionbank.writer import default_stems, write_framework
from selfassess.questionbank.yamltext import dump_yaml

REPO = Path(__file__).resolve().parents[2]
QUESTIONS = REPO / "questions"
SHIPPED = discover_frameworks(QUESTIONS)


def stems_of(folder: Path) -> list[str]:
    return list(yaml.safe_load((folder / "framework.yaml").read_text())["domains"])


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_every_shipped_framework_is_found() -> None:
    assert [folder.name for folder in SHIPPED] == ["alliance-maturity-1.0", "alliance-maturity-2.0"]


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda folder: folder.name)
def test_a_shipped_framework_written_and_loaded_again_is_the_same(
    folder: Path, tmp_path: Path
) -> None:
    original = load_framework(folder)
    files = write_framework(original, stems_of(folder))
    assert list(files) == ["framework.yaml", *(f"{stem}.yaml" for stem in stems_of(folder))]
    # beside a copy of the real folders, so `continues:` finds the version it names
    for other in SHIPPED:
        if other != folder:
            write_folder(tmp_path / other.name, {p.name: p.read_text() for p in other.glob("*")})
    again = load_framework(write_folder(tmp_path / folder.name, files), documents_dir=None)
    assert again == original
    assert write_framework(original, stems_of(folder)) == files  # deterministic
    assert write_framework(again, stems_of(folder)) == files  # and a fixed point


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda folder: folder.name)
def test_written_files_read_like_the_shipped_ones(folder: Path) -> None:
    framework = load_framework(folder)
    files = write_framework(framework, stems_of(folder))
    for name, text in files.items():
        assert "!!" not in text, name  # no tags
        shipped = yaml.safe_load((folder / name).read_text())
        written = yaml.safe_load(text)
        assert list(written) == list(shipped), name  # the same top-level fields in the same order
    # every optional field a shipped file wrote is written, and none it left out
    for name in files:
        assert _field_sets(yaml.safe_load(files[name])) == _field_sets(
            yaml.safe_load((folder / name).read_text())
        ), name


def _field_sets(data: object) -> list[tuple[str, ...]]:
    """Every mapping's keys, sorted, in document order: which fields were written where."""
    found: list[tuple[str, ...]] = []
    if isinstance(data, dict):
        if all(isinstance(key, str) for key in data):
            found.append(tuple(sorted(data)))
        for value in data.values():
            found += _field_sets(value)
    elif isinstance(data, list):
        for item in data:
            found += _field_sets(item)
    return found


SMALL = {
    "id": "ortho",
    "version": "0.1",
    "title": "Orthopaedic clinical standards",
    "description": "A small framework made in code, not read from a file.",
    "scale": [
        {"level": n, "label": f"Level {n}", "descriptor": f"What level {n} looks like."}
        for n in range(1, 6)
    ],
    "sources": [{"key": "BOA", "title": "British Orthopaedic Association standards"}],
    "domains": [
        {
            "id": "ORTH",
            "name": "Orthopaedics",
            "description": "Hip fracture care.",
            "standards": [
                {
                    "id": "ORTH-1",
                    "statement": "Hip fracture patients reach theatre within 36 hours.",
                    "core": True,
                    "target": 4,
                    "guidance": "Line one of the guidance.\nLine two, kept on its own line.",
                    "source": "BOA 1.2",
                    "questions": [
                        {
                            "id": "ORTH-1.1",
                            "type": "metric",
                            "text": "What percentage reach theatre within 36 hours?",
                            "guidance": "National Hip Fracture Database.",
                            "unit": "%",
                            "better": "higher",
                            "target": 90,
                            "thresholds": {2: 50, 3: 70, 4: 80.5, 5: 90},
                            "min": 0,
                            "max": 100,
                        },
                        {
                            "id": "ORTH-1.2",
                            "type": "yes_no",
                            "text": "Is there a hip fracture lead?",
                            "guidance": "Name and job plan.",
                        },
                    ],
                }
            ],
        }
    ],
}

SMALL_DOMAIN = """\
id: ORTH
name: Orthopaedics
description: Hip fracture care.
weight: 1
standards:
  - id: ORTH-1
    statement: Hip fracture patients reach theatre within 36 hours.
    core: true
    target: 4
    weight: 1
    guidance: |-
      Line one of the guidance.
      Line two, kept on its own line.
    source: BOA 1.2
    questions:
      - id: ORTH-1.1
        type: metric
        text: What percentage reach theatre within 36 hours?
        guidance: National Hip Fracture Database.
        unit: "%"
        better: higher
        target: 90
        thresholds:
          2: 50
          3: 70
          4: 80.5
          5: 90
        min: 0
        max: 100
      - id: ORTH-1.2
        type: yes_no
        text: Is there a hip fracture lead?
        guidance: Name and job plan.
"""


def test_a_framework_made_in_code_is_written_in_the_files_layout(tmp_path: Path) -> None:
    framework = FrameworkDocument.model_validate(SMALL)
    files = write_framework(framework)
    assert list(files) == ["framework.yaml", "orth.yaml"]  # stems default to the ids, lower case
    assert files["orth.yaml"] == SMALL_DOMAIN
    head = files["framework.yaml"]
    assert head.startswith('id: ortho\nversion: "0.1"\ntitle: Orthopaedic clinical standards\n')
    assert "scoring" not in head and "continues" not in head and "document" not in head
    assert "domains:\n  - orth\n" in head
    assert load_framework(write_folder(tmp_path / "ortho-0.1", files)) == framework


def test_a_blank_line_separates_standards_and_nothing_else(tmp_path: Path) -> None:
    data = {**SMALL, "domains": [dict(SMALL["domains"][0])]}  # type: ignore[index]
    first = data["domains"][0]["standards"][0]  # type: ignore[index]
    second = {**first, "id": "ORTH-2", "guidance": "- id: not an item\n  - id: nor this"}
    second["questions"] = [
        {**question, "id": question["id"].replace("ORTH-1", "ORTH-2")}
        for question in first["questions"]
    ]
    data["domains"][0]["standards"] = [first, second]  # type: ignore[index]
    framework = FrameworkDocument.model_validate(data)
    text = write_framework(framework)["orth.yaml"]
    assert text.count("\n\n") == 1
    assert "\n\n  - id: ORTH-2\n" in text
    assert load_framework(write_folder(tmp_path / "o", write_framework(framework))) == framework


def test_stems_must_match_the_domains() -> None:
    framework = FrameworkDocument.model_validate(SMALL)
    assert default_stems(framework) == ["orth"]
    with pytest.raises(ValueError, match="2 stems for 1 domains"):
        write_framework(framework, ["a", "b"])


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "1.0",
        "%",
        "null",
        "- starts like an item",
        "key: value inside",
        "# not a comment",
        "  leading spaces and a long line " * 4,
        "trailing space ",
        "line\nbreaks\n\nand a blank line\n",
        "  indented first line\nthen not",
        "tab\tinside and \u2018quotes\u2019 \u2014 and \u201cmore\u201d",
        "a" * 150,
        "word " * 40 + "\n",
        "",
    ],
)
def test_any_text_reads_back_exactly(text: str) -> None:
    written = dump_yaml({"guidance": text, "levels": {1: text}})
    assert yaml.safe_load(written) == {"guidance": text, "levels": {1: text}}
    assert "!!" not in written


def test_numbers_are_written_as_people_write_them() -> None:
    assert dump_yaml({"weight": 2.0, "target": 80.5, "min": -100.0}) == (
        "weight: 2\ntarget: 80.5\nmin: -100\n"
    )


def test_a_value_given_twice_is_written_twice_without_anchors() -> None:
    shared = ["REL-1", "REL-2"]
    assert (
        dump_yaml({"a": shared, "b": shared})
        == "a:\n  - REL-1\n  - REL-2\nb:\n  - REL-1\n  - REL-2\n"
    )


def test_values_yaml_cannot_write_safely_are_refused() -> None:
    with pytest.raises(yaml.representer.RepresenterError):
        dump_yaml({"when": object()})
