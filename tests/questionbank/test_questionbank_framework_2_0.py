"""The checker's 2.0 rules (questions/README.md): each broken in a copy, reported as file:line."""

import os
import shutil
from pathlib import Path

import pytest

from selfassess.questionbank import QuestionBankError, check_paths, load_framework
from selfassess.questionbank.alliance_facts import alliance_facts, member_questions
from selfassess.questionbank.lineage import lineage, predecessors, successors
from selfassess.questionbank.report import SOURCES_ROOT

REPO = Path(__file__).resolve().parents[2]
QUESTIONS = REPO / "questions"
SEEDS = (
    "000_0a6ff9493a636c38.txt",
    "001_af841a02850c649c.txt",
    "002_d607f08238cb60c0.txt",
    "003_b81b12f6799558f1.txt",
    "004_e2f94a850d00c5fa.txt",
)


@pytest.fixture
def banks(tmp_path: Path) -> Path:
    """Copies of 1.0 and 2.0 side by side, and a sources folder holding the seeds' file names."""
    for name in ("alliance-maturity-1.0", "alliance-maturity-2.0"):
        shutil.copytree(QUESTIONS / name, tmp_path / "questions" / name)
    (tmp_path / "seeds").mkdir()
    for name in SEEDS:
        (tmp_path / "seeds" / name).write_text("source text\n")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in the file; return its 1-based line number."""
    text = path.read_text()
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old) :])
    return text[:index].count("\n") + 1


def _problems(banks: Path) -> list[str]:
    folder = banks / "questions" / "alliance-maturity-2.0"
    return check_paths([folder], documents_dir=banks / "seeds")


def test_the_copies_pass(banks: Path) -> None:
    assert _problems(banks) == ["OK alliance-maturity 2.0: 7 domains, 36 standards, 107 questions"]


def test_the_real_2_0_bank_names_documents_that_exist() -> None:
    sources = Path(os.environ.get("SOURCES_DIR", SOURCES_ROOT))
    lines = check_paths([QUESTIONS / "alliance-maturity-2.0"], documents_dir=sources)
    assert lines[0].startswith("OK alliance-maturity 2.0"), lines


def test_a_missing_source_document_is_named(banks: Path) -> None:
    (banks / "seeds" / SEEDS[3]).unlink()
    (line,) = _problems(banks)
    assert "framework.yaml:" in line and "sources[3].document" in line
    assert f"source document {SEEDS[3]} not found" in line


def test_a_citation_must_use_a_declared_source_key(banks: Path) -> None:
    path = banks / "questions" / "alliance-maturity-2.0" / "quality.yaml"
    _edit(path, 'source: "ACC-2018 3.15, 2.6', 'source: "ACC-2019 3.15, 2.6')
    (line,) = _problems(banks)
    assert "quality.yaml:" in line and "standards[0].source" in line
    assert "'ACC-2019'" in line


def test_a_criterion_needs_its_level(banks: Path) -> None:
    path = banks / "questions" / "alliance-maturity-2.0" / "quality.yaml"
    _edit(path, "        gates_level: 3\n", "")
    (line,) = _problems(banks)
    assert "quality.yaml:" in line and "standards[0].questions[1]" in line
    assert "gates_level: 2..5" in line


def test_an_alliance_fact_cannot_gate(banks: Path) -> None:
    path = banks / "questions" / "alliance-maturity-2.0" / "quality.yaml"
    number = _edit(
        path,
        "        answered_by: alliance\n",
        "        answered_by: alliance\n        gates_level: 3\n",
    )
    (line,) = _problems(banks)
    assert line.startswith(f"{path.as_posix()}:{number + 1}: ")
    assert "gates_level applies only to member criteria" in line


def test_lineage_names_standards_of_the_previous_version(banks: Path) -> None:
    path = banks / "questions" / "alliance-maturity-2.0" / "metrics.yaml"
    _edit(path, "continues: [MET-1]", "continues: [MET-9]")
    (line,) = _problems(banks)
    assert "metrics.yaml:" in line and "standards[0].continues[0]" in line
    assert "MET-9 is not a standard of alliance-maturity-1.0" in line


def test_lineage_needs_the_previous_version_beside_it(banks: Path) -> None:
    shutil.rmtree(banks / "questions" / "alliance-maturity-1.0")
    (line,) = _problems(banks)
    assert "framework.yaml:" in line and "cannot load alliance-maturity-1.0" in line


def test_a_gated_standard_does_not_mix_metrics_with_criteria(banks: Path) -> None:
    folder = banks / "questions" / "alliance-maturity-2.0"
    metric = (folder / "metrics.yaml").read_text().split("    questions:\n", 1)[1]
    metric = metric.split("\n\n  - id: MET-2", 1)[0].replace("MET-1.1", "QUAL-1.9")
    quality = folder / "quality.yaml"
    _edit(quality, "  - id: QUAL-2\n", metric + "\n\n  - id: QUAL-2\n")
    lines = _problems(banks)
    assert any("either maturity with criteria or metrics only" in line for line in lines), lines


def test_gated_metrics_are_required_and_defined(banks: Path) -> None:
    path = banks / "questions" / "alliance-maturity-2.0" / "metrics.yaml"
    _edit(
        path,
        "        scored_by: thresholds\n",
        "        scored_by: thresholds\n        required: false\n",
    )
    lines = _problems(banks)
    assert any("metrics.yaml:" in line and "are required" in line for line in lines), lines


def test_an_averaged_framework_has_no_criteria(banks: Path) -> None:
    path = banks / "questions" / "alliance-maturity-1.0" / "governance.yaml"
    _edit(path, "        yes_level: 3\n", "        yes_level: 3\n        gates_level: 3\n")
    lines = check_paths([path.parent], documents_dir=None)
    assert len(lines) == 1 and "scoring: gated" in lines[0]


def test_alliance_facts_are_listed_apart_from_member_questions() -> None:
    v2 = load_framework(QUESTIONS / "alliance-maturity-2.0")
    facts = alliance_facts(v2)
    assert [f.question.id for f in facts][:2] == ["REL-3.2", "REL-5.2"]
    gov1 = next(s for _, s in v2.standards() if s.id == "GOV-1")
    assert [q.id for q in member_questions(gov1)] == ["GOV-1.1", "GOV-1.2"]
    assert {f.standard.id for f in facts if f.question.id.startswith("GOV-1.")} == {"GOV-1"}
    assert alliance_facts(load_framework(QUESTIONS / "alliance-maturity-1.0")) == []


def test_lineage_maps_2_0_standards_to_their_1_0_predecessors() -> None:
    v2 = load_framework(QUESTIONS / "alliance-maturity-2.0")
    assert predecessors(v2, "VIS-1") == ("VIS-1", "VIS-2")
    assert predecessors(v2, "IMP-1") == ()
    assert successors(v2, "MET-1") == ("MET-1", "MET-2")
    v1 = load_framework(QUESTIONS / "alliance-maturity-1.0")
    v1_ids = {s.id for _, s in v1.standards()}
    continued = {old for olds in lineage(v2).values() for old in olds}
    assert continued <= v1_ids
    with pytest.raises(KeyError):
        predecessors(v2, "VIS-9")


def test_loading_without_documents_does_not_look_for_them(banks: Path) -> None:
    shutil.rmtree(banks / "seeds")
    framework = load_framework(banks / "questions" / "alliance-maturity-2.0")
    assert framework.version == "2.0"
    with pytest.raises(QuestionBankError, match="not found"):
        load_framework(banks / "questions" / "alliance-maturity-2.0", documents_dir=banks / "seeds")
