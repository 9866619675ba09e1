"""Place each problem of a written framework beside the form field it is about.

The app checks what a coordinator typed by writing it as the repository's files and running the
one checker (`check_files`), whose problems name a file, a line and a field of that file
(`governance.yaml:120: standards[2].questions[0].levels.3: ...`). A form shows fields of the
document instead, so each problem's file and field become one path in the FrameworkDocument:

- framework.yaml's fields are the document's own: `title`, `sources[1].document`, `scale[2]`;
  its `domains[i]` names the i-th domain's file, which is the document's `domains[i]` too;
- a domain file's field gets its domain in front: `domains[2].standards[0].questions[1].text`;
- `aliases` rename a prefix, so that parts being authored are named by their code instead of
  their place in the written files: `standards[ORTH-1].statement`;
- a problem with no field (a file that is not YAML, an empty or missing file) or in a file the
  framework does not list maps to no field, and goes to the form's summary.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from selfassess.questionbank.cross_checks import FRAMEWORK_FILE
from selfassess.questionbank.problems import WHOLE_FILE, Problem


@dataclass(frozen=True)
class FieldProblem:
    """A message and the document path of the field it is about (None: for the summary).

    `problem` is the checker's Problem with its file and line, for a reviewer of the files; None
    for a draft that could not be written into any file (see drafting.py).
    """

    field: str | None
    message: str
    problem: Problem | None = None


def field_problems(
    problems: Iterable[Problem],
    stems: Sequence[str],
    *,
    label_root: str = "",
    aliases: Mapping[str, str] | None = None,
) -> list[FieldProblem]:
    """Map each problem of a framework's files, in order; `stems` name its domain files in order.

    Files are recognised by their label (`label_root/name`, as `check_files` was given).
    """
    return [
        FieldProblem(
            document_path(problem, stems, label_root, aliases or {}), problem.message, problem
        )
        for problem in problems
    ]


def document_path(
    problem: Problem,
    stems: Sequence[str],
    label_root: str = "",
    aliases: Mapping[str, str] | None = None,
) -> str | None:
    """Return the document path a problem is about, or None when it names no field."""
    prefix = f"{label_root}/" if label_root else ""
    if problem.field == WHOLE_FILE or not problem.file.startswith(prefix):
        return None
    name = problem.file[len(prefix) :]
    domain_files = [f"{stem}.yaml" for stem in stems]
    if name == FRAMEWORK_FILE:
        path = problem.field
    elif name in domain_files:
        path = f"domains[{domain_files.index(name)}].{problem.field}"
    else:
        return None
    return _alias(path, aliases or {})


def _alias(path: str, aliases: Mapping[str, str]) -> str:
    """Rename the longest prefix of `path` that `aliases` knows, at a step boundary."""
    for prefix in sorted(aliases, key=len, reverse=True):
        if path == prefix or path.startswith((f"{prefix}.", f"{prefix}[")):
            return aliases[prefix] + path[len(prefix) :]
    return path
