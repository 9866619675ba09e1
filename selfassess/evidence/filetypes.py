"""What kind of file an upload really is, from its bytes, never from its name.

Reviewers open these files on NHS machines, so only the kinds the issue names are taken (PDF,
Word, Excel, PNG, JPEG), each recognised by its signature; the name's extension must agree, so
a script or a web page renamed ``.pdf`` is refused. Word and Excel files are zip packages: their
central directory is read (never decompressed, so a zip bomb costs nothing) for the part that
makes them a document or a workbook, and macro-enabled packages are refused.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

#: Larger than any evidence a board paper cites; the request limit is set above it.
MAX_BYTES = 5 * 1024 * 1024
#: A real document has a few dozen parts; thousands mean something else.
MAX_PARTS = 1000


@dataclass(frozen=True)
class Kind:
    """An accepted kind of file: its media type, extensions and a name people know."""

    media_type: str
    extensions: tuple[str, ...]
    name: str


PDF = Kind("application/pdf", (".pdf",), "PDF")
PNG = Kind("image/png", (".png",), "PNG image")
JPEG = Kind("image/jpeg", (".jpg", ".jpeg"), "JPEG image")
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    "Word document",
)
XLSX = Kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    "Excel workbook",
)
KINDS = (PDF, PNG, JPEG, DOCX, XLSX)
ALLOWED_NAMES = "PDF, Word (.docx), Excel (.xlsx), PNG or JPEG"


class FileRefused(ValueError):
    """An upload that is not evidence this service keeps, with the reason in plain words."""


def identify(filename: str, data: bytes) -> Kind:
    """The kind of ``data``; FileRefused if it is empty, too big, not an accepted kind, or its
    name's extension says something else."""
    if not data:
        raise FileRefused("The selected file is empty")
    if len(data) > MAX_BYTES:
        raise FileRefused(f"The selected file must be smaller than {MAX_BYTES // 1024 // 1024} MB")
    kind = _by_content(data)
    if kind is None:
        raise FileRefused(f"The selected file must be a {ALLOWED_NAMES}")
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in kind.extensions:
        ending = f"ends {extension}" if extension else "has no extension"
        raise FileRefused(
            f"The selected file is a {kind.name} but its name {ending}: "
            f"rename it to end {kind.extensions[0]}"
        )
    return kind


def _by_content(data: bytes) -> Kind | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return None


def _office(data: bytes) -> Kind | None:
    """A Word or Excel package, from its parts' names only (nothing is decompressed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if len(infos) > MAX_PARTS or any(info.flag_bits & 0x1 for info in infos):
        return None  # too many parts, or encrypted
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or any(n.endswith("vbaProject.bin") for n in names):
        return None  # not an Office package, or one carrying macros
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def safe_filename(filename: str) -> str:
    """The name shown and sent back: its last path part, printable, at most 120 characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?')
    name = name.strip(" .") or "evidence"
    if len(name) > 120:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 120 - len(extension) - 1] + dot + extension) if dot else name[:120]
    return name
