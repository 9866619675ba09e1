"""Load and check the question bank: YAML files in questions/ into frozen, validated models.

Pure on purpose (no web framework, no database): the CLI, the importer and the tests share it.
"""

from selfassess.questionbank.loader import content_hash, discover_frameworks, load_framework
from selfassess.questionbank.models import (
    Domain,
    Framework,
    FrameworkFile,
    MaturityQuestion,
    MetricQuestion,
    Question,
    ScaleLevel,
    Source,
    Standard,
    TextQuestion,
    YesNoQuestion,
)
from selfassess.questionbank.problems import Problem, QuestionBankError
from selfassess.questionbank.report import check_paths

__all__ = [
    "Domain",
    "Framework",
    "FrameworkFile",
    "MaturityQuestion",
    "MetricQuestion",
    "Problem",
    "Question",
    "QuestionBankError",
    "ScaleLevel",
    "Source",
    "Standard",
    "TextQuestion",
    "YesNoQuestion",
    "check_paths",
    "content_hash",
    "discover_frameworks",
    "load_framework",
]
