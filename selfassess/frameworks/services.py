"""Find a framework version in the question bank and what changed since the version it continues.

Read from the files (the same documents ``flask questions check`` and the importer read), so the
page describes exactly what a new cycle would snapshot. Loading and checking two versions takes
about a second, so each comparison is kept per process, keyed by both folders' content hashes:
an edited file changes the hash and is read afresh.
"""

from __future__ import annotations

import threading
from pathlib import Path

import yaml

from ..access import RecordMissing
from ..assessments.versions import EarlierVersions, available_versions, document_of
from ..questionbank import content_hash, discover_frameworks, load_framework
from ..questionbank.cross_checks import FRAMEWORK_FILE
from ..questionbank.version_diff import VersionChanges, version_changes

#: Comparisons kept (few: one per framework version that continues another).
CACHE_SIZE = 8
_cache: dict[tuple[str, str], VersionChanges] = {}
_lock = threading.Lock()


class NoEarlierVersion(LookupError):
    """The version continues no earlier one: there is nothing to compare it with."""


def framework_folder(questions_dir: Path, framework_id: str, version: str) -> Path:
    """The question-bank folder of ``framework_id`` at ``version``; RecordMissing if none."""
    for folder in discover_frameworks(questions_dir):
        head = yaml.safe_load((folder / FRAMEWORK_FILE).read_text(encoding="utf-8")) or {}
        if head.get("id") == framework_id and str(head.get("version")) == version:
            return folder
    raise RecordMissing("no such framework version")


def changes_in_version(
    questions_dir: Path, framework_id: str, version: str, alliance_ids: set[int]
) -> VersionChanges:
    """What changed in a version since the one it continues: a question-bank folder, or a
    version in the database that is shared or belongs to one of ``alliance_ids`` (any other is
    missing, exactly as one that does not exist)."""
    try:
        return changes_since_previous(questions_dir, framework_id, version)
    except RecordMissing:
        pass
    for alliance_id in [None, *sorted(alliance_ids)]:
        for choice in available_versions(alliance_id, questions_dir):
            if (choice.framework_id, choice.version) != (framework_id, version):
                continue
            if choice.snapshot_id is None:
                continue
            document = document_of(choice, alliance_id, questions_dir)
            if not document.continues:
                raise NoEarlierVersion(f"Version {version} does not continue an earlier version.")
            earlier = EarlierVersions(alliance_id, questions_dir).get(document.continues)
            if earlier is None:
                raise NoEarlierVersion(f"The version {version} continues is not available here.")
            return version_changes(earlier, document)
    raise RecordMissing("no such framework version")


def changes_since_previous(questions_dir: Path, framework_id: str, version: str) -> VersionChanges:
    """What changed in ``version`` since the version its framework.yaml ``continues``."""
    folder = framework_folder(questions_dir, framework_id, version)
    head = yaml.safe_load((folder / FRAMEWORK_FILE).read_text(encoding="utf-8")) or {}
    # Only a folder of the question bank itself: the name comes from a file, never a path.
    previous = {f.name: f for f in discover_frameworks(questions_dir)}.get(
        str(head.get("continues") or "")
    )
    if previous is None:
        raise NoEarlierVersion(
            f"Version {version} does not continue an earlier version in the question bank."
        )
    key = (content_hash(previous), content_hash(folder))
    with _lock:
        if key not in _cache:
            if len(_cache) >= CACHE_SIZE:
                _cache.clear()
            _cache[key] = version_changes(load_framework(previous), load_framework(folder))
        return _cache[key]
