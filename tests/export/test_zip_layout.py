"""Only the signed members may be in a bundle: bytes before, between or after them, comments and extra fields
are refused, each naming what is wrong, although `zipfile` itself reads every one of these files happily."""
from __future__ import annotations

import io
import random
import shutil
import struct
import zipfile
from pathlib import Path

import pytest

from ecrf.export.bundle.writer import _zip
from ecrf.export.verify.bundle import verify_bundle
from ecrf.export.verify.zip_safety import SafeZip, UnsafeZip
from tests.export import test_verify as shared
from tests.export.test_verify import entries_of, first_problem

fake_checkers, good = shared.fake_checkers, shared.good  # a real signed bundle, PDF and ODM checkers faked

pytestmark = [pytest.mark.req("EXPORT-ONLY-SIGNED"), pytest.mark.req("P11.10c")]

SCRIPT = b"#!/bin/sh\necho 'a bundle that runs'\nexit 0\n"
_END = struct.Struct("<4sHHHHIIH")
_CENTRAL_OFFSET_AT = 42  # where a directory record keeps its local header offset


def refusal(path: Path) -> str:
    with pytest.raises(UnsafeZip) as info, SafeZip(path):
        pass
    return info.value.reason


def zipfile_reads_it(path: Path) -> bool:
    """What any unzip tool sees: the members, readable and intact (the point: it hides the extra bytes)."""
    with zipfile.ZipFile(path) as archive:
        return archive.testzip() is None and len(archive.namelist()) > 0


def insert_bytes(data: bytes, at: int, blob: bytes) -> bytes:
    """`blob` inserted at `at` with every offset after it moved on, as a careful forger (or `zip -A`) does:
    the zip stays valid for every unzip tool."""
    end = len(data) - _END.size
    sig, disk, cd_disk, on_disk, total, cd_size, cd_offset, comment = _END.unpack_from(data, end)
    directory = bytearray(data[cd_offset:cd_offset + cd_size])
    pos = 0
    while pos < len(directory):
        offset, = struct.unpack_from("<I", directory, pos + _CENTRAL_OFFSET_AT)
        if offset >= at:
            struct.pack_into("<I", directory, pos + _CENTRAL_OFFSET_AT, offset + len(blob))
        name, extra, note = struct.unpack_from("<HHH", directory, pos + 28)
        pos += 46 + name + extra + note
    moved = cd_offset + len(blob) if cd_offset >= at else cd_offset
    end_record = _END.pack(sig, disk, cd_disk, on_disk, total, cd_size, moved, comment)
    rebuilt = data[:cd_offset] + bytes(directory) + end_record
    return rebuilt[:at] + blob + rebuilt[at:]


def entry_end(path: Path, name: str) -> int:
    """Where the entry's compressed data end: the next entry (or the directory) starts there."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
        data = path.read_bytes()
        name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
        return info.header_offset + 30 + name_length + extra_length + info.compress_size


def rewritten(source: Path, target: Path, change_info=None, force_zip64: bool = False) -> Path:  # type: ignore[no-untyped-def]
    """The bundle's entries written again, each ZipInfo passed through `change_info` first."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type, copy.external_attr = info.compress_type, info.external_attr
            copy.file_size = info.file_size
            if change_info:
                change_info(copy)
            with new.open(copy, "w", force_zip64=force_zip64) as out:
                out.write(old.read(info))
    return target


def test_a_real_bundle_has_nothing_but_its_members(demo_bundle: Path):
    with SafeZip(demo_bundle) as bundle:
        assert "manifest.json" in bundle.names()


def test_a_prepended_script_is_refused_although_unzip_reads_the_file(good: Path, tmp_path: Path):
    bad = tmp_path / "script.zip"
    bad.write_bytes(SCRIPT + good.read_bytes())
    assert zipfile_reads_it(bad)
    assert first_problem(bad) == (f"script.zip: {len(SCRIPT)} bytes before its first file (e.g. a script prepended "
                                  "to the zip); only the signed files may be in a bundle")


def test_a_prepended_script_with_every_offset_adjusted_is_refused(good: Path, tmp_path: Path):
    """What `zip -A` does to a self-extracting archive: the offsets are right, the script is still there."""
    bad = tmp_path / "adjusted.zip"
    bad.write_bytes(insert_bytes(good.read_bytes(), 0, SCRIPT))
    assert zipfile_reads_it(bad)
    assert refusal(bad).startswith(f"adjusted.zip: {len(SCRIPT)} bytes before its first file")


def test_trailing_bytes_are_refused(good: Path, tmp_path: Path):
    bad = tmp_path / "trailing.zip"
    bad.write_bytes(good.read_bytes() + b"hidden after the end")
    assert zipfile_reads_it(bad)
    assert first_problem(bad) == ("trailing.zip: 20 bytes after the end of the zip directory (data appended to the "
                                  "zip); only the signed files may be in a bundle")


def test_a_zip_comment_is_refused(good: Path, tmp_path: Path):
    bad = tmp_path / "comment.zip"
    shutil.copy(good, bad)
    with zipfile.ZipFile(bad, "a") as archive:
        archive.comment = b"unsigned words"
    assert zipfile_reads_it(bad)
    assert refusal(bad) == "comment.zip: carries a zip comment of 14 bytes; a bundle carries none"


def test_a_member_comment_is_refused(good: Path, tmp_path: Path):
    def comment(info: zipfile.ZipInfo) -> None:
        if info.filename == "odm.xml":
            info.comment = b"not signed"

    bad = rewritten(good, tmp_path / "member.zip", comment)
    assert zipfile_reads_it(bad)
    assert refusal(bad) == "odm.xml: carries a comment in the zip directory; a bundle's files carry none"


@pytest.mark.parametrize(("field", "expected"), [
    (struct.pack("<HHB", 0x5455, 1, 0), "its directory record carries an extra field (0x5455)"),  # a timestamp
    (struct.pack("<HH", 0x0001, 0), "its directory record carries zip64 sizes that a file of its size does not need"),
])
def test_an_extra_field_is_refused(good: Path, tmp_path: Path, field: bytes, expected: str):
    def extra(info: zipfile.ZipInfo) -> None:
        if info.filename == "csv/subjects.csv":
            info.extra = field

    bad = rewritten(good, tmp_path / "extra.zip", extra)
    assert zipfile_reads_it(bad)
    assert refusal(bad).startswith(f"csv/subjects.csv: {expected}")


def test_zip64_sizes_where_no_size_needs_them_are_refused(good: Path, tmp_path: Path):
    bad = rewritten(good, tmp_path / "zip64.zip", force_zip64=True)
    assert zipfile_reads_it(bad)
    assert refusal(bad) == ("manifest.json: its local header carries zip64 sizes that a file of its size does not "
                            "need")


def test_zip64_where_sizes_need_it_is_what_the_writer_writes_and_accepted(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch):
    """zipfile switches to zip64 above 2 GiB; with that limit lowered, a small bundle needs zip64 everywhere
    (local headers, directory records, the zip64 end record), and exactly that is accepted."""
    staging = tmp_path / "staging"
    (staging / "csv").mkdir(parents=True)
    (staging / "manifest.json").write_bytes(b"{}")
    big = random.Random(12).randbytes(5000)  # does not deflate: the zip's offsets pass the lowered limit too
    (staging / "csv" / "big.csv").write_bytes(big)
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1000)
    _zip(staging, tmp_path / "large.zip")
    assert b"PK\x06\x06" in (tmp_path / "large.zip").read_bytes()  # the zip64 end record is there
    with SafeZip(tmp_path / "large.zip") as bundle:
        assert bundle.read("csv/big.csv") == big
    monkeypatch.undo()  # the same file where sizes do not need zip64
    assert refusal(tmp_path / "large.zip") == ("large.zip: carries a zip64 end record that a zip of its size does "
                                               "not need; refused")


def test_a_gap_between_entries_is_refused(good: Path, tmp_path: Path):
    bad = tmp_path / "gap.zip"
    bad.write_bytes(insert_bytes(good.read_bytes(), entry_end(good, "manifest.sig"), b"hidden in between"))
    assert zipfile_reads_it(bad)
    assert refusal(bad) == "manifest.sig: followed by 17 bytes that belong to no file (hidden data?)"


def test_a_gap_before_the_directory_is_refused(good: Path, tmp_path: Path):
    with zipfile.ZipFile(good) as archive:
        last = max(archive.infolist(), key=lambda info: info.header_offset).filename
        start_dir = archive.start_dir
    bad = tmp_path / "gap.zip"
    bad.write_bytes(insert_bytes(good.read_bytes(), start_dir, b"x" * 5))
    assert zipfile_reads_it(bad)
    assert refusal(bad) == f"{last}: followed by 5 bytes that belong to no file (hidden data?)"


def test_a_local_header_that_names_another_file_is_refused(good: Path, tmp_path: Path):
    data = good.read_bytes()
    with zipfile.ZipFile(good) as archive:
        at = archive.getinfo("csv/subjects.csv").header_offset + 30
    bad = tmp_path / "renamed.zip"
    bad.write_bytes(data[:at] + b"csv/subjectX.csv" + data[at + 16:])
    assert refusal(bad) == ("csv/subjects.csv: its local header and the zip directory disagree on its name; the zip "
                            "was altered")


@pytest.mark.parametrize(("offset", "what"), [(8, "compression method"), (18, "sizes"), (14, "CRC-32"),
                                              (10, "modification time")])
def test_a_local_header_that_disagrees_with_the_directory_is_refused(good: Path, tmp_path: Path, offset: int,
                                                                     what: str):
    with zipfile.ZipFile(good) as archive:
        at = archive.getinfo("odm.xml").header_offset + offset
    data = bytearray(good.read_bytes())
    data[at] ^= 0x01
    bad = tmp_path / "local.zip"
    bad.write_bytes(bytes(data))
    assert refusal(bad) == (f"odm.xml: its local header and the zip directory disagree on its {what}; the zip was "
                            "altered")


def test_a_data_descriptor_is_refused(good: Path, tmp_path: Path):
    """A writer that cannot seek puts each entry's sizes after its data; the bundle writer never does."""
    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, chunk) -> int:  # type: ignore[no-untyped-def,override]
            self.data += chunk
            return len(chunk)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w") as archive:
        for name, data in entries_of(good).items():
            archive.writestr(name, data)
    bad = tmp_path / "streamed.zip"
    bad.write_bytes(bytes(sink.data))
    assert zipfile_reads_it(bad)
    assert refusal(bad) == ("manifest.json: followed by a data descriptor; a bundle's files carry their sizes in "
                            "their headers")


def test_the_refusal_is_the_verdict(good: Path, tmp_path: Path):
    bad = tmp_path / "trailing.zip"
    bad.write_bytes(good.read_bytes() + b"\0")
    verdict = verify_bundle(bad)
    assert not verdict.ok and verdict.problems[0].startswith("trailing.zip: 1 bytes after the end")
