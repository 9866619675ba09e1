"""check_paths, `python -m selfassess.questionbank`, folder discovery and the content hash."""

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from selfassess.questionbank import check_paths, content_hash, discover_frameworks
from selfassess.questionbank.report import failed, main

OK_MINI = "OK mini 1.0: 2 domains, 3 standards, 6 questions"
WriteBank = Callable[..., Path]


def break_thresholds(folder: Path) -> None:
    data = folder / "data.yaml"
    data.write_text(data.read_text().replace("4: 75", "4: 45"))


def test_a_clean_framework_gives_one_ok_line(bank: Path) -> None:
    lines = check_paths([bank])
    assert lines == [OK_MINI]
    assert not failed(lines)


def test_a_broken_framework_gives_its_problems_named_as_given(bank: Path) -> None:
    break_thresholds(bank)
    lines = check_paths([str(bank)])
    assert lines == [
        f"{bank.as_posix()}/data.yaml:22: standards[0].questions[0].thresholds.4: "
        "threshold for level 4 (45) must be above level 3's (50) because better is higher"
    ]
    assert failed(lines)


def test_a_folder_of_frameworks_checks_each(write_bank: WriteBank, tmp_path: Path) -> None:
    write_bank("questions/a-1.0")
    break_thresholds(write_bank("questions/b-1.0"))
    lines = check_paths([tmp_path / "questions"])
    assert lines[0] == OK_MINI
    assert lines[1].startswith(f"{tmp_path.as_posix()}/questions/b-1.0/data.yaml:22: ")
    assert len(lines) == 2


def test_without_paths_every_framework_under_root_is_named_from_the_repository(
    write_bank: WriteBank, tmp_path: Path
) -> None:
    break_thresholds(write_bank("questions/mini-1.0"))
    (tmp_path / "questions" / "schema").mkdir()
    lines = check_paths(root=tmp_path / "questions")
    assert [line.split(": ")[0] for line in lines] == ["questions/mini-1.0/data.yaml:22"]


def test_a_path_without_frameworks_is_a_problem(tmp_path: Path) -> None:
    lines = check_paths([tmp_path / "nothing-here"])
    assert lines == [
        f"{tmp_path.as_posix()}/nothing-here:1: (file): "
        "not a framework folder (no framework.yaml here or in its subfolders)"
    ]
    assert failed(lines)
    assert failed(check_paths(root=tmp_path))


def test_main_prints_the_lines_and_returns_the_exit_code(
    bank: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(bank)]) == 0
    assert capsys.readouterr().out == OK_MINI + "\n"
    break_thresholds(bank)
    assert main([str(bank)]) == 1
    assert capsys.readouterr().out.count("\n") == 1


def test_python_dash_m_exits_0_when_clean_and_1_on_problems(bank: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "selfassess.questionbank", str(bank)]
    clean = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, check=False)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, OK_MINI + "\n", "")
    break_thresholds(bank)
    broken = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, check=False)
    assert broken.returncode == 1
    assert "thresholds.4: threshold for level 4 (45)" in broken.stdout


def test_discover_finds_folders_with_a_framework_file_sorted(
    write_bank: WriteBank, tmp_path: Path
) -> None:
    second = write_bank("questions/zeta-2.0")
    first = write_bank("questions/alpha-1.0")
    (tmp_path / "questions" / "schema").mkdir()
    (tmp_path / "questions" / "README.md").write_text("notes")
    assert discover_frameworks(tmp_path / "questions") == [first, second]


def test_content_hash_depends_on_file_names_and_bytes_only(
    write_bank: WriteBank, tmp_path: Path
) -> None:
    bank = write_bank("one")
    digest = content_hash(bank)
    assert len(digest) == 64
    assert content_hash(write_bank("two")) == digest  # the folder's own name is not content
    (bank / "notes.txt").write_text("not part of the bank")
    (bank / "data.yaml").touch()
    assert content_hash(bank) == digest

    data = bank / "data.yaml"
    original = data.read_bytes()
    data.write_bytes(original.replace(b"4: 75", b"4: 76"))
    assert content_hash(bank) != digest
    data.write_bytes(original)
    assert content_hash(bank) == digest

    shutil.move(data, bank / "data2.yaml")
    assert content_hash(bank) != digest
