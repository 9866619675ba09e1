"""Load a framework folder into a Framework, or raise QuestionBankError with every problem in it."""

import hashlib
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from selfassess.questionbank import checks
from selfassess.questionbank.checks import FRAMEWORK_FILE, Finding, IdSite
from selfassess.questionbank.models import Domain, Framework, FrameworkFile, ScaleLevel, Standard
from selfassess.questionbank.problems import WHOLE_FILE, Problem, QuestionBankError
from selfassess.questionbank.validation import validate
from selfassess.questionbank.yamlmap import YamlDoc, read_yaml

_SCALE = TypeAdapter(list[ScaleLevel])


def discover_frameworks(root: Path) -> list[Path]:
    """Return the folders directly under `root` that hold a framework.yaml, sorted by name."""
    return sorted(path.parent for path in Path(root).glob(f"*/{FRAMEWORK_FILE}") if path.is_file())


def content_hash(folder: Path) -> str:
    """Return a sha256 over the folder's YAML files (sorted names and bytes): the snapshot identity."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).glob("*.yaml")):
        if path.is_file():
            data = path.read_bytes()
            # length-prefixed, so moving bytes between a name and its contents changes the hash
            digest.update(f"{path.name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def load_framework(folder: Path, *, display_root: Path | None = None) -> Framework:
    """Read framework.yaml and its domain files, check every rule, and return the Framework.

    Problems name files relative to `display_root` when given (e.g. the repository, for
    `questions/<folder>/governance.yaml`), else as `folder / name`. All problems in all files are
    collected before QuestionBankError is raised.
    """
    return _Load(Path(folder), display_root).run()


class _Load:
    """One load of one folder: the parsed files and the problems found so far."""

    def __init__(self, folder: Path, display_root: Path | None) -> None:
        self.folder = folder
        self.display_root = display_root
        self.docs: dict[str, YamlDoc] = {}
        self.labels: list[str] = []  # in reading order, which is the order problems are listed in
        self.problems: list[Problem] = []
        self.findings: list[Finding] = []
        self.ids: list[IdSite] = []

    def run(self) -> Framework:
        head, stems = self._framework_file()
        files = {path.name for path in self.folder.glob("*.yaml") if path.is_file()}
        if FRAMEWORK_FILE in self.docs:
            self.findings += checks.check_domain_files(stems, files)
        read = [self._domain(stem) for stem in dict.fromkeys(stems) if f"{stem}.yaml" in files]
        domains = [domain for domain in read if domain is not None]
        self.findings += checks.check_unique_ids(self.ids)
        self.problems += [self._locate(finding) for finding in self.findings]
        if self.problems or head is None or len(domains) != len(read):
            raise QuestionBankError(self._sorted_problems())
        fields = {name: getattr(head, name) for name in type(head).model_fields if name != "domains"}
        return Framework(**fields, domains=domains)

    def _framework_file(self) -> tuple[FrameworkFile | None, list[str]]:
        doc = self._read(FRAMEWORK_FILE)
        if doc is None:
            return None, []
        head, problems = validate(FrameworkFile, doc)
        self.problems += problems
        if head is not None:
            self.findings += checks.check_scale(head.scale)
            return head, list(head.domains)
        # Salvage what we can so the domain files are still checked this run.
        data = doc.data if isinstance(doc.data, dict) else {}
        try:
            self.findings += checks.check_scale(_SCALE.validate_python(data.get("scale")))
        except ValidationError:
            pass  # already reported by validate()
        stems = data.get("domains")
        return None, [s for s in stems if isinstance(s, str)] if isinstance(stems, list) else []

    def _domain(self, stem: str) -> Domain | None:
        name = f"{stem}.yaml"
        doc = self._read(name)
        if doc is None:
            return None
        domain, problems = validate(Domain, doc)
        self.problems += problems
        if domain is not None:
            domain_id: str | None = domain.id
            standards = list(enumerate(domain.standards))
        else:
            # Check the standards that are valid on their own, so one typo does not hide other rules.
            data = doc.data if isinstance(doc.data, dict) else {}
            raw_id = data.get("id")
            domain_id = raw_id if isinstance(raw_id, str) and raw_id else None
            raw = data.get("standards")
            standards = _valid_standards(raw if isinstance(raw, list) else [])
        if domain_id is not None:
            self.ids.append(IdSite(name, ("id",), domain_id))
        for index, standard in standards:
            self.ids.append(IdSite(name, ("standards", index, "id"), standard.id))
            for number, question in enumerate(standard.questions):
                path = ("standards", index, "questions", number, "id")
                self.ids.append(IdSite(name, path, question.id))
        self.findings += checks.check_standards(name, domain_id, standards)
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


def _valid_standards(raw: list[object]) -> list[tuple[int, Standard]]:
    valid = []
    for index, item in enumerate(raw):
        try:
            valid.append((index, Standard.model_validate(item)))
        except ValidationError:
            continue  # its errors came with the domain's
    return valid


def _label(path: Path, display_root: Path | None) -> str:
    if display_root is not None and path.is_relative_to(display_root):
        return path.relative_to(display_root).as_posix()
    return path.as_posix()
