"""pack and unpack: a framework's files as one zip, and an uploaded zip refused when unsafe."""

import contextlib
import io
import struct
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from selfassess.questionbank import check_files, load_framework, write_framework
from selfassess.questionbank.packing import (
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_TOTAL_BYTES,
    PackError,
    pack,
    read_limited,
    unpack,
)

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
V1, V2 = QUESTIONS / "alliance-maturity-1.0", QUESTIONS / "alliance-maturity-2.0"
FILES = {"framework.yaml": "id: mini\n", "governance.yaml": "id: GOV\nname: Gouvernance \u00e9\n"}


def zip_of(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_files_round_trip_in_their_order() -> None:
    assert unpack(pack(FILES)) == FILES
    assert list(unpack(pack(FILES))) == ["framework.yaml", "governance.yaml"]


def test_packing_is_deterministic_whatever_the_clock() -> None:
    first = pack(FILES)
    time.sleep(2.1)  # zip times have two-second resolution
    assert pack(FILES) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {info.external_attr >> 16 for info in archive.infolist()} == {0o644}


def test_a_shipped_framework_exports_and_imports_exactly() -> None:
    v1 = load_framework(V1)
    v2 = load_framework(V2)
    stems = yaml.safe_load((V2 / "framework.yaml").read_text())["domains"]
    files = write_framework(v2, stems)
    data = pack(files)
    imported = unpack(data)
    assert imported == files
    framework, problems = check_files(imported, previous={"alliance-maturity-1.0": v1})
    assert problems == [] and framework == v2
    assert pack(write_framework(framework, stems)) == data  # export -> import -> export: same bytes


@pytest.mark.parametrize(
    "name",
    [
        "../framework.yaml",
        "..\\framework.yaml",
        "/etc/framework.yaml",
        "sub/governance.yaml",
        "sub/",
        "a..yaml",
        "C:governance.yaml",
        ".hidden.yaml",
        "governance.yml",
        "notes.txt",
        "governance.yaml.exe",
        "gouvernance-\u00e9.yaml",
        "space name.yaml",
    ],
)
def test_names_other_than_flat_yaml_files_are_refused(name: str) -> None:
    with pytest.raises(PackError, match=r"framework zip holds files only|only .yaml files"):
        unpack(zip_of([("framework.yaml", b"id: x\n"), (name, b"id: y\n")]))
    with pytest.raises(PackError):
        pack({name: "id: y\n"})


def test_path_traversal_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    data = zip_of([("../../outside.yaml", b"id: x\n")])
    with pytest.raises(PackError, match="no folders or paths"):
        unpack(data)
    assert list(tmp_path.parent.glob("outside.yaml")) == []  # unpack never writes anywhere


def test_a_zip_bomb_is_refused_on_its_declared_size_without_inflating_it() -> None:
    bomb = zip_of([("framework.yaml", b" " * (200 * 1024 * 1024))])  # 200 MB of spaces
    assert len(bomb) < 300 * 1024
    started = time.perf_counter()
    with pytest.raises(
        PackError, match=r"framework.yaml is 200.0 MB: each file may be at most 1 MB"
    ):
        unpack(bomb)
    assert time.perf_counter() - started < 0.5  # refused cheaply, never inflated


def test_a_zip_bomb_that_lies_about_its_size_is_refused_after_reading_no_more() -> None:
    honest = zip_of([("framework.yaml", b" " * (50 * 1024 * 1024))])
    lying = _declare_size(honest, 1000)
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert archive.infolist()[0].file_size == 1000
    started = time.perf_counter()
    with pytest.raises(PackError, match=r"framework.yaml cannot be read from the zip"):
        unpack(lying)
    assert time.perf_counter() - started < 0.5


def _declare_size(data: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size in a one-file zip's local header and central directory."""
    patched = bytearray(data)
    local = patched.index(b"PK\x03\x04")
    patched[local + 22 : local + 26] = struct.pack("<I", size)
    central = patched.index(b"PK\x01\x02")
    patched[central + 24 : central + 28] = struct.pack("<I", size)
    return bytes(patched)


def test_reading_stops_at_the_limit_whatever_was_declared() -> None:
    with pytest.raises(PackError, match=r"x.yaml uncompresses to more than 1.0 MB: each file"):
        read_limited(io.BytesIO(b"a" * (MAX_FILE_BYTES + 1)), "x.yaml", MAX_FILE_BYTES)
    with pytest.raises(PackError, match="all files together may be at most 4 MB"):
        read_limited(io.BytesIO(b"a" * 2000), "x.yaml", 1000)
    assert read_limited(io.BytesIO(b"a" * 1000), "x.yaml", 1000) == b"a" * 1000


def test_files_that_together_are_too_big_are_refused() -> None:
    count = MAX_TOTAL_BYTES // MAX_FILE_BYTES + 1
    entries = [(f"d{n}.yaml", b"#" * MAX_FILE_BYTES) for n in range(count)]
    with pytest.raises(PackError, match=r"the files come to 5.0 MB: all files together"):
        unpack(zip_of(entries))


def test_too_many_files_are_refused() -> None:
    entries = [(f"d{n}.yaml", b"id: X\n") for n in range(MAX_FILES + 1)]
    with pytest.raises(PackError, match=f"{MAX_FILES + 1} files: a framework zip holds at most"):
        unpack(zip_of(entries))
    assert len(unpack(zip_of(entries[:MAX_FILES]))) == MAX_FILES


def test_text_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(PackError, match=r"governance.yaml is not UTF-8 text \(invalid"):
        unpack(zip_of([("governance.yaml", "name: Gouvernance \u00e9\n".encode("latin-1"))]))


def test_a_name_given_twice_is_refused() -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = zip_of([("data.yaml", b"id: A\n"), ("data.yaml", b"id: B\n")])
    with pytest.raises(PackError, match=r"data.yaml is in the zip twice"):
        unpack(data)


def test_an_empty_zip_and_other_bytes_are_refused() -> None:
    with pytest.raises(PackError, match="the zip holds no files"):
        unpack(zip_of([]))
    with pytest.raises(PackError, match="not a zip file"):
        unpack(b"id: mini\n")


def test_damaged_zips_are_refused_with_a_pack_error_only() -> None:
    data = pack(FILES)
    for cut in range(len(data)):
        with contextlib.suppress(PackError):
            unpack(data[:cut])
    for position in range(len(data)):
        damaged = bytearray(data)
        damaged[position] ^= 0xFF
        with contextlib.suppress(PackError):
            unpack(bytes(damaged))
