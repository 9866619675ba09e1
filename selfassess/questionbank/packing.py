"""Pack a framework's files into one zip to download, and unpack an uploaded one safely.

An alliance's framework moves between instances as the repository's own files (framework.yaml
and one file per domain), zipped flat. `pack` is deterministic (fixed timestamps and attributes,
the files' own order), so the same framework always downloads as the same bytes. `unpack` takes
bytes from anyone who can upload, so it refuses, with a message saying why, anything that is not
plainly such a folder: a name with a path, `..` or anything but `name.yaml`; a repeated name;
more than `MAX_FILES` files; a file over `MAX_FILE_BYTES` or all over `MAX_TOTAL_BYTES` once
uncompressed, judged first on the sizes the zip declares (so a zip bomb costs nothing to refuse)
and again on the bytes actually read, a chunk at a time; encrypted or unreadable entries; and
text that is not UTF-8. What the files say is for `check_files` to judge.
"""

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from typing import IO

MAX_FILES = 50
MAX_FILE_BYTES = 1024 * 1024
MAX_TOTAL_BYTES = 4 * 1024 * 1024
#: A flat file name: a letter or digit first, no path separators, no "..", ending in .yaml.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.yaml$")
#: Every entry's time: the earliest a zip can hold, so packing never depends on the clock.
_EPOCH = (1980, 1, 1, 0, 0, 0)
_CHUNK = 64 * 1024

#: What zipfile and zlib raise for a damaged or unsupported entry (a bad offset is a ValueError).
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    struct.error,
)


class PackError(ValueError):
    """An upload that is not a framework's files zipped flat; the message says what is wrong."""


def pack(files: Mapping[str, str]) -> bytes:
    """Return the files zipped flat, in their order; PackError for a name `unpack` would refuse."""
    if len(files) > MAX_FILES:
        raise PackError(f"{len(files)} files: a framework zip holds at most {MAX_FILES}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            _check_name(name)
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system packs it
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def unpack(data: bytes) -> dict[str, str]:
    """Return the zip's files, name -> text, in the zip's order; PackError if anything is unsafe."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _UNREADABLE as exc:
        raise PackError(f"not a zip file ({exc})") from exc
    with archive:
        entries = archive.infolist()
        _check_entries(entries)
        files: dict[str, str] = {}
        total = 0
        for entry in entries:
            content = _read(archive, entry, MAX_TOTAL_BYTES - total)
            total += len(content)
            try:
                files[entry.filename] = content.decode("utf-8")
            except UnicodeDecodeError as exc:
                message = f"{entry.filename} is not UTF-8 text ({exc.reason} at byte {exc.start})"
                raise PackError(message) from exc
    return files


def _check_entries(entries: list[zipfile.ZipInfo]) -> None:
    """Refuse on what the zip declares, before reading a byte of any file."""
    if not entries:
        raise PackError("the zip holds no files")
    if len(entries) > MAX_FILES:
        raise PackError(f"{len(entries)} files: a framework zip holds at most {MAX_FILES}")
    seen: set[str] = set()
    for entry in entries:
        _check_name(entry.filename)
        if entry.filename in seen:
            raise PackError(f"{entry.filename} is in the zip twice")
        seen.add(entry.filename)
        if entry.flag_bits & 0x1:
            raise PackError(f"{entry.filename} is encrypted")
        if entry.file_size > MAX_FILE_BYTES:
            raise PackError(f"{entry.filename} is {_size(entry.file_size)}: {_FILE_LIMIT}")
    declared = sum(entry.file_size for entry in entries)
    if declared > MAX_TOTAL_BYTES:
        raise PackError(f"the files come to {_size(declared)}: {_TOTAL_LIMIT}")


def _check_name(name: str) -> None:
    if "/" in name or "\\" in name or ".." in name:
        raise PackError(f"{name!r}: a framework zip holds files only, with no folders or paths")
    if not SAFE_NAME.fullmatch(name):
        message = f"{name!r}: only .yaml files named with letters, digits, '-', '_' and '.'"
        raise PackError(message)


def _read(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, allowance: int) -> bytes:
    try:
        with archive.open(entry) as stream:
            return read_limited(stream, entry.filename, min(MAX_FILE_BYTES, allowance))
    except PackError:
        raise
    except _UNREADABLE as exc:
        raise PackError(f"{entry.filename} cannot be read from the zip ({exc})") from exc


def read_limited(stream: IO[bytes], name: str, limit: int) -> bytes:
    """Read a stream a chunk at a time, refusing it as soon as it passes `limit` bytes.

    The declared sizes were checked already; this holds even if a zip lies about them.
    """
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            which = _FILE_LIMIT if limit == MAX_FILE_BYTES else _TOTAL_LIMIT
            raise PackError(f"{name} uncompresses to more than {_size(limit)}: {which}")
        chunks.append(chunk)
    return b"".join(chunks)


_FILE_LIMIT = f"each file may be at most {MAX_FILE_BYTES // 1024 // 1024} MB"
_TOTAL_LIMIT = f"all files together may be at most {MAX_TOTAL_BYTES // 1024 // 1024} MB"


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 100 * 1024 else f"{count} bytes"
