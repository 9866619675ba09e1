"""Every framework version an alliance may run a cycle on, wherever it came from.

Three sources, one list: the question bank's folders (shipped with the app), versions a site
administrator shared (uploaded as the same YAML files), and the alliance's own versions
(published from the app or uploaded by its coordinator). Versions outside the question bank are
checked by the question bank's one checker (``questionbank.loader.check_files``, the code
``flask questions check`` runs) and kept with their files, so they export exactly as imported.

An alliance's own framework ids start with its slug (``<slug>-…``). That keeps each alliance's
versions in its own namespace: a coordinator can never learn, from a refusal, that another
alliance has a version of some id.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, or_, select

from .. import audit
from ..extensions import db
from ..models import FrameworkSnapshot
from ..questionbank import FrameworkDocument, load_framework
from ..questionbank.catalogue import framework_choices
from ..questionbank.drafting import lineage_name
from ..questionbank.loader import check_files, content_hash, files_hash
from ..questionbank.problems import Problem
from .snapshots import SnapshotConflict, build_snapshot, import_framework

#: Where a version came from, as the pages say it.
BANK, SHARED, OWN = "question bank", "shared by the site administrator", "your alliance's own"


@dataclass(frozen=True)
class VersionChoice:
    """A framework version an alliance may use. ``key`` is what forms and addresses carry: a
    question-bank folder name, or ``<framework id>@<version>`` for a version in the database."""

    key: str
    label: str
    framework_id: str
    version: str
    origin: str
    snapshot_id: int | None = None


class UnknownVersion(LookupError):
    """No version of that name that this alliance may use (pages answer it as not found)."""


class VersionRefused(ValueError):
    """Files that cannot become a version, with every problem found in them."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def available_versions(alliance_id: int | None, questions_dir: Path) -> list[VersionChoice]:
    """The versions ``alliance_id`` may use (all shared ones when None), bank first."""
    choices = [
        VersionChoice(c.folder, c.label, c.framework_id, c.version, BANK)
        for c in framework_choices(questions_dir)
    ]
    for snapshot in _database_versions(alliance_id):
        choices.append(
            VersionChoice(
                f"{snapshot.framework_key}@{snapshot.version}",
                f"{snapshot.title} (version {snapshot.version})",
                snapshot.framework_key,
                snapshot.version,
                SHARED if snapshot.alliance_id is None else OWN,
                snapshot.id,
            )
        )
    return choices


def _database_versions(alliance_id: int | None) -> list[FrameworkSnapshot]:
    owners: list[ColumnElement[bool]] = [FrameworkSnapshot.alliance_id.is_(None)]
    if alliance_id is not None:
        owners.append(FrameworkSnapshot.alliance_id == alliance_id)
    return list(
        db.session.scalars(
            select(FrameworkSnapshot)
            .where(
                FrameworkSnapshot.variant == "",
                FrameworkSnapshot.source_files.is_not(None),
                or_(*owners),
            )
            .order_by(FrameworkSnapshot.framework_key, FrameworkSnapshot.id)
        )
    )


def find_version(alliance_id: int | None, questions_dir: Path, key: str) -> VersionChoice:
    """The version ``key`` names, if ``alliance_id`` may use it; UnknownVersion otherwise."""
    for choice in available_versions(alliance_id, questions_dir):
        if choice.key == key:
            return choice
    raise UnknownVersion(key)


def snapshot_of(choice: VersionChoice, questions_dir: Path) -> FrameworkSnapshot:
    """The published snapshot of a version, importing a question-bank folder on first use (the
    caller commits)."""
    if choice.snapshot_id is not None:
        return db.session.get_one(FrameworkSnapshot, choice.snapshot_id)
    return import_framework(questions_dir / choice.key)


def files_of(choice: VersionChoice, questions_dir: Path) -> dict[str, str]:
    """A version's YAML files, exactly as it was imported (for export)."""
    if choice.snapshot_id is not None:
        return dict(db.session.get_one(FrameworkSnapshot, choice.snapshot_id).source_files or {})
    folder = questions_dir / choice.key
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))}


# -- Documents: a version as the question bank's own pydantic document ------------------------

_cache: dict[str, FrameworkDocument] = {}
_lock = threading.Lock()


def document_of(
    choice: VersionChoice, alliance_id: int | None, questions_dir: Path
) -> FrameworkDocument:
    """The checked document of a version (kept per process by content hash: a version never
    changes once imported)."""
    if choice.snapshot_id is None:
        folder = questions_dir / choice.key
        digest = content_hash(folder)
        with _lock:
            if digest not in _cache:
                _cache[digest] = load_framework(folder)
            return _cache[digest]
    snapshot = db.session.get_one(FrameworkSnapshot, choice.snapshot_id)
    files = dict(snapshot.source_files or {})
    digest = files_hash(files)
    with _lock:
        if digest in _cache:
            return _cache[digest]
    document, problems = check_files(files, previous=EarlierVersions(alliance_id, questions_dir))
    if document is None:  # checked when imported; a changed checker may disagree since
        raise VersionRefused("This version no longer passes the question bank's checks.", problems)
    with _lock:
        _cache[digest] = document
    return document


class EarlierVersions(Mapping[str, FrameworkDocument]):
    """The versions a ``continues:`` may name, by folder name (``<id>-<version>``), loaded only
    when named: the question bank's folders and the database versions the alliance may use."""

    def __init__(self, alliance_id: int | None, questions_dir: Path) -> None:
        self.alliance_id = alliance_id
        self.questions_dir = questions_dir

    def _choices(self) -> dict[str, VersionChoice]:
        found: dict[str, VersionChoice] = {}
        for choice in available_versions(self.alliance_id, self.questions_dir):
            found[f"{choice.framework_id}-{choice.version}"] = choice
            if choice.snapshot_id is None:
                found[choice.key] = choice  # a bank version is also named by its folder
        return found

    def __getitem__(self, name: str) -> FrameworkDocument:
        choice = self._choices().get(name)
        if choice is None:
            raise KeyError(name)
        return document_of(choice, self.alliance_id, self.questions_dir)

    def __iter__(self) -> Iterator[str]:
        return iter(self._choices())

    def __len__(self) -> int:
        return len(self._choices())


# -- Importing files as a version ---------------------------------------------------------------


def import_files(
    files: Mapping[str, str],
    *,
    alliance_id: int | None,
    id_prefix: str | None,
    questions_dir: Path,
    action: str,
) -> FrameworkSnapshot:
    """Check ``files`` with the one checker and keep them as a new version (the caller commits).

    ``alliance_id`` owns it (None: shared with every alliance); ``id_prefix`` is what its
    framework id must start with (an alliance's slug and a hyphen). Refused with every problem
    found, if the id is outside the owner's namespace, or if the owner (or the question bank)
    already has that version with other content. Importing identical files again returns the
    version already kept. Audited as ``action``.
    """
    files = {name: text for name, text in files.items() if name.endswith(".yaml")}
    document, problems = check_files(files, previous=EarlierVersions(alliance_id, questions_dir))
    if document is None:
        raise VersionRefused("The files have problems. Correct them and try again.", problems)
    if id_prefix is not None and not document.id.startswith(id_prefix):
        raise VersionRefused(
            f"Your alliance's framework ids start with {id_prefix!r}: change the id in "
            f"framework.yaml (it is {document.id!r})."
        )
    digest = files_hash(files)
    mine = {(c.framework_id, c.version): c for c in available_versions(alliance_id, questions_dir)}
    same = mine.get((document.id, document.version))
    if same is not None:
        if same.snapshot_id is not None:
            kept = db.session.get_one(FrameworkSnapshot, same.snapshot_id)
            if kept.content_hash == digest:
                return kept
        raise VersionRefused(
            f"Version {document.version} of {document.id} already exists with other content. "
            "Give the changed framework a new version number."
        )
    if id_prefix is None and _owned_by_an_alliance(document.id):
        raise VersionRefused(f"{document.id} is an alliance's own framework id; choose another.")
    try:
        snapshot = build_snapshot(document, digest)
    except SnapshotConflict as clash:  # pragma: no cover - the checks above come first
        raise VersionRefused(str(clash)) from clash
    snapshot.alliance_id = alliance_id
    snapshot.source_files = dict(sorted(files.items()))
    db.session.add(snapshot)
    db.session.flush()
    audit.record(
        action,
        "framework_snapshot",
        snapshot.id,
        after={
            "framework": document.id,
            "version": document.version,
            "continues": document.continues,
            "hash": digest,
            "files": sorted(files),
        },
        alliance_id=alliance_id,
    )
    return snapshot


def _owned_by_an_alliance(framework_id: str) -> bool:
    return (
        db.session.scalar(
            select(FrameworkSnapshot.id).where(
                FrameworkSnapshot.framework_key == framework_id,
                FrameworkSnapshot.alliance_id.is_not(None),
                FrameworkSnapshot.variant == "",
            )
        )
        is not None
    )


__all__ = ["lineage_name"]
