"""Evidence use cases for the pages: list a question's files, upload one, remove one, send one.

Access is exactly the assessment's: the routes load the assessment through the same guards as
its answers (a trust's users; its alliance's coordinators for review), and a file is found only
within that assessment, so another assessment's file id is as good as missing.
"""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from ..access import RecordMissing
from ..assessments import evidence as core
from ..assessments.evidence import files_by_question
from ..downloads import safe_filename as ascii_filename
from ..extensions import db
from ..models import Assessment, EvidenceFile, SnapshotQuestion, User
from .filetypes import MAX_BYTES, FileRefused, identify, safe_filename
from .storage import store

__all__ = ["FileRefused", "files_by_question"]


def question_of(assessment: Assessment, code: str) -> SnapshotQuestion:
    """The member question ``code`` of the assessment's framework; RecordMissing otherwise."""
    question = db.session.scalar(
        select(SnapshotQuestion).where(
            SnapshotQuestion.snapshot_id == assessment.cycle.snapshot_id,
            SnapshotQuestion.code == code,
            SnapshotQuestion.answered_by == "member",
        )
    )
    if question is None:
        raise RecordMissing("no such question")
    return question


def upload(assessment: Assessment, code: str, upload: FileStorage, user: User) -> EvidenceFile:
    """Check the file by its content and attach it (FileRefused or NotEditable otherwise)."""
    question = question_of(assessment, code)
    try:
        data = upload.stream.read(MAX_BYTES + 1)
    finally:
        upload.close()  # a large upload is spooled to a temporary file: release it now
    filename = safe_filename(upload.filename or "")
    kind = identify(filename, data)
    return core.attach(assessment, question.code, filename, data, kind.media_type, user)


def load_file(assessment: Assessment, file_id: int) -> EvidenceFile:
    """A file of this assessment (a removed one too: the history links to it)."""
    attachment = db.session.get(EvidenceFile, file_id)
    if attachment is None or attachment.assessment_id != assessment.id:
        raise RecordMissing("no such file")
    return attachment


def remove(assessment: Assessment, attachment: EvidenceFile, user: User) -> None:
    core.remove(assessment, attachment, user)


def download(attachment: EvidenceFile) -> Response:
    """The file as a download that a browser never renders in the app's origin."""
    data = store().read(attachment.blob_sha256)
    stem, _, extension = attachment.filename.rpartition(".")
    name = ascii_filename(stem or "evidence", f".{extension}" if stem else "")
    return Response(
        data,
        mimetype=attachment.blob.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )
