"""Where evidence bytes live: one small interface, one implementation (the database).

The database is the store by default and at scale (SQLite, PostgreSQL), so every app server sees
every file and a file commits with the row that cites it. An object store (S3 and the like) could
implement ``BlobStore`` later; none is built here because none can be tested against a real one
on this machine (issue #18).
"""

from __future__ import annotations

from typing import Protocol

from ..extensions import db
from ..models import EvidenceBlob


class BlobStore(Protocol):
    """Reads a blob's bytes by its SHA-256 (writes go through ``assessments.evidence``)."""

    def read(self, sha256: str) -> bytes: ...


class DatabaseBlobStore:
    """Blobs in the ``evidence_blob`` table."""

    def read(self, sha256: str) -> bytes:
        return db.session.get_one(EvidenceBlob, sha256).content


def store() -> BlobStore:
    return DatabaseBlobStore()
