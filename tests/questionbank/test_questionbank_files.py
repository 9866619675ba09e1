"""Problems that span files: ids across files, the domain list, and collecting every problem."""

from collections.abc import Callable
from pathlib import Path

import pytest

from selfassess.questionbank import Problem, QuestionBankError, load_framework

Edit = Callable[[Path, str, str], None]
Problems = Callable[[Path], list[str]]

GOV = "governance.yaml"
DATA = "data.yaml"
FRAMEWORK = "framework.yaml"


def test_a_duplicate_id_in_another_file_points_at_the_first(bank: Path, problems: Problems) -> None:
    data = bank / DATA
    data.write_text(data.read_text().replace("DAT", "GOV"))
    assert problems(bank) == [
        "bank/data.yaml:1: id: duplicate id GOV (first at bank/governance.yaml:1)",
        "bank/data.yaml:6: standards[0].id: duplicate id GOV-1 (first at bank/governance.yaml:6)",
        "bank/data.yaml:12: standards[0].questions[0].id: "
        "duplicate id GOV-1.1 (first at bank/governance.yaml:14)",
        "bank/data.yaml:26: standards[0].questions[1].id: "
        "duplicate id GOV-1.2 (first at bank/governance.yaml:24)",
    ]


def test_a_missing_domain_file_is_reported_where_it_is_listed(
    bank: Path, problems: Problems
) -> None:
    (bank / DATA).unlink()
    assert problems(bank) == [
        "bank/framework.yaml:23: domains[1]: no file data.yaml beside framework.yaml"
    ]


def test_an_unlisted_domain_file_is_reported_at_the_domain_list(
    bank: Path, problems: Problems
) -> None:
    (bank / "metrics.yaml").write_text((bank / DATA).read_text())
    (bank / "notes.txt").write_text("not YAML, so not part of the bank")
    assert problems(bank) == [
        "bank/framework.yaml:21: domains: "
        "metrics.yaml is in the folder but not listed (list it or remove it)"
    ]


def test_an_empty_domain_file_is_reported(bank: Path, problems: Problems) -> None:
    (bank / DATA).write_text("# nothing yet\n")
    assert problems(bank) == ["bank/data.yaml:1: (file): the file is empty"]


def test_a_domain_file_that_is_a_list_is_reported(bank: Path, problems: Problems) -> None:
    (bank / DATA).write_text("- id: DAT\n")
    assert problems(bank) == ["bank/data.yaml:1: (file): expected a mapping of fields, not a list"]


def test_a_missing_framework_file_is_reported(bank: Path, problems: Problems) -> None:
    (bank / FRAMEWORK).unlink()
    assert problems(bank) == ["bank/framework.yaml:1: (file): file not found"]


def test_every_problem_in_every_file_is_collected_at_once(
    bank: Path, edit: Edit, problems: Problems
) -> None:
    edit(bank / FRAMEWORK, 'version: "1.0"', "version: 1.0")
    edit(bank / GOV, "guidance: The board minute.", "guidence: The board minute.")
    edit(bank / GOV, "target: 2\n", "target: 9\n")  # a rule in a standard beside the typo
    edit(bank / DATA, "4: 75", "4: 45")
    edit(bank / DATA, "        unit: days\n", "")
    (bank / "metrics.yaml").write_text("id: MET\n")
    assert problems(bank) == [
        "bank/framework.yaml:2: version: Input should be a valid string (got 1.0)",
        "bank/framework.yaml:21: domains: "
        "metrics.yaml is in the folder but not listed (list it or remove it)",
        "bank/governance.yaml:24: standards[0].questions[1].guidance: required field is missing",
        "bank/governance.yaml:27: standards[0].questions[1].guidence: "
        "unknown field; did you mean 'guidance'?",
        "bank/governance.yaml:37: standards[1].target: target 9 is not a level on the scale (1..5)",
        "bank/data.yaml:22: standards[0].questions[0].thresholds.4: "
        "threshold for level 4 (45) must be above level 3's (50) because better is higher",
        "bank/data.yaml:26: standards[0].questions[1].unit: required field is missing",
    ]


def test_a_syntax_error_does_not_hide_problems_in_other_files(
    bank: Path, edit: Edit, problems: Problems
) -> None:
    edit(bank / GOV, "      - id: GOV-2.1\n", "      - id: GOV-2.1\n     bad: [\n")
    edit(bank / DATA, "target: 95\n", "target: 120\n")
    found = problems(bank)
    assert [line.split(": ")[0] for line in found] == [
        "bank/governance.yaml:41",
        "bank/data.yaml:18",
    ]


def test_error_lists_problems_and_each_problem_reads_file_line_field_message(bank: Path) -> None:
    (bank / DATA).unlink()
    with pytest.raises(QuestionBankError) as caught:
        load_framework(bank)
    expected = Problem(
        (bank / FRAMEWORK).as_posix(), 23, "domains[1]", "no file data.yaml beside framework.yaml"
    )
    assert caught.value.errors == [expected]
    assert str(expected) == (
        f"{bank.as_posix()}/framework.yaml:23: domains[1]: no file data.yaml beside framework.yaml"
    )
    assert str(caught.value) == str(expected)
