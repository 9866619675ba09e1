"""Enforce the rules that span fields and files (questions/README.md, "Rules the checker enforces").

Each rule works on validated models and returns Findings that name a file and a data path; the
loader turns them into Problems with line numbers, so these functions stay pure and easy to test.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from selfassess.questionbank.documents import (
    MaturityQuestionDocument,
    MetricQuestionDocument,
    QuestionDocument,
    ScaleLevel,
    StandardDocument,
)
from selfassess.questionbank.yamlmap import DataPath

FRAMEWORK_FILE = "framework.yaml"
SCALE: tuple[int, ...] = (1, 2, 3, 4, 5)
THRESHOLD_LEVELS: tuple[int, ...] = (2, 3, 4, 5)  # level 1 is where every answer starts


@dataclass(frozen=True)
class Finding:
    """A broken rule at a data path in one file of the framework folder (e.g. data.yaml)."""

    file: str
    path: DataPath
    message: str
    #: Where the clashing value was first seen, for duplicates: (file, path).
    first: tuple[str, DataPath] | None = None


@dataclass(frozen=True)
class IdSite:
    """Where an id is declared, in the order the framework is read."""

    file: str
    path: DataPath
    id: str


def check_scale(scale: Sequence[ScaleLevel]) -> list[Finding]:
    """The scale has exactly the levels 1..5, in order."""
    findings = []
    for index, level in enumerate(scale):
        path = ("scale", index, "level")
        if index >= len(SCALE):
            message = f"level {level.level} is one too many: the scale has exactly levels 1..5"
            findings.append(Finding(FRAMEWORK_FILE, path, message))
        elif level.level != SCALE[index]:
            expected = SCALE[index]
            message = f"expected level {expected} here, not {level.level} (levels 1..5 in order)"
            findings.append(Finding(FRAMEWORK_FILE, path, message))
    if len(scale) < len(SCALE):
        missing = SCALE[len(scale) :]
        names = "level" if len(missing) == 1 else "levels"
        numbers = ", ".join(str(level) for level in missing)
        message = f"{names} {numbers} missing: the scale has exactly levels 1..5"
        findings.append(Finding(FRAMEWORK_FILE, ("scale",), message))
    return findings


def check_domain_files(stems: Sequence[str | None], files: Collection[str]) -> list[Finding]:
    """Every domain listed has its file, none is listed twice, and every YAML file is listed.

    A stem is None where the list holds something that is not a valid stem (reported elsewhere).
    """
    findings = []
    seen: set[str] = set()
    for index, stem in enumerate(stems):
        if stem is None:
            continue
        if stem in seen:
            findings.append(Finding(FRAMEWORK_FILE, ("domains", index), f"{stem} is listed twice"))
        elif f"{stem}.yaml" not in files:
            message = f"no file {stem}.yaml beside framework.yaml"
            findings.append(Finding(FRAMEWORK_FILE, ("domains", index), message))
        seen.add(stem)
    listed = {f"{stem}.yaml" for stem in stems} | {FRAMEWORK_FILE}
    for name in sorted(set(files) - listed):
        message = f"{name} is in the folder but not listed (list it or remove it)"
        findings.append(Finding(FRAMEWORK_FILE, ("domains",), message))
    return findings


def check_standards(
    file: str, domain_id: str | None, standards: Iterable[tuple[int, StandardDocument]]
) -> list[Finding]:
    """Check each standard: id prefixes, target on the scale, scored questions, question rules.

    Takes (index, standard) pairs so that the standards that did validate are checked even when
    others in the same file did not; `domain_id` is None when the domain's own id is unusable.
    """
    findings = []
    for index, standard in standards:
        path: DataPath = ("standards", index)
        if domain_id is not None and not standard.id.startswith(f"{domain_id}-"):
            message = f"standard id {standard.id} does not start with the domain id {domain_id}-"
            findings.append(Finding(file, (*path, "id"), message))
        if standard.target not in SCALE:
            message = f"target {standard.target} is not a level on the scale (1..5)"
            findings.append(Finding(file, (*path, "target"), message))
        if not any(question.scored for question in standard.questions):
            message = "no scored question: add a maturity, yes_no or metric question"
            findings.append(Finding(file, (*path, "questions"), message))
        for number, question in enumerate(standard.questions):
            findings += check_question(file, (*path, "questions", number), standard.id, question)
    return findings


def check_question(
    file: str, path: DataPath, standard_id: str | None, question: QuestionDocument
) -> list[Finding]:
    """Check one question: its id prefix (unless standard_id is None) and its kind's rules."""
    findings = []
    if standard_id is not None and not question.id.startswith(f"{standard_id}."):
        message = f"question id {question.id} does not start with the standard id {standard_id}."
        findings.append(Finding(file, (*path, "id"), message))
    if isinstance(question, MaturityQuestionDocument):
        findings += _check_levels(file, (*path, "levels"), question.levels)
    elif isinstance(question, MetricQuestionDocument):
        findings += _check_metric(file, path, question)
    return findings


def _check_levels(file: str, path: DataPath, levels: dict[int, str]) -> list[Finding]:
    findings = []
    for level in SCALE:
        if level not in levels:
            findings.append(Finding(file, path, f"level {level} has no descriptor"))
        elif not levels[level].strip():
            findings.append(Finding(file, (*path, level), f"level {level} has no descriptor"))
    for level in sorted(set(levels) - set(SCALE)):
        message = f"level {level} is not on the scale (1..5)"
        findings.append(Finding(file, (*path, level), message))
    return findings


def _check_metric(file: str, path: DataPath, question: MetricQuestionDocument) -> list[Finding]:
    findings = []
    thresholds = question.thresholds
    where = (*path, "thresholds")
    for level in THRESHOLD_LEVELS:
        if level not in thresholds:
            findings.append(Finding(file, where, f"level {level} has no threshold"))
    for level in sorted(set(thresholds) - set(THRESHOLD_LEVELS)):
        message = f"level {level} takes no threshold (thresholds name levels 2..5)"
        findings.append(Finding(file, (*where, level), message))
    present = [level for level in THRESHOLD_LEVELS if level in thresholds]
    for lower, upper in pairwise(present):
        low, high = thresholds[lower], thresholds[upper]
        rises = question.better == "higher"
        if (high <= low) if rises else (high >= low):
            message = (
                f"threshold for level {upper} ({_number(high)}) must be "
                f"{'above' if rises else 'below'} level {lower}'s ({_number(low)}) "
                f"because better is {question.better}"
            )
            findings.append(Finding(file, (*where, upper), message))
    target = question.target
    if question.min is not None and target < question.min:
        message = f"target {_number(target)} is below min {_number(question.min)}"
        findings.append(Finding(file, (*path, "target"), message))
    if question.max is not None and target > question.max:
        message = f"target {_number(target)} is above max {_number(question.max)}"
        findings.append(Finding(file, (*path, "target"), message))
    return findings


def check_unique_ids(sites: Iterable[IdSite]) -> list[Finding]:
    """Ids are unique across the framework: report each repeat, pointing at the first."""
    first: dict[str, IdSite] = {}
    findings = []
    for site in sites:
        if site.id in first:
            earlier = first[site.id]
            finding = Finding(
                site.file, site.path, f"duplicate id {site.id}", (earlier.file, earlier.path)
            )
            findings.append(finding)
        else:
            first[site.id] = site
    return findings


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
