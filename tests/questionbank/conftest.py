"""Fixtures that write a minimal valid question bank and break copies of it.

Tests assert exact line numbers in these texts: add lines at the end of a file, not in the middle.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from selfassess.questionbank import QuestionBankError, load_framework

FRAMEWORK_YAML = """\
id: mini
version: "1.0"
title: A minimal framework
description: Enough of everything to load.
scale:
  - level: 1
    label: Not started
    descriptor: Nothing is in place yet.
  - level: 2
    label: Emerging
    descriptor: First steps have been taken.
  - level: 3
    label: Developing
    descriptor: Agreed arrangements are in place.
  - level: 4
    label: Established
    descriptor: Arrangements are used consistently.
  - level: 5
    label: Embedded
    descriptor: It is how things are done.
domains:
  - governance
  - data
sources:
  - key: SRC
    title: A source document
"""

GOVERNANCE_YAML = """\
id: GOV
name: Governance
description: How partners decide together.
weight: 1
standards:
  - id: GOV-1
    statement: The alliance has an agreement.
    core: true
    target: 3
    weight: 2
    guidance: Why agreements matter.
    source: "SRC 1.2"
    questions:
      - id: GOV-1.1
        type: maturity
        text: How developed is the agreement?
        guidance: The signed agreement.
        levels:
          1: There is none.
          2: A draft is discussed.
          3: All partners signed it.
          4: It has been reviewed.
          5: It is reviewed on a cycle.
      - id: GOV-1.2
        type: yes_no
        text: Has your board approved it?
        guidance: The board minute.
        yes_level: 4
      - id: GOV-1.3
        type: text
        text: Describe the agreement.
        guidance: Anything useful.
        required: false
  - id: GOV-2
    statement: Partners have a forum for decisions.
    core: false
    target: 2
    guidance: Why forums matter.
    questions:
      - id: GOV-2.1
        type: yes_no
        text: Is there a forum?
        guidance: Its terms of reference.
"""

DATA_YAML = """\
id: DAT
name: Data
description: Shared data and metrics.
weight: 1.5
standards:
  - id: DAT-1
    statement: Partners share performance data.
    core: true
    target: 4
    guidance: Why data matters.
    questions:
      - id: DAT-1.1
        type: metric
        text: What percentage of services share data?
        guidance: The data-sharing register.
        unit: "%"
        better: higher
        target: 95
        thresholds:
          2: 25
          3: 50
          4: 75
          5: 95
        min: 0
        max: 100
      - id: DAT-1.2
        type: metric
        text: How many days does a data request take?
        guidance: The request log.
        unit: days
        better: lower
        target: 5
        thresholds:
          2: 30
          3: 20
          4: 10
          5: 5
        weight: 0.5
"""

BANK_FILES = {
    "framework.yaml": FRAMEWORK_YAML,
    "governance.yaml": GOVERNANCE_YAML,
    "data.yaml": DATA_YAML,
}


@pytest.fixture
def write_bank(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that writes the minimal bank as tmp_path/<name> and returns the folder."""

    def write(name: str = "bank") -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True)
        for file_name, text in BANK_FILES.items():
            (folder / file_name).write_text(text, encoding="utf-8")
        return folder

    return write


@pytest.fixture
def bank(write_bank: Callable[..., Path]) -> Path:
    """The minimal valid bank, at tmp_path/bank."""
    return write_bank()


@pytest.fixture
def edit() -> Callable[[Path, str, str], None]:
    """Return a function that replaces text that occurs exactly once in a file."""

    def replace(file: Path, old: str, new: str) -> None:
        text = file.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file.name}"
        file.write_text(text.replace(old, new), encoding="utf-8")

    return replace


@pytest.fixture
def problems() -> Callable[[Path], list[str]]:
    """Return a function listing a folder's problems as `bank/file.yaml:line: field: message`."""

    def collect(folder: Path) -> list[str]:
        try:
            load_framework(folder, display_root=folder.parent)
        except QuestionBankError as exc:
            return [str(problem) for problem in exc.errors]
        return []

    return collect
