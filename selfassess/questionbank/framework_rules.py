"""Rules that need the whole framework: citations, source documents, lineage, and `scoring: gated`.

They run once every file has validated, on the loaded FrameworkDocument, and return Findings
that name the file and data path like the per-file rules in cross_checks.py. Gated frameworks
(2.0 onward) ask more of their files than 1.0 did: every standard cites a source and says which
of its settings are design choices, every yes/no member question is the evidence criterion of a
level, and every metric has an NHS definition and a stated basis for its thresholds.
"""

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from selfassess.questionbank.cross_checks import FRAMEWORK_FILE, Finding
from selfassess.questionbank.documents import (
    FrameworkDocument,
    MaturityQuestionDocument,
    MetricQuestionDocument,
    QuestionDocument,
    StandardDocument,
    YesNoQuestionDocument,
)
from selfassess.questionbank.kinds import AnsweredBy, ScoringRule
from selfassess.questionbank.problems import QuestionBankError
from selfassess.questionbank.yamlmap import DataPath

#: Loads the framework a `continues:` names (a folder name beside this framework's folder);
#: raises QuestionBankError if it is missing or broken.
Predecessor = Callable[[str], FrameworkDocument]


def cited_keys(citation: str) -> list[str]:
    """Return the source keys a `source:` citation names: the first word of each `;` part."""
    return [part.split()[0] for part in citation.split(";") if part.strip()]


def check_framework(
    framework: FrameworkDocument,
    stems: Sequence[str],
    documents_dir: Path | None,
    load_previous: Predecessor,
) -> list[Finding]:
    """Check the rules that span the framework; `stems` are its domain files in order."""
    sites = list(_standard_sites(framework, stems))
    findings = _check_citations(framework, sites)
    findings += _check_documents(framework, documents_dir)
    findings += _check_lineage(framework, sites, load_previous)
    for file, path, standard in sites:
        findings += _check_kinds_for_rule(framework.scoring, file, path, standard)
    return findings


def _standard_sites(
    framework: FrameworkDocument, stems: Sequence[str]
) -> Iterator[tuple[str, DataPath, StandardDocument]]:
    for stem, domain in zip(stems, framework.domains, strict=True):
        for index, standard in enumerate(domain.standards):
            yield f"{stem}.yaml", ("standards", index), standard


def _check_citations(
    framework: FrameworkDocument, sites: list[tuple[str, DataPath, StandardDocument]]
) -> list[Finding]:
    keys = {source.key for source in framework.sources}
    gated = framework.scoring == ScoringRule.GATED
    findings = []
    for file, path, standard in sites:
        if standard.source is None:
            if gated:
                message = "a standard in a gated framework cites its source (source: KEY section)"
                findings.append(Finding(file, path, message))
            continue
        for key in cited_keys(standard.source):
            if key not in keys:
                message = f"cites {key!r}, which is not a source key in framework.yaml"
                findings.append(Finding(file, (*path, "source"), message))
    return findings


def _check_documents(framework: FrameworkDocument, documents_dir: Path | None) -> list[Finding]:
    findings = []
    for index, source in enumerate(framework.sources):
        path = ("sources", index)
        if source.document is None:
            if framework.scoring == ScoringRule.GATED:
                message = "a gated framework names each source's document (document: FILE)"
                findings.append(Finding(FRAMEWORK_FILE, path, message))
        elif documents_dir is not None and not (documents_dir / source.document).is_file():
            message = f"source document {source.document} not found in {documents_dir.as_posix()}"
            findings.append(Finding(FRAMEWORK_FILE, (*path, "document"), message))
    return findings


def _check_lineage(
    framework: FrameworkDocument,
    sites: list[tuple[str, DataPath, StandardDocument]],
    load_previous: Predecessor,
) -> list[Finding]:
    if framework.continues is None:
        return [
            Finding(file, (*path, "continues"), "framework.yaml names no version to continue")
            for file, path, standard in sites
            if standard.continues is not None
        ]
    try:
        previous = load_previous(framework.continues)
    except QuestionBankError as error:
        message = f"cannot load {framework.continues} beside this folder: {_first_line(error)}"
        return [Finding(FRAMEWORK_FILE, ("continues",), message)]
    known = {standard.id for _, standard in previous.standards()}
    findings = []
    for file, path, standard in sites:
        if standard.continues is None:
            message = f"say which {framework.continues} standards this continues ([] if none)"
            findings.append(Finding(file, path, message))
            continue
        for index, old in enumerate(standard.continues):
            if old not in known:
                message = f"{old} is not a standard of {framework.continues}"
                findings.append(Finding(file, (*path, "continues", index), message))
    return findings


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0]


def _check_kinds_for_rule(
    rule: str, file: str, path: DataPath, standard: StandardDocument
) -> list[Finding]:
    """Check the questions of one standard against what its framework's scoring rule needs."""
    findings = []
    members = [q for q in standard.questions if q.answered_by == AnsweredBy.MEMBER]
    for number, question in enumerate(standard.questions):
        where = (*path, "questions", number)
        findings += _check_question_for_rule(rule, file, where, question)
    if rule != ScoringRule.GATED:
        return findings
    if standard.basis is None:
        message = (
            "say whether the target and core flag come from a source or are an alliance "
            "choice (basis: {target: ..., core: ...})"
        )
        findings.append(Finding(file, path, message))
    has_maturity = any(isinstance(q, MaturityQuestionDocument) for q in members)
    has_metric = any(isinstance(q, MetricQuestionDocument) for q in members)
    has_criteria = any(isinstance(q, YesNoQuestionDocument) for q in members)
    if has_metric and (has_maturity or has_criteria):
        message = (
            "a gated standard is either maturity with criteria or metrics only; "
            "move the metrics to a metric standard"
        )
        findings.append(Finding(file, (*path, "questions"), message))
    elif has_criteria and not has_maturity:
        message = "criteria (yes/no questions) gate a maturity claim: add a maturity question"
        findings.append(Finding(file, (*path, "questions"), message))
    return findings


def _check_question_for_rule(
    rule: str, file: str, path: DataPath, question: QuestionDocument
) -> list[Finding]:
    findings = []
    alliance = question.answered_by == AnsweredBy.ALLIANCE
    if isinstance(question, YesNoQuestionDocument):
        gates = question.gates_level
        if gates is not None and (rule != ScoringRule.GATED or alliance):
            message = (
                "gates_level applies only to member criteria in a framework with scoring: gated"
            )
            findings.append(Finding(file, (*path, "gates_level"), message))
        if rule == ScoringRule.GATED and not alliance:
            if gates is None:
                message = "a yes/no member question in a gated framework names the level it gates"
                findings.append(Finding(file, path, f"{message} (gates_level: 2..5)"))
            if "yes_level" in question.model_fields_set:
                message = "yes_level is for averaged frameworks; a criterion uses gates_level"
                findings.append(Finding(file, (*path, "yes_level"), message))
            if not question.required:
                message = "a criterion must be answered: it cannot be optional"
                findings.append(Finding(file, (*path, "required"), message))
    if isinstance(question, MetricQuestionDocument) and rule == ScoringRule.GATED and not alliance:
        if question.definition is None:
            message = "a metric in a gated framework has a definition (measure, source, period)"
            findings.append(Finding(file, path, message))
        if question.thresholds_basis is None:
            message = "say where the thresholds come from (thresholds_basis)"
            findings.append(Finding(file, path, message))
        if not question.required:
            message = "metrics in a gated framework are required, so none can be left out"
            findings.append(Finding(file, (*path, "required"), message))
    return findings
