"""Check framework folders and summarize each as one OK line or its problems, one per line.

`python -m selfassess.questionbank` and the app's `questions check` command both print what
`check_paths` returns, and fail when any line is not an OK line.
"""

import argparse
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from selfassess.questionbank.cross_checks import FRAMEWORK_FILE
from selfassess.questionbank.loader import discover_frameworks, load_framework
from selfassess.questionbank.problems import WHOLE_FILE, Problem, QuestionBankError

#: The repository's questions/ folder, checked when no path is given.
QUESTIONS_ROOT = Path(__file__).resolve().parents[2] / "questions"
#: Where the source documents are by default: questions/sources/ in the repository.
SOURCES_ROOT = Path(__file__).resolve().parents[2] / "questions" / "sources"
#: Lines starting with this report a framework that loaded cleanly; any other line is a problem.
OK_PREFIX = "OK "


def check_paths(
    paths: Iterable[str | Path] = (),
    *,
    root: Path = QUESTIONS_ROOT,
    documents_dir: Path | None = SOURCES_ROOT,
) -> list[str]:
    """Check each path (a framework folder or a folder of them); with none, every one under root.

    Returns one `OK <id> <version>: ...` line per clean framework and one line per problem.
    Sources' `document:` files are looked for in `documents_dir` (None: not checked).
    """
    given = [Path(path) for path in paths]
    if not given:
        folders = discover_frameworks(root)
        if not folders:
            return [str(Problem(root.as_posix(), 1, WHOLE_FILE, "no framework folders found"))]
        return [line for folder in folders for line in _check(folder, root.parent, documents_dir)]
    lines = []
    for path in given:
        if (path / FRAMEWORK_FILE).is_file():
            lines += _check(path, None, documents_dir)
        elif folders := discover_frameworks(path):
            lines += [line for folder in folders for line in _check(folder, None, documents_dir)]
        else:
            message = "not a framework folder (no framework.yaml here or in its subfolders)"
            lines.append(str(Problem(path.as_posix(), 1, WHOLE_FILE, message)))
    return lines


def failed(lines: Iterable[str]) -> bool:
    """Whether the lines from check_paths report any problem."""
    return any(not line.startswith(OK_PREFIX) for line in lines)


def _check(folder: Path, display_root: Path | None, documents_dir: Path | None) -> list[str]:
    try:
        framework = load_framework(folder, display_root=display_root, documents_dir=documents_dir)
    except QuestionBankError as exc:
        return [str(problem) for problem in exc.errors]
    standards = sum(1 for _ in framework.standards())
    questions = sum(1 for _ in framework.questions())
    return [
        f"{OK_PREFIX}{framework.id} {framework.version}: {len(framework.domains)} domains, "
        f"{standards} standards, {questions} questions"
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the check of the given folders (default: all in questions/); return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m selfassess.questionbank", description="Check question-bank folders."
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="framework folder(s)")
    # The command line is the edge where the environment may speak, as for `flask questions check`.
    default_sources = Path(os.environ.get("SOURCES_DIR", SOURCES_ROOT))
    parser.add_argument(
        "--sources",
        type=Path,
        default=default_sources,
        help="folder of the source documents (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    lines = check_paths(args.paths, documents_dir=args.sources)
    for line in lines:
        print(line)
    return 1 if failed(lines) else 0
