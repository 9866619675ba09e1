"""Line numbers: every data path maps to the line it was written on."""

import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from selfassess.questionbank.problems import Problem
from selfassess.questionbank.yamlmap import YamlDoc, format_field, read_yaml

SAMPLE = """\
# a comment first, then a blank line

id: GOV
description: >-
  Folded text over
  two lines.
standards:
  - id: GOV-1
    questions:
      - {id: GOV-1.1, type: text}
      - id: GOV-1.2
        levels:
          1: One.

          2: Two.
"""


def read(tmp_path: Path, text: str) -> YamlDoc:
    path = tmp_path / "sample.yaml"
    path.write_text(text, encoding="utf-8")
    doc = read_yaml(path, "sample.yaml")
    assert isinstance(doc, YamlDoc)
    return doc


def test_each_key_maps_to_its_line_and_each_item_to_its_dash(tmp_path: Path) -> None:
    doc = read(tmp_path, SAMPLE)
    assert doc.line(()) == 3
    assert doc.line(("description",)) == 4
    assert doc.line(("standards",)) == 7
    assert doc.line(("standards", 0)) == 8
    assert doc.line(("standards", 0, "questions", 0)) == 10
    assert doc.line(("standards", 0, "questions", 0, "type")) == 10  # flow style: same line
    assert doc.line(("standards", 0, "questions", 1, "levels")) == 12
    assert doc.line(("standards", 0, "questions", 1, "levels", 2)) == 15  # int keys, as loaded


def test_a_missing_path_takes_the_line_of_its_nearest_ancestor(tmp_path: Path) -> None:
    doc = read(tmp_path, SAMPLE)
    assert doc.line(("standards", 0, "questions", 1, "text")) == 11
    assert doc.line(("standards", 0, "statement")) == 8
    assert doc.line(("nowhere", 3)) == 3


def test_fields_are_spelled_with_indexes_for_lists_and_dots_for_keys(tmp_path: Path) -> None:
    doc = read(tmp_path, SAMPLE)
    path = ("standards", 0, "questions", 1, "levels", 2)
    assert doc.field(path) == "standards[0].questions[1].levels.2"
    assert format_field((), None) == "(file)"
    problem = doc.problem(path, "level 2 says too little")
    assert (
        str(problem)
        == "sample.yaml:15: standards[0].questions[1].levels.2: level 2 says too little"
    )


def test_text_that_is_not_utf8_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("name: Caf\xe9\n".encode("latin-1"))
    problem = read_yaml(path, "latin.yaml")
    assert isinstance(problem, Problem)
    assert str(problem) == "latin.yaml:1: (file): not UTF-8 text (invalid continuation byte)"


def test_a_recursive_alias_is_refused_rather_than_walked(tmp_path: Path) -> None:
    path = tmp_path / "sample.yaml"
    path.write_text("a: &x [1, *x]\n", encoding="utf-8")
    problem = read_yaml(path, "sample.yaml")
    assert str(problem) == (
        "sample.yaml:1: (file): YAML aliases (*name) are not allowed: write the value out"
    )


def test_repeated_keys_are_problems_because_yaml_drops_all_but_the_last(tmp_path: Path) -> None:
    doc = read(tmp_path, "id: A\nitems:\n  - id: B\n    id: C\n")
    assert [str(p) for p in doc.problems] == [
        "sample.yaml:4: items[0].id: duplicate key (first at line 3)"
    ]
    assert doc.data == {"id": "A", "items": [{"id": "C"}]}


keys = st.text(alphabet="abcdefghij", min_size=1, max_size=6).map(lambda s: f"k{s}")
scalars = st.integers(-5, 5) | keys
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, min_size=1, max_size=3)
        | st.dictionaries(keys, inner, min_size=1, max_size=3)
    ),
    max_leaves=12,
).filter(lambda data: isinstance(data, dict))


def paths(data: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += [(*prefix, key), *paths(value, (*prefix, key))]
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += [(*prefix, index), *paths(value, (*prefix, index))]
    return found


@given(documents)
def test_every_path_of_any_dumped_document_points_at_its_own_line(data: dict[str, object]) -> None:
    text = yaml.safe_dump(data, sort_keys=False, default_flow_style=False)
    lines = text.splitlines()
    with tempfile.TemporaryDirectory() as folder:  # hypothesis runs many examples per tmp_path
        path = Path(folder) / "doc.yaml"
        path.write_text(text, encoding="utf-8")
        doc = read_yaml(path, "doc.yaml")
    assert isinstance(doc, YamlDoc)
    for data_path in paths(data):
        written = lines[doc.line(data_path) - 1].strip()
        last = data_path[-1]
        if isinstance(last, str):
            assert written.lstrip("- ").startswith(f"{last}:"), (data_path, written)
        else:
            assert written.startswith("-"), (data_path, written)
