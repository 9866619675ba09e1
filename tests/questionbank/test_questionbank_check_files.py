"""check_files: the same content checked in memory and as a folder gives the same problems."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from selfassess.questionbank import (
    FrameworkDocument,
    QuestionBankError,
    check_files,
    check_paths,
    content_hash,
    domain_stems,
    files_hash,
    load_framework,
)
from selfassess.questionbank.report import OK_PREFIX, SOURCES_ROOT

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
V1, V2 = "alliance-maturity-1.0", "alliance-maturity-2.0"


def replace(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert text.count(old) >= count, f"{old!r} not found"
        return text.replace(old, new, count)

    return edit


#: name -> (file, edit of its text, or None to delete the file; a message the check must give)
BREAKAGES: dict[str, tuple[str, Callable[[str], str] | None, str]] = {
    "bad YAML": ("governance.yaml", replace("core: true", "core: [true"), "YAML syntax error"),
    "unknown field": ("governance.yaml", replace("  weight: 2\n", "  wieght: 2\n"), "did you mean"),
    "duplicate ids": ("governance.yaml", replace("id: GOV-1.2", "id: GOV-1.1"), "duplicate id"),
    "duplicate key": (
        "governance.yaml",
        replace("  core: true\n", "  core: true\n  core: false\n"),
        "duplicate key",
    ),
    "gate above the scale": ("governance.yaml", replace("gates_level: 3", "gates_level: 7"), "5"),
    "criteria with no maturity claim to gate": (
        "governance.yaml",
        replace(
            "    type: maturity\n    text: How clearly",
            "    type: maturity\n    answered_by: alliance\n    text: How clearly",
        ),
        "add a maturity question",
    ),
    "continues a standard the previous version lacks": (
        "governance.yaml",
        replace("  continues:\n  - GOV-3\n", "  continues:\n  - GOV-99\n"),
        "GOV-99 is not a standard of alliance-maturity-1.0",
    ),
    "cites a source the framework lacks": (
        "governance.yaml",
        replace("source: ACC-2018 3.16", "source: NOPE 3.16"),
        "'NOPE', which is not a source key",
    ),
    "thresholds out of order": (
        "metrics.yaml",
        replace("          4: 80\n", "          4: 60\n"),
        "must be above",
    ),
    "a domain file missing": ("data.yaml", None, "no file data.yaml beside framework.yaml"),
    "a file not listed": ("framework.yaml", replace("  - quality\n", ""), "is in the folder but"),
    "an unknown question type": (
        "governance.yaml",
        replace("type: yes_no", "type: yesno"),
        "yes_no",
    ),
    "a source document not in the sources folder": (
        "framework.yaml",
        replace("document: 000_0a6ff9493a636c38.txt", "document: missing.txt"),
        "source document missing.txt not found",
    ),
    "a target off the scale": ("governance.yaml", replace("  target: 3\n", "  target: 9\n"), "9"),
    "an empty file": ("quality.yaml", lambda text: "", "the file is empty"),
}


@pytest.fixture(scope="module")
def previous() -> dict[str, FrameworkDocument]:
    return {V1: load_framework(QUESTIONS / V1)}


def broken_copy(tmp_path: Path, file: str, edit: Callable[[str], str] | None) -> Path:
    root = tmp_path / "questions"
    for name in (V1, V2):
        shutil.copytree(QUESTIONS / name, root / name)
    folder = root / V2
    if edit is None:
        (folder / file).unlink()
    else:
        (folder / file).write_text(edit((folder / file).read_text()), encoding="utf-8")
    return folder


def in_memory(folder: Path) -> dict[str, str]:
    """The folder's files as a web form or an upload would hold them: text, read independently."""
    return {path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.yaml")}


@pytest.mark.parametrize("name", BREAKAGES)
def test_check_files_and_the_check_command_give_the_same_problems(
    name: str, tmp_path: Path, previous: dict[str, FrameworkDocument]
) -> None:
    file, edit, expected = BREAKAGES[name]
    folder = broken_copy(tmp_path, file, edit)
    lines = check_paths([folder], documents_dir=SOURCES_ROOT)
    framework, problems = check_files(
        in_memory(folder),
        label_root=folder.as_posix(),
        documents_dir=SOURCES_ROOT,
        previous=previous,
    )
    assert framework is None
    assert [str(problem) for problem in problems] == lines
    assert any(expected in line for line in lines), lines
    assert all(line.startswith(f"{folder.as_posix()}/") for line in lines)


def test_a_file_that_is_not_utf8_gives_the_same_problem(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path, "quality.yaml", None)
    files: dict[str, str | bytes] = {**in_memory(folder), "quality.yaml": b"name: Qualit\xe9\n"}
    (folder / "quality.yaml").write_bytes(b"name: Qualit\xe9\n")
    _, problems = check_files(files, label_root=folder.as_posix(), documents_dir=SOURCES_ROOT)
    lines = check_paths([folder], documents_dir=SOURCES_ROOT)
    assert [str(problem) for problem in problems] == lines
    assert lines == [
        f"{folder.as_posix()}/quality.yaml:1: (file): not UTF-8 text (invalid continuation byte)"
    ]


def test_a_missing_framework_yaml_gives_the_same_problem_as_loading_the_folder(
    tmp_path: Path, previous: dict[str, FrameworkDocument]
) -> None:
    folder = broken_copy(tmp_path, "framework.yaml", None)
    with pytest.raises(QuestionBankError) as raised:
        load_framework(folder, display_root=tmp_path)
    _, problems = check_files(in_memory(folder), label_root=f"questions/{V2}", previous=previous)
    assert problems == raised.value.errors
    assert [str(problem) for problem in problems] == [
        f"questions/{V2}/framework.yaml:1: (file): file not found"
    ]


def test_a_version_continued_but_not_given_cannot_be_loaded_either_way(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path, "quality.yaml", lambda text: text)
    shutil.rmtree(folder.parent / V1)
    lines = check_paths([folder], documents_dir=SOURCES_ROOT)
    _, problems = check_files(
        in_memory(folder), label_root=folder.as_posix(), documents_dir=SOURCES_ROOT
    )
    assert [str(problem) for problem in problems] == lines
    assert len(lines) == 1
    assert lines[0].startswith(f"{folder.as_posix()}/framework.yaml:")
    assert f"cannot load {V1} beside this folder: {folder.parent.as_posix()}/{V1}/" in lines[0]


@pytest.mark.parametrize("name", [V1, V2])
def test_a_shipped_framework_checks_clean_in_memory(
    name: str, previous: dict[str, FrameworkDocument]
) -> None:
    files = in_memory(QUESTIONS / name)
    framework, problems = check_files(files, documents_dir=SOURCES_ROOT, previous=previous)
    assert problems == []
    assert framework == load_framework(QUESTIONS / name)
    assert check_paths([QUESTIONS / name])[0].startswith(OK_PREFIX)
    assert files_hash(files) == content_hash(QUESTIONS / name)


def test_domain_stems_are_read_from_framework_yaml() -> None:
    files = in_memory(QUESTIONS / V2)
    assert domain_stems(files)[:2] == ["relationships", "shared-vision"]
    with pytest.raises(QuestionBankError):
        domain_stems({**files, "framework.yaml": "domains: [relationships"})


def test_labels_default_to_bare_file_names_and_other_files_are_ignored() -> None:
    files = {**in_memory(QUESTIONS / V1), "README.txt": "not YAML", "notes.md": "# notes"}
    files["data.yaml"] = files["data.yaml"].replace("target: 3", "target: 8", 1)
    _, problems = check_files(files)
    assert problems and all(problem.file == "data.yaml" for problem in problems)


def test_windows_line_ends_give_the_same_lines_as_unix_ones() -> None:
    files = in_memory(QUESTIONS / V1)
    files["data.yaml"] = files["data.yaml"].replace("target: 3", "target: 8", 1)
    _, unix = check_files(files)
    _, windows = check_files({name: text.replace("\n", "\r\n") for name, text in files.items()})
    assert windows == unix


def test_aliases_and_deep_nesting_are_refused_before_anything_expands_them() -> None:
    """A few hundred bytes of nested aliases make billions of nodes when walked (a "billion
    laughs"), and deep nesting exhausts the parser's recursion: an upload must not do either."""
    from selfassess.questionbank.loader import check_files

    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
    )
    document, problems = check_files({"framework.yaml": laughs})
    assert document is None
    assert [p.message for p in problems] == [
        "YAML aliases (*name) are not allowed: write the value out"
    ]
    assert problems[0].line == 2
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    document, problems = check_files({"framework.yaml": deep})
    assert document is None and "nested more than" in problems[0].message
