"""Load and check the question bank: YAML files in questions/ into frozen, validated models.

Pure on purpose (no web framework, no database): the CLI, the importer and the tests share it.
"""

from selfassess.questionbank.documents import (
    DomainDocument,
    FrameworkDocument,
    FrameworkFileDocument,
    MaturityQuestionDocument,
    MetricQuestionDocument,
    QuestionDocument,
    ScaleLevel,
    Source,
    StandardDocument,
    TextQuestionDocument,
    YesNoQuestionDocument,
)
from selfassess.questionbank.drafting import draft_framework, lineage_name
from selfassess.questionbank.fieldmap import FieldProblem, field_problems
from selfassess.questionbank.loader import (
    check_files,
    content_hash,
    discover_frameworks,
    domain_stems,
    files_hash,
    load_framework,
    read_folder,
)
from selfassess.questionbank.packing import PackError, pack, unpack
from selfassess.questionbank.problems import Problem, QuestionBankError
from selfassess.questionbank.report import check_paths
from selfassess.questionbank.writer import write_framework

__all__ = [
    "DomainDocument",
    "FieldProblem",
    "FrameworkDocument",
    "FrameworkFileDocument",
    "MaturityQuestionDocument",
    "MetricQuestionDocument",
    "PackError",
    "Problem",
    "QuestionBankError",
    "QuestionDocument",
    "ScaleLevel",
    "Source",
    "StandardDocument",
    "TextQuestionDocument",
    "YesNoQuestionDocument",
    "check_files",
    "check_paths",
    "content_hash",
    "discover_frameworks",
    "domain_stems",
    "draft_framework",
    "field_problems",
    "files_hash",
    "lineage_name",
    "load_framework",
    "pack",
    "read_folder",
    "unpack",
    "write_framework",
]
