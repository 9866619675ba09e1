"""draft_framework: a base framework plus new standards, checked by the one checker."""

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from selfassess.questionbank import FrameworkDocument, check_files, check_paths, load_framework
from selfassess.questionbank.drafting import draft_framework, lineage_name
from selfassess.questionbank.lineage import predecessors
from selfassess.questionbank.report import OK_PREFIX, SOURCES_ROOT
from selfassess.questionbank.writer import write_framework

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
V1, V2 = QUESTIONS / "alliance-maturity-1.0", QUESTIONS / "alliance-maturity-2.0"


def stems_of(folder: Path) -> list[str]:
    return list(yaml.safe_load((folder / "framework.yaml").read_text())["domains"])


@pytest.fixture(scope="module")
def v2() -> FrameworkDocument:
    return load_framework(V2)


def orthopaedic(**changes: Any) -> dict[str, Any]:
    """A gated standard as the web form would hand it over: typed values, blanks as None."""
    standard: dict[str, Any] = {
        "domain": "ORTH",
        "id": "ORTH-1",
        "statement": "Hip fracture patients reach theatre within 36 hours of admission.",
        "core": True,
        "target": 3,
        "guidance": "Delays to surgery raise mortality.",
        "source": "ACC-2018 2.6",
        "basis": {"target": "alliance choice", "core": "alliance choice", "note": None},
        "questions": [
            {
                "id": "ORTH-1.1",
                "type": "maturity",
                "text": "How reliably do patients reach theatre within 36 hours?",
                "guidance": "National Hip Fracture Database reports.",
                "levels": {n: f"Descriptor of level {n}." for n in range(1, 6)},
            },
            {
                "id": "ORTH-1.2",
                "type": "yes_no",
                "text": "Is there a named orthogeriatric lead?",
                "guidance": "The job plan.",
                "gates_level": 3,
                "weight": None,
            },
        ],
    }
    standard.update(changes)
    return standard


ORTH_DOMAIN = {"id": "ORTH", "name": "Orthopaedic clinical standards", "description": "Module."}


def draft(base: FrameworkDocument, standards: list[dict[str, Any]], **options: Any) -> Any:
    options.setdefault("stems", stems_of(V2))
    options.setdefault("new_domains", [ORTH_DOMAIN])
    options.setdefault("documents_dir", SOURCES_ROOT)
    return draft_framework(base, standards, "1.0", "noa-orthopaedic", "NOA standards", **options)


def test_a_clean_draft_is_a_new_version_continuing_its_base(v2: FrameworkDocument) -> None:
    files, framework, problems = draft(v2, [orthopaedic()])
    assert problems == []
    assert framework is not None
    assert (framework.id, framework.version, framework.title) == (
        "noa-orthopaedic",
        "1.0",
        "NOA standards",
    )
    assert framework.continues == "alliance-maturity-2.0" == lineage_name(v2)
    assert framework.domains[:-1] != v2.domains  # lineage changed: each continues itself
    assert [d.id for d in framework.domains] == [*(d.id for d in v2.domains), "ORTH"]
    assert predecessors(framework, "GOV-1") == ("GOV-1",)
    assert predecessors(framework, "ORTH-1") == ()
    assert list(files) == ["framework.yaml", *(f"{s}.yaml" for s in stems_of(V2)), "orth.yaml"]
    # the draft's files are what the writer writes for its document: export is exact
    assert write_framework(framework, [*stems_of(V2), "orth"]) == files
    assert check_files(files, previous={lineage_name(v2): v2})[0] == framework


def test_an_exported_draft_checks_beside_its_base_with_the_check_command(
    v2: FrameworkDocument, tmp_path: Path
) -> None:
    files, framework, _ = draft(v2, [orthopaedic()])
    assert framework is not None
    for folder in (V1, V2):
        shutil.copytree(folder, tmp_path / folder.name)
    folder = tmp_path / lineage_name(framework)
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert check_paths([folder], documents_dir=SOURCES_ROOT) == [
        f"{OK_PREFIX}noa-orthopaedic 1.0: 8 domains, 37 standards, 109 questions"
    ]


def test_a_standard_in_an_existing_domain_goes_into_its_file(v2: FrameworkDocument) -> None:
    standard = orthopaedic(domain="GOV", id="GOV-9")
    standard["questions"] = [
        {**q, "id": q["id"].replace("ORTH-1", "GOV-9")} for q in standard["questions"]
    ]
    files, framework, problems = draft(v2, [standard], new_domains=[])
    assert problems == [] and framework is not None
    governance = framework.domains[stems_of(V2).index("governance")]
    assert governance.standards[-1].id == "GOV-9"
    assert files["governance.yaml"].endswith("        gates_level: 3\n")
    assert "\n\n  - id: GOV-9\n" in files["governance.yaml"]


def test_a_broken_draft_gets_the_checkers_messages_beside_its_fields(
    v2: FrameworkDocument,
) -> None:
    broken = orthopaedic(statement="", target="3", wieght=2, source=None)
    broken["questions"][0]["levels"] = {1: "Only one level."}
    broken["questions"][1]["gates_level"] = None
    files, framework, problems = draft(v2, [broken])
    assert framework is None
    assert [(p.field, p.message) for p in problems] == [
        ("standards[ORTH-1].statement", "String should have at least 1 character"),
        ("standards[ORTH-1].target", "Input should be a valid integer (got '3')"),
        ("standards[ORTH-1].questions[0].levels", "level 2 has no descriptor"),
        ("standards[ORTH-1].questions[0].levels", "level 3 has no descriptor"),
        ("standards[ORTH-1].questions[0].levels", "level 4 has no descriptor"),
        ("standards[ORTH-1].questions[0].levels", "level 5 has no descriptor"),
        ("standards[ORTH-1].wieght", "unknown field; did you mean 'weight'?"),
    ]
    # every message is the checker's, about the files returned
    _, checked = check_files(files, previous={lineage_name(v2): v2})
    assert [p.problem for p in problems] == checked


def test_rules_of_the_whole_framework_are_placed_too(v2: FrameworkDocument) -> None:
    standard = orthopaedic(source="NOPE 1.2", basis=None)
    standard["questions"][1]["gates_level"] = None
    _, _, problems = draft(v2, [standard])
    assert [(p.field, p.message) for p in problems] == [
        ("standards[ORTH-1].source", "cites 'NOPE', which is not a source key in framework.yaml"),
        (
            "standards[ORTH-1].questions[1]",
            "a yes/no member question in a gated framework names the level it gates "
            "(gates_level: 2..5)",
        ),
        (
            "standards[ORTH-1]",
            "say whether the target and core flag come from a source or are an alliance choice "
            "(basis: {target: ..., core: ...})",
        ),
    ]


def test_a_code_the_base_already_has_is_a_duplicate(v2: FrameworkDocument) -> None:
    standard = orthopaedic(domain="GOV", id="GOV-1", continues=["GOV-1"])
    standard["questions"] = [
        {**q, "id": q["id"].replace("ORTH-1", "GOV-1")} for q in standard["questions"]
    ]
    _, framework, problems = draft(v2, [standard], new_domains=[])
    assert framework is None
    assert [p.field for p in problems] == [
        "standards[GOV-1].id",
        "standards[GOV-1].questions[0].id",
        "standards[GOV-1].questions[1].id",
    ]
    assert problems[0].message.startswith("duplicate id GOV-1 (first at governance.yaml:")


def test_a_standard_needs_a_domain_of_the_framework(v2: FrameworkDocument) -> None:
    files, framework, problems = draft(v2, [orthopaedic(domain="NOPE")])
    assert framework is None
    assert problems[0].field == "standards[ORTH-1].domain"
    assert problems[0].message.startswith("choose one of the framework's domains: REL, VIS, ")
    assert problems[0].problem is None
    # the new domain was written without standards, which the checker refuses
    assert [(p.field, p.message) for p in problems[1:]] == [
        ("new_domains[ORTH].standards", "List should have at least 1 item after validation, not 0")
    ]
    assert "ORTH-1" not in "".join(files.values())


def test_a_new_domain_cannot_take_the_file_of_an_existing_one(v2: FrameworkDocument) -> None:
    clash = {**ORTH_DOMAIN, "id": "GOV"}
    files, _, problems = draft(v2, [orthopaedic(domain="GOV")], new_domains=[clash], stems=None)
    assert list(files)[-1] == "domain-8.yaml"
    assert "GOV-1" in files["gov.yaml"]  # the base's domain kept its file
    assert any(
        p.field == "new_domains[GOV].id" and "duplicate id GOV" in p.message for p in problems
    )


def test_an_averaged_base_gives_an_averaged_draft_with_lineage(tmp_path: Path) -> None:
    v1 = load_framework(V1)
    standard = {
        "domain": "GOV",
        "id": "GOV-9",
        "statement": "A new standard.",
        "core": False,
        "target": 2,
        "guidance": "Why.",
        "questions": [
            {"id": "GOV-9.1", "type": "yes_no", "text": "Is it so?", "guidance": "Proof."}
        ],
    }
    files, framework, problems = draft_framework(
        v1, [standard], "1.1", "alliance-maturity", "Title", stems=stems_of(V1)
    )
    assert problems == [] and framework is not None
    assert framework.continues == "alliance-maturity-1.0"
    assert "scoring" not in files["framework.yaml"]
    assert predecessors(framework, "GOV-1") == ("GOV-1",)
    assert predecessors(framework, "GOV-9") == ()


def test_numbers_from_a_form_s_decimal_fields_are_written_as_numbers(
    v2: FrameworkDocument,
) -> None:
    standard = orthopaedic(target=Decimal("3"), weight=Decimal("1.5"))
    files, framework, problems = draft(v2, [standard])
    assert problems == [] and framework is not None
    orth = framework.domains[-1].standards[0]
    assert (orth.target, orth.weight) == (3, 1.5)
    assert "    target: 3\n    weight: 1.5\n" in files["orth.yaml"]


def test_the_callers_drafts_are_not_changed(v2: FrameworkDocument) -> None:
    standard = orthopaedic()
    before = repr(standard)
    draft(v2, [standard])
    assert repr(standard) == before
