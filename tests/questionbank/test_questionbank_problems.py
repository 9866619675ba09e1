"""Each rule in questions/README.md, broken in a copy of the minimal bank: file:line: field."""

from collections.abc import Callable
from pathlib import Path

import pytest

Edit = Callable[[Path, str, str], None]
Problems = Callable[[Path], list[str]]

GOV = "governance.yaml"
DATA = "data.yaml"
FRAMEWORK = "framework.yaml"
TYPES = "maturity, yes_no, metric, text"

# (file, text to replace, replacement, every problem expected), one rule each
CASES = {
    "missing level descriptor": (
        GOV,
        "          4: It has been reviewed.\n",
        "",
        ["bank/governance.yaml:18: standards[0].questions[0].levels: level 4 has no descriptor"],
    ),
    "blank level descriptor": (
        GOV,
        "4: It has been reviewed.",
        '4: "  "',
        ["bank/governance.yaml:22: standards[0].questions[0].levels.4: level 4 has no descriptor"],
    ),
    "empty level descriptor": (
        GOV,
        "4: It has been reviewed.",
        "4:",
        ["bank/governance.yaml:22: standards[0].questions[0].levels.4: has no value"],
    ),
    "level off the scale": (
        GOV,
        "5: It is reviewed on a cycle.\n",
        "5: It is reviewed on a cycle.\n          6: Beyond the scale.\n",
        [
            "bank/governance.yaml:24: standards[0].questions[0].levels.6: "
            "level 6 is not on the scale (1..5)"
        ],
    ),
    "standard id with the wrong prefix": (
        GOV,
        "id: GOV-2\n",
        "id: DAT-2\n",
        [
            "bank/governance.yaml:34: standards[1].id: "
            "standard id DAT-2 does not start with the domain id GOV-",
            "bank/governance.yaml:40: standards[1].questions[0].id: "
            "question id GOV-2.1 does not start with the standard id DAT-2.",
        ],
    ),
    "question id with the wrong prefix": (
        GOV,
        "id: GOV-1.2\n",
        "id: GOV-2.2\n",
        [
            "bank/governance.yaml:24: standards[0].questions[1].id: "
            "question id GOV-2.2 does not start with the standard id GOV-1."
        ],
    ),
    "id that does not match its pattern": (
        GOV,
        "id: GOV-1.2\n",
        "id: GOV-1-2\n",
        [
            "bank/governance.yaml:24: standards[0].questions[1].id: "
            "String should match pattern '^[A-Z]+-[0-9]+\\.[0-9]+$'"
        ],
    ),
    "duplicate id in one file": (
        DATA,
        "id: DAT-1.2\n",
        "id: DAT-1.1\n",
        [
            "bank/data.yaml:26: standards[0].questions[1].id: "
            "duplicate id DAT-1.1 (first at bank/data.yaml:12)"
        ],
    ),
    "unknown field (a typo)": (
        GOV,
        "guidance: The board minute.",
        "guidence: The board minute.",
        [
            "bank/governance.yaml:24: standards[0].questions[1].guidance: "
            "required field is missing",
            "bank/governance.yaml:27: standards[0].questions[1].guidence: "
            "unknown field; did you mean 'guidance'?",
        ],
    ),
    "unknown field unlike any other": (
        DATA,
        "weight: 1.5\n",
        "weight: 1.5\ncolour: blue\n",
        ["bank/data.yaml:5: colour: unknown field"],
    ),
    "wrong type: text for a number": (
        GOV,
        "weight: 2\n",
        "weight: heavy\n",
        [
            "bank/governance.yaml:10: standards[0].weight: "
            "Input should be a valid number (got 'heavy')"
        ],
    ),
    "wrong type: text for a boolean": (
        GOV,
        "core: false\n",
        "core: maybe\n",
        [
            "bank/governance.yaml:36: standards[1].core: "
            "Input should be a valid boolean (got 'maybe')"
        ],
    ),
    "wrong type: unquoted version": (
        FRAMEWORK,
        'version: "1.0"',
        "version: 1.0",
        ["bank/framework.yaml:2: version: Input should be a valid string (got 1.0)"],
    ),
    "wrong type: a list where fields belong": (
        GOV,
        "      - id: GOV-2.1\n",
        "      - [GOV-2.1]\n      - id: GOV-2.1\n",
        [
            "bank/governance.yaml:40: standards[1].questions[0]: "
            "expected a mapping of fields, not a list"
        ],
    ),
    "unknown question type": (
        GOV,
        "type: yes_no\n        text: Is there",
        "type: yes-no\n        text: Is there",
        [
            "bank/governance.yaml:41: standards[1].questions[0].type: "
            f"unknown question type 'yes-no'; use one of {TYPES}"
        ],
    ),
    "missing required field": (
        GOV,
        "        text: Is there a forum?\n",
        "",
        ["bank/governance.yaml:40: standards[1].questions[0].text: required field is missing"],
    ),
    "non-monotonic thresholds, better higher": (
        DATA,
        "4: 75",
        "4: 45",
        [
            "bank/data.yaml:22: standards[0].questions[0].thresholds.4: "
            "threshold for level 4 (45) must be above level 3's (50) because better is higher"
        ],
    ),
    "flat thresholds, better higher": (
        DATA,
        "4: 75",
        "4: 50",
        [
            "bank/data.yaml:22: standards[0].questions[0].thresholds.4: "
            "threshold for level 4 (50) must be above level 3's (50) because better is higher"
        ],
    ),
    "non-monotonic thresholds, better lower": (
        DATA,
        "3: 20",
        "3: 35.5",
        [
            "bank/data.yaml:35: standards[0].questions[1].thresholds.3: "
            "threshold for level 3 (35.5) must be below level 2's (30) because better is lower"
        ],
    ),
    "missing threshold": (
        DATA,
        "          3: 50\n",
        "",
        ["bank/data.yaml:19: standards[0].questions[0].thresholds: level 3 has no threshold"],
    ),
    "threshold for level 1": (
        DATA,
        "          2: 25\n",
        "          1: 10\n          2: 25\n",
        [
            "bank/data.yaml:20: standards[0].questions[0].thresholds.1: "
            "level 1 takes no threshold (thresholds name levels 2..5)"
        ],
    ),
    "metric target above max": (
        DATA,
        "target: 95\n",
        "target: 120\n",
        ["bank/data.yaml:18: standards[0].questions[0].target: target 120 is above max 100"],
    ),
    "metric target below min": (
        DATA,
        "min: 0\n",
        "min: 96\n",
        ["bank/data.yaml:18: standards[0].questions[0].target: target 95 is below min 96"],
    ),
    "target off the scale": (
        GOV,
        "target: 3\n",
        "target: 7\n",
        [
            "bank/governance.yaml:9: standards[0].target: "
            "target 7 is not a level on the scale (1..5)"
        ],
    ),
    "target below the scale": (
        GOV,
        "target: 2\n",
        "target: 0\n",
        [
            "bank/governance.yaml:37: standards[1].target: "
            "target 0 is not a level on the scale (1..5)"
        ],
    ),
    "weight not positive": (
        DATA,
        "weight: 0.5\n",
        "weight: 0\n",
        ["bank/data.yaml:38: standards[0].questions[1].weight: Input should be greater than 0"],
    ),
    "domain weight negative": (
        DATA,
        "weight: 1.5\n",
        "weight: -1\n",
        ["bank/data.yaml:4: weight: Input should be greater than 0"],
    ),
    "yes_level off the scale": (
        GOV,
        "yes_level: 4\n",
        "yes_level: 1\n",
        [
            "bank/governance.yaml:28: standards[0].questions[1].yes_level: "
            "Input should be greater than or equal to 2"
        ],
    ),
    "no scored question": (
        GOV,
        "type: yes_no\n        text: Is there",
        "type: text\n        text: Is there",
        [
            "bank/governance.yaml:39: standards[1].questions: "
            "no scored question: add a maturity, yes_no or metric question"
        ],
    ),
    "scale out of order": (
        FRAMEWORK,
        "  - level: 3\n",
        "  - level: 4\n",
        [
            "bank/framework.yaml:12: scale[2].level: "
            "expected level 3 here, not 4 (levels 1..5 in order)"
        ],
    ),
    "scale too short": (
        FRAMEWORK,
        "  - level: 5\n    label: Embedded\n    descriptor: It is how things are done.\n",
        "",
        ["bank/framework.yaml:5: scale: level 5 missing: the scale has exactly levels 1..5"],
    ),
    "scale level without a label": (
        FRAMEWORK,
        "    label: Emerging\n",
        "",
        ["bank/framework.yaml:9: scale[1].label: required field is missing"],
    ),
    "domain listed twice": (
        FRAMEWORK,
        "  - data\n",
        "  - data\n  - data\n",
        ["bank/framework.yaml:24: domains[2]: data is listed twice"],
    ),
    "domain stem that leaves the folder": (
        FRAMEWORK,
        "  - data\n",
        "  - ../data\n",
        [
            "bank/framework.yaml:21: domains: "
            "data.yaml is in the folder but not listed (list it or remove it)",
            "bank/framework.yaml:23: domains[1]: "
            "String should match pattern '^[A-Za-z0-9][A-Za-z0-9_-]*$'",
        ],
    ),
    "YAML syntax error": (
        GOV,
        "text: How developed is the agreement?",
        "text: How developed: is the agreement?",
        [
            "bank/governance.yaml:16: (file): YAML syntax error: mapping values are not allowed "
            "in this context"
        ],
    ),
    "YAML indentation error": (
        DATA,
        "        unit: days\n",
        "       unit: days\n",
        [
            "bank/data.yaml:30: (file): YAML syntax error: did not find expected '-' indicator "
            "(while parsing a block collection at line 12)"
        ],
    ),
    "duplicate YAML key": (
        GOV,
        "guidance: The signed agreement.\n",
        "guidance: The signed agreement.\n        text: Asked twice?\n",
        [
            "bank/governance.yaml:18: standards[0].questions[0].text: "
            "duplicate key (first at line 16)"
        ],
    ),
}


@pytest.mark.parametrize(("file", "old", "new", "expected"), CASES.values(), ids=CASES.keys())
def test_each_broken_rule_is_reported_at_its_file_line_and_field(
    bank: Path, edit: Edit, problems: Problems, file: str, old: str, new: str, expected: list[str]
) -> None:
    edit(bank / file, old, new)
    assert problems(bank) == expected
