"""fieldmap: each problem of a framework's files placed at a document path, or the summary."""

from pathlib import Path

import yaml

from selfassess.questionbank import Problem, check_files, load_framework
from selfassess.questionbank.fieldmap import FieldProblem, document_path, field_problems
from selfassess.questionbank.writer import write_framework

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
V1 = QUESTIONS / "alliance-maturity-1.0"
STEMS = ["relationships", "shared-vision", "governance", "data", "metrics"]


def v1_files() -> dict[str, str]:
    return write_framework(load_framework(V1), STEMS)


def test_the_stems_are_the_shipped_order() -> None:
    assert yaml.safe_load((V1 / "framework.yaml").read_text())["domains"] == STEMS


def test_a_domain_file_problem_is_placed_in_its_domain() -> None:
    files = v1_files()
    files["data.yaml"] = files["data.yaml"].replace("    target: 3\n", "    target: 8\n", 1)
    files["governance.yaml"] = files["governance.yaml"].replace(
        "        text: How", "        text: ''\n        txt: How", 1
    )
    _, problems = check_files(files, label_root="q/x")
    placed = field_problems(problems, STEMS, label_root="q/x")
    assert [(p.field, p.message) for p in placed] == [
        ("domains[2].standards[0].questions[0].text", "String should have at least 1 character"),
        ("domains[2].standards[0].questions[0].txt", "unknown field; did you mean 'text'?"),
        ("domains[3].standards[0].target", "target 8 is not a level on the scale (1..5)"),
    ]
    assert all(p.problem is not None and p.problem.message == p.message for p in placed)


def test_a_framework_yaml_problem_keeps_its_own_path() -> None:
    files = v1_files()
    files["framework.yaml"] = files["framework.yaml"].replace("label: Emerging", "label: ''")
    _, problems = check_files(files)
    assert [p.field for p in field_problems(problems, STEMS)] == ["scale[1].label"]


def test_problems_that_name_no_field_go_to_the_summary() -> None:
    files = v1_files()
    files["data.yaml"] = "id: [DATA\n"
    files["extra.yaml"] = "id: X\n"
    _, problems = check_files(files)
    placed = field_problems(problems, STEMS)
    assert [p.field for p in placed] == ["domains", None]
    assert placed[0].message == "extra.yaml is in the folder but not listed (list it or remove it)"
    assert placed[1].message.startswith("YAML syntax error")
    elsewhere = Problem("other/data.yaml", 3, "id", "a file of another framework")
    assert document_path(elsewhere, STEMS, "q/x") is None
    assert document_path(Problem("q/x/notes.yaml", 3, "id", "unlisted"), STEMS, "q/x") is None


def test_aliases_rename_a_prefix_only_at_a_step_boundary() -> None:
    aliases = {"domains[1].standards[1]": "standards[ORTH-1]", "domains[1]": "new_domains[ORTH]"}
    stems = [f"d{n}" for n in range(13)]

    def path(file: str, field: str) -> str | None:
        return document_path(Problem(file, 1, field, "m"), stems, aliases=aliases)

    assert path("d1.yaml", "standards[1].statement") == "standards[ORTH-1].statement"
    assert path("d1.yaml", "standards[10].statement") == "new_domains[ORTH].standards[10].statement"
    assert path("d1.yaml", "name") == "new_domains[ORTH].name"
    assert path("d12.yaml", "name") == "domains[12].name"
    assert path("framework.yaml", "domains[1]") == "new_domains[ORTH]"


def test_a_field_problem_without_a_file_problem_is_allowed() -> None:
    assert FieldProblem("standards[X-1].domain", "choose a domain").problem is None
