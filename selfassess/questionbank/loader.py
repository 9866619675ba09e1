"""Load a framework folder into a Framework, or raise QuestionBankError with every problem in it."""

import hashlib
from collections.abc import Sequence
from pathlib import Path

from selfassess.questionbank import cross_checks, framework_rules
from selfassess.questionbank.cross_checks import FRAMEWORK_FILE, Finding, IdSite
from selfassess.questionbank.documents import (
    DomainDocument,
    FrameworkDocument,
    FrameworkFileDocument,
)
from selfassess.questionbank.problems import WHOLE_FILE, Problem, QuestionBankError
from selfassess.questionbank.salvage import DomainParts, domain_parts, framework_parts
from selfassess.questionbank.validation import validate
from selfassess.questionbank.yamlmap import YamlDoc, read_yaml


def discover_frameworks(root: Path) -> list[Path]:
    """Return the folders directly under `root` that hold a framework.yaml, sorted by name."""
    return sorted(path.parent for path in Path(root).glob(f"*/{FRAMEWORK_FILE}") if path.is_file())


def content_hash(folder: Path) -> str:
    """Return the sha256 of the folder's YAML files (sorted names and bytes): a snapshot's id."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).glob("*.yaml")):
        if path.is_file():
            data = path.read_bytes()
            # length-prefixed, so moving bytes between a name and its contents changes the hash
            digest.update(f"{path.name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def load_framework(
    folder: Path, *, display_root: Path | None = None, documents_dir: Path | None = None
) -> FrameworkDocument:
    """Read framework.yaml and its domain files, check every rule, and return the Framework.

    Problems name files relative to `display_root` when given (e.g. the repository, for
    `questions/<folder>/governance.yaml`), else as `folder / name`. All problems in all files are
    collected before QuestionBankError is raised. With `documents_dir`, each source's `document`
    must be a file there (the check command passes it; importing a snapshot does not need it).
    """
    return _Load(Path(folder), display_root, documents_dir).run()


class _Load:
    """One load of one folder: the parsed files and the problems found so far."""

    def __init__(
        self, folder: Path, display_root: Path | None, documents_dir: Path | None = None
    ) -> None:
        self.folder = folder
        self.display_root = display_root
        self.documents_dir = documents_dir
        self.docs: dict[str, YamlDoc] = {}
        self.labels: list[str] = []  # in reading order, which is the order problems are listed in
        self.problems: list[Problem] = []
        self.findings: list[Finding] = []
        self.ids: list[IdSite] = []

    def run(self) -> FrameworkDocument:
        head, stems = self._framework_file()
        files = {path.name for path in self.folder.glob("*.yaml") if path.is_file()}
        if FRAMEWORK_FILE in self.docs:
            self.findings += cross_checks.check_domain_files(stems, files)
        listed = [stem for stem in dict.fromkeys(stems) if stem and f"{stem}.yaml" in files]
        read = [self._domain(stem) for stem in listed]
        domains = [domain for domain in read if domain is not None]
        self.findings += cross_checks.check_unique_ids(self.ids)
        self.problems += [self._locate(finding) for finding in self.findings]
        if self.problems or head is None or len(domains) != len(read):
            raise QuestionBankError(self._sorted_problems())
        # exclude_unset keeps which optional fields the file wrote, for the writer to write again
        fields = head.model_dump(exclude={"domains"}, exclude_unset=True)
        framework = FrameworkDocument.model_validate({**fields, "domains": domains})
        findings = framework_rules.check_framework(
            framework, listed, self.folder, self.documents_dir, load_framework
        )
        if findings:
            raise QuestionBankError([self._locate(finding) for finding in findings])
        return framework

    def _framework_file(self) -> tuple[FrameworkFileDocument | None, Sequence[str | None]]:
        doc = self._read(FRAMEWORK_FILE)
        if doc is None:
            return None, []
        head, problems = validate(FrameworkFileDocument, doc)
        self.problems += problems
        scale, stems = (
            (head.scale, list(head.domains)) if head is not None else framework_parts(doc.data)
        )
        if scale is not None:
            self.findings += cross_checks.check_scale(scale)
        return head, stems

    def _domain(self, stem: str) -> DomainDocument | None:
        name = f"{stem}.yaml"
        doc = self._read(name)
        if doc is None:
            return None
        domain, problems = validate(DomainDocument, doc)
        self.problems += problems
        parts = DomainParts.of(domain) if domain is not None else domain_parts(doc.data)
        self.ids += [IdSite(name, path, found) for path, found in parts.ids()]
        self.findings += cross_checks.check_standards(name, parts.domain_id, parts.standards)
        for loose in parts.loose:
            self.findings += cross_checks.check_question(
                name, loose.path, loose.standard_id, loose.question
            )
        return domain

    def _read(self, name: str) -> YamlDoc | None:
        path = self.folder / name
        label = _label(path, self.display_root)
        self.labels.append(label)
        if not path.is_file():
            self.problems.append(Problem(label, 1, WHOLE_FILE, "file not found"))
            return None
        doc = read_yaml(path, label)
        if isinstance(doc, Problem):
            self.problems.append(doc)
            return None
        self.docs[name] = doc
        self.problems += doc.problems
        return doc

    def _locate(self, finding: Finding) -> Problem:
        doc = self.docs[finding.file]
        message = finding.message
        if finding.first is not None:
            file, path = finding.first
            message += f" (first at {self.docs[file].label}:{self.docs[file].line(path)})"
        return doc.problem(finding.path, message)

    def _sorted_problems(self) -> list[Problem]:
        order = {label: rank for rank, label in enumerate(self.labels)}
        return sorted(self.problems, key=lambda p: (order.get(p.file, len(order)), p.line))


def _label(path: Path, display_root: Path | None) -> str:
    if display_root is not None and path.is_relative_to(display_root):
        return path.relative_to(display_root).as_posix()
    return path.as_posix()
