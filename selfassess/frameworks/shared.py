"""Framework versions a site administrator shares with every alliance (issue #22 point 4).

Uploaded as the question bank's own YAML files and checked by its one checker, like an
alliance's own version, but owned by no alliance: every alliance can choose it for a cycle and
set its own targets on it. A shared version never changes once published.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..assessments.versions import (
    SHARED,
    VersionChoice,
    available_versions,
    import_files,
)
from ..extensions import db
from ..models import FrameworkSnapshot, User


def shared_versions(questions_dir: Path) -> list[VersionChoice]:
    """The question bank's versions and those shared by site administrators."""
    return available_versions(None, questions_dir)


def publish_shared(files: Mapping[str, str], questions_dir: Path, user: User) -> FrameworkSnapshot:
    """Keep uploaded files as a version every alliance may use; audited. Raises VersionRefused
    with the checker's problems, or when the version exists with other content."""
    snapshot = import_files(
        files,
        alliance_id=None,
        id_prefix=None,
        questions_dir=questions_dir,
        action="framework.shared",
    )
    db.session.commit()
    return snapshot


__all__ = ["SHARED", "publish_shared", "shared_versions"]
