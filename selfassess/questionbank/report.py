"""Check framework folders and summarize each as one OK line or its problems, one per line.

`python -m selfassess.questionbank` and the app's `questions check` command both print what
`check_paths` returns, and fail when any line is not an OK line.
"""

import argparse
from collections.abc import Iterable, Sequence
from pathlib import Path

from selfassess.questionbank.cross_checks import FRAMEWORK_FILE
from selfassess.questionbank.loader import discover_frameworks, load_framework
from selfassess.questionbank.problems import WHOLE_FILE, Problem, QuestionBankError

#: The repository's questions/ folder, checked when no path is given.
QUESTIONS_ROOT = Path(__file__).resolve().parents[2] / "questions"
#: Lines starting with this report a framework that loaded cleanly; any other line is a problem.
OK_PREFIX = "OK "


def check_paths(paths: Iterable[str | Path] = (), *, root: Path = QUESTIONS_ROOT) -> list[str]:
    """Check each path (a framework folder or a folder of them); with none, every one under root.

    Returns one `OK <id> <version>: ...` line per clean framework and one line per problem.
    """
    given = [Path(path) for path in paths]
    if not given:
        folders = discover_frameworks(root)
        if not folders:
            return [str(Problem(root.as_posix(), 1, WHOLE_FILE, "no framework folders found"))]
        return [line for folder in folders for line in _check(folder, root.parent)]
    lines = []
    for path in given:
        if (path / FRAMEWORK_FILE).is_file():
            lines += _check(path, None)
        elif folders := discover_frameworks(path):
            lines += [line for folder in folders for line in _check(folder, None)]
        else:
            message = "not a framework folder (no framework.yaml here or in its subfolders)"
            lines.append(str(Problem(path.as_posix(), 1, WHOLE_FILE, message)))
    return lines


def failed(lines: Iterable[str]) -> bool:
    """Whether the lines from check_paths report any problem."""
    return any(not line.startswith(OK_PREFIX) for line in lines)


def _check(folder: Path, display_root: Path | None) -> list[str]:
    try:
        framework = load_framework(folder, display_root=display_root)
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
    args = parser.parse_args(argv)
    lines = check_paths(args.paths)
    for line in lines:
        print(line)
    return 1 if failed(lines) else 0
