"""The framework versions in the question bank, as offered to coordinators.

Read from each folder's framework.yaml head only (no full load, no checks), so listing the
versions is cheap; the folder name is what a form sends back and is always checked against
this list before it becomes a path.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

from selfassess.questionbank.cross_checks import FRAMEWORK_FILE
from selfassess.questionbank.loader import discover_frameworks


@dataclass(frozen=True)
class FrameworkChoice:
    """A framework version found in the question bank."""

    folder: str
    label: str
    framework_id: str
    version: str


def framework_choices(questions_dir: Path) -> list[FrameworkChoice]:
    """The framework versions in the question bank, newest version last within a framework."""
    choices = []
    for folder in discover_frameworks(questions_dir):
        meta = yaml.safe_load((folder / FRAMEWORK_FILE).read_text(encoding="utf-8")) or {}
        choices.append(
            FrameworkChoice(
                folder=folder.name,
                label=f"{meta.get('title', folder.name)} (version {meta.get('version', '?')})",
                framework_id=str(meta.get("id", folder.name)),
                version=str(meta.get("version", "")),
            )
        )
    return choices


def choice_named(questions_dir: Path, folder: str) -> FrameworkChoice | None:
    """The version in folder ``folder``, or None when the question bank has no such folder."""
    return next((c for c in framework_choices(questions_dir) if c.folder == folder), None)
