"""Check a framework's files and load them into a FrameworkDocument, with every problem found.

One path for every source of files: a folder is read into a mapping of file name to content
(`read_folder`), and `load_framework` (folders: the check command, snapshots) and `check_files`
(files held in memory: an upload, a draft written in the app) both run that mapping through
`_Check`, so the same content gives the same problems, message for message.
"""

import hashlib
import posixpath
from collections.abc import Callable, Mapping, Sequence
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
from selfassess.questionbank.yamlmap import YamlDoc, parse_yaml


def discover_frameworks(root: Path) -> list[Path]:
    """Return the folders directly under `root` that hold a framework.yaml, sorted by name."""
    return sorted(path.parent for path in Path(root).glob(f"*/{FRAMEWORK_FILE}") if path.is_file())


def content_hash(folder: Path) -> str:
    """Return the sha256 of the folder's YAML files (sorted names and bytes): a snapshot's id."""
    return files_hash(read_folder(folder))


def files_hash(files: Mapping[str, str | bytes]) -> str:
    """Return the sha256 of a framework's files held in memory, as `content_hash` of a folder.

    Text is hashed as its UTF-8 bytes, so exported files written into a folder hash the same.
    """
    digest = hashlib.sha256()
    for name in sorted(files):
        content = files[name]
        data = content.encode("utf-8") if isinstance(content, str) else content
        # length-prefixed, so moving bytes between a name and its contents changes the hash
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def read_folder(folder: Path) -> dict[str, bytes]:
    """Return the folder's YAML files, name -> bytes, sorted by name: what `check_files` takes."""
    paths = sorted(path for path in Path(folder).glob("*.yaml") if path.is_file())
    return {path.name: path.read_bytes() for path in paths}


def load_framework(
    folder: Path, *, display_root: Path | None = None, documents_dir: Path | None = None
) -> FrameworkDocument:
    """Read framework.yaml and its domain files, check every rule, and return the Framework.

    Problems name files relative to `display_root` when given (e.g. the repository, for
    `questions/<folder>/governance.yaml`), else as `folder / name`. All problems in all files are
    collected before QuestionBankError is raised. With `documents_dir`, each source's `document`
    must be a file there (the check command passes it; importing a snapshot does not need it).
    The folder a `continues:` names is loaded from beside this one.
    """
    folder = Path(folder)

    def previous(name: str) -> FrameworkDocument:
        return load_framework(folder.parent / name, display_root=display_root)

    framework, problems = _Check(
        read_folder(folder), _folder_label(folder, display_root), documents_dir, previous
    ).run()
    if framework is None:
        raise QuestionBankError(problems)
    return framework


def check_files(
    files: Mapping[str, str | bytes],
    *,
    label_root: str = "",
    documents_dir: Path | None = None,
    previous: Mapping[str, FrameworkDocument] | None = None,
) -> tuple[FrameworkDocument | None, list[Problem]]:
    """Check a framework held in memory (file name -> content) exactly as `load_framework` would.

    Returns the framework and no problems, or None and every problem. Problems name files as
    `label_root/name` (just `name` when `label_root` is empty), so the same content checked here
    and as a folder at `label_root` gives the same messages. `previous` holds the frameworks a
    `continues:` may name, by that name (a folder name); one not there cannot be loaded, as a
    folder not beside this one. Names not ending in .yaml are ignored, as in a folder.
    """
    known: Mapping[str, FrameworkDocument] = previous or {}  # looked up lazily, never copied

    def load_previous(name: str) -> FrameworkDocument:
        if name not in known:
            label = posixpath.join(posixpath.dirname(label_root), name, FRAMEWORK_FILE)
            raise QuestionBankError([Problem(label, 1, WHOLE_FILE, "file not found")])
        return known[name]

    yaml_files = {name: text for name, text in files.items() if name.endswith(".yaml")}
    return _Check(yaml_files, label_root, documents_dir, load_previous).run()


def domain_stems(files: Mapping[str, str | bytes]) -> list[str]:
    """Return the domain file stems framework.yaml lists, in order, for files that check clean.

    A FrameworkDocument does not keep its files' names; writing it again with these keeps them.
    """
    doc = parse_yaml(files[FRAMEWORK_FILE], FRAMEWORK_FILE)
    head, problems = (
        (None, [doc]) if isinstance(doc, Problem) else validate(FrameworkFileDocument, doc)
    )
    if head is None:
        raise QuestionBankError(problems)
    return list(head.domains)


class _Check:
    """One check of one framework's files: the parsed files and the problems found so far."""

    def __init__(
        self,
        files: Mapping[str, str | bytes],
        label_root: str,
        documents_dir: Path | None,
        load_previous: Callable[[str], FrameworkDocument],
    ) -> None:
        self.files = files
        self.label_root = label_root
        self.documents_dir = documents_dir
        self.load_previous = load_previous
        self.docs: dict[str, YamlDoc] = {}
        self.labels: list[str] = []  # in reading order, which is the order problems are listed in
        self.problems: list[Problem] = []
        self.findings: list[Finding] = []
        self.ids: list[IdSite] = []

    def run(self) -> tuple[FrameworkDocument | None, list[Problem]]:
        head, stems = self._framework_file()
        files = set(self.files)
        if FRAMEWORK_FILE in self.docs:
            self.findings += cross_checks.check_domain_files(stems, files)
        listed = [stem for stem in dict.fromkeys(stems) if stem and f"{stem}.yaml" in files]
        read = [self._domain(stem) for stem in listed]
        domains = [domain for domain in read if domain is not None]
        self.findings += cross_checks.check_unique_ids(self.ids)
        self.problems += [self._locate(finding) for finding in self.findings]
        if self.problems or head is None or len(domains) != len(read):
            return None, self._sorted_problems()
        # exclude_unset keeps which optional fields the file wrote, for the writer to write again
        fields = head.model_dump(exclude={"domains"}, exclude_unset=True)
        framework = FrameworkDocument.model_validate({**fields, "domains": domains})
        findings = framework_rules.check_framework(
            framework, listed, self.documents_dir, self.load_previous
        )
        if findings:
            return None, [self._locate(finding) for finding in findings]
        return framework, []

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
        label = f"{self.label_root}/{name}" if self.label_root else name
        self.labels.append(label)
        content = self.files.get(name)
        if content is None:
            self.problems.append(Problem(label, 1, WHOLE_FILE, "file not found"))
            return None
        doc = parse_yaml(content, label)
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


def _folder_label(folder: Path, display_root: Path | None) -> str:
    """Name the folder as its files' labels start: relative to `display_root` when inside it."""
    if display_root is not None and folder.is_relative_to(display_root):
        relative = folder.relative_to(display_root).as_posix()
        return "" if relative == "." else relative
    return "" if folder.as_posix() == "." else folder.as_posix()
