"""SafeZip: a hostile or damaged zip is refused with a reason naming the entry; nothing is extracted."""
from __future__ import annotations

import hashlib
import stat
import struct
import warnings
import zipfile
from pathlib import Path

import pytest

from ecrf.export.verify.zip_safety import SafeZip, UnsafeZip, ZipLimits, name_problem

pytestmark = pytest.mark.req("EXPORT-VERIFY")

ZEROS = 40 << 20  # deflates to ~40 kB: a ratio of ~1,000


def make_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]],
             method: int = zipfile.ZIP_DEFLATED) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names: they are the point here
        with zipfile.ZipFile(path, "w", compression=method) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return path


def refusal(path: Path, limits: ZipLimits | None = None) -> str:
    with pytest.raises(UnsafeZip) as info, SafeZip(path, limits) as bundle:
        for name in bundle.names():
            bundle.sha256_and_size(name)
    return info.value.reason


def lie_about_size(path: Path, file_size: int) -> None:
    """Rewrite the uncompressed size a one-entry zip declares, in its directory and its local header alike
    (a lying header that agrees with itself, so only the streaming count can catch it)."""
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, data.index(b"PK\x01\x02") + 24, file_size)
    struct.pack_into("<I", data, data.index(b"PK\x03\x04") + 22, file_size)
    path.write_bytes(bytes(data))


def test_a_plain_zip_reads(tmp_path: Path):
    path = make_zip(tmp_path / "b.zip", [("manifest.json", b"{}"), ("csv/a.csv", b"x,y\r\n1,2\r\n" * 1000)])
    with SafeZip(path) as bundle:
        assert bundle.names() == ["manifest.json", "csv/a.csv"]
        data = b"x,y\r\n1,2\r\n" * 1000
        assert bundle.read("csv/a.csv") == data
        assert bundle.sha256_and_size("csv/a.csv") == (hashlib.sha256(data).hexdigest(), len(data))
        assert b"".join(bundle.stream("manifest.json")) == b"{}"
        with bundle.open("csv/a.csv") as stream:
            assert stream.read(3) == b"x,y"
        with pytest.raises(UnsafeZip, match="nope.csv: not in the bundle"):
            bundle.read("nope.csv")


@pytest.mark.parametrize(("name", "expected"), [
    ("csv/a.csv", None), ("pdf/casebooks/S-01.pdf", None), ("manifest.json", None),
    ("", "empty name"), ("../x", "climbs out"), ("csv/../../x", "climbs out"), ("/etc/passwd", "absolute"),
    ("C:/Windows/x", "drive letter"), ("c:x", "drive letter"), ("csv\\a.csv", "backslash"),
    ("..\\x", "backslash"), ("a\x00.csv", "NUL"), ("csv//a.csv", "empty or '.'"), ("./a.csv", "empty or '.'"),
    ("a\nb.csv", "control character"),
])
def test_name_rules(name: str, expected: str | None):
    problem = name_problem(name)
    assert (problem is None) if expected is None else (expected in (problem or ""))


@pytest.mark.parametrize(("name", "expected"), [
    ("../x", "../x: climbs out"), ("/abs.csv", "/abs.csv: is an absolute path"),
    ("C:/x.csv", "C:/x.csv: starts with a drive letter"), ("csv\\x.csv", "csv\\x.csv: has a backslash"),
    ("csv/", "csv/: is a folder entry"),
])
def test_unsafe_entry_names_are_refused(tmp_path: Path, name: str, expected: str):
    path = make_zip(tmp_path / "b.zip", [("manifest.json", b"{}"), (name, b"")])
    assert refusal(path).startswith(expected)


def test_a_nul_in_a_name_is_seen_although_zipfile_hides_it(tmp_path: Path):
    path = make_zip(tmp_path / "b.zip", [("evil.csvXexe", b"x")])
    path.write_bytes(path.read_bytes().replace(b"evil.csvXexe", b"evil.csv\x00exe"))
    assert "NUL character" in refusal(path)


def test_duplicate_names(tmp_path: Path):
    path = make_zip(tmp_path / "b.zip", [("csv/a.csv", b"one"), ("csv/a.csv", b"two")])
    assert refusal(path) == "csv/a.csv: appears twice in the zip; the bundle is refused"


def test_a_symlink_entry(tmp_path: Path):
    link = zipfile.ZipInfo("csv/a.csv")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = make_zip(tmp_path / "b.zip", [(link, b"/etc/passwd")])
    assert refusal(path).startswith("csv/a.csv: is a symbolic link")


def test_a_folder_marked_by_its_attributes(tmp_path: Path):
    folder = zipfile.ZipInfo("csv")
    folder.external_attr = (stat.S_IFDIR | 0o755) << 16
    path = make_zip(tmp_path / "b.zip", [(folder, b"")])
    assert refusal(path).startswith("csv: is a folder entry")


def test_a_file_that_is_also_a_folder(tmp_path: Path):
    path = make_zip(tmp_path / "b.zip", [("csv", b"x"), ("csv/forms/a.csv", b"y")])
    assert refusal(path).startswith("csv: is both a file and a folder")


def test_other_compression_methods_are_refused(tmp_path: Path):
    path = make_zip(tmp_path / "b.zip", [("a.csv", b"x" * 100)], method=zipfile.ZIP_BZIP2)
    assert "a.csv: uses compression method 12" in refusal(path)


def test_an_encrypted_entry_is_refused(tmp_path: Path):
    path = make_zip(tmp_path / "b.zip", [("a.csv", b"x")], method=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x01  # the general purpose flag: encrypted
    path.write_bytes(bytes(data))
    assert "a.csv: is encrypted" in refusal(path)


def test_too_many_entries(tmp_path: Path):
    path = make_zip(tmp_path / "b.zip", [(f"f{i}.csv", b"") for i in range(5)])
    assert "has 5 entries, more than the 4" in refusal(path, ZipLimits(max_entries=4))


def test_declared_entry_size_over_the_limit(tmp_path: Path):
    path = make_zip(tmp_path / "b.zip", [("big.csv", b"x" * 5000)])
    assert refusal(path, ZipLimits(max_entry_size=4000)).startswith("big.csv: declares 5,000 bytes")


def test_declared_total_over_the_limit(tmp_path: Path):
    path = make_zip(tmp_path / "b.zip", [("a.csv", b"x" * 3000), ("b.csv", b"y" * 3000)])
    assert "declare 6,000 bytes in all" in refusal(path, ZipLimits(max_total_size=5000))


def test_a_zip_bomb_is_refused_by_its_ratio_before_reading(tmp_path: Path):
    path = make_zip(tmp_path / "bomb.zip", [("manifest.json", b"{}"), ("csv/zeros.csv", bytes(ZEROS))])
    assert path.stat().st_size < ZEROS / 500
    assert refusal(path).startswith("csv/zeros.csv: would expand more than 250 times")


def test_a_lying_header_cannot_make_an_entry_expand_past_it(tmp_path: Path):
    """The bomb declares 1,000 bytes but holds 40 MB of zeros: reading stops at the declared size, refused."""
    path = make_zip(tmp_path / "bomb.zip", [("csv/zeros.csv", bytes(ZEROS))])
    lie_about_size(path, 1000)
    with SafeZip(path) as bundle:
        assert bundle.declared_size("csv/zeros.csv") == 1000
        with pytest.raises(UnsafeZip, match=r"^csv/zeros.csv: damaged in the zip \(Bad CRC-32"):
            bundle.sha256_and_size("csv/zeros.csv")


def test_reading_is_counted_as_it_streams(tmp_path: Path):
    """Should a header slip past the up-front checks, the bytes actually read still meet every limit."""
    path = make_zip(tmp_path / "b.zip", [("a.csv", b"a" * 3_000_000), ("b.csv", b"b" * 3_000_000)])
    with SafeZip(path) as bundle:
        bundle.limits = ZipLimits(max_entry_size=2_000_000)
        with pytest.raises(UnsafeZip, match="^a.csv: larger than 2,000,000 bytes"):
            bundle.read("a.csv")
    with SafeZip(path) as bundle:
        bundle.limits = ZipLimits(max_total_size=5_000_000)
        bundle.read("a.csv")
        bundle.read("a.csv")  # reading one entry twice does not count twice
        with pytest.raises(UnsafeZip, match="^b.zip: expands to more than 5,000,000 bytes in all"):
            bundle.read("b.csv")
    with SafeZip(path) as bundle:
        bundle.limits = ZipLimits(ratio_floor=1_000_000, max_ratio=10)
        with pytest.raises(UnsafeZip, match="^a.csv: expands more than 10 times"):
            bundle.read("a.csv")


def test_overlapping_entries_are_refused(tmp_path: Path):
    """Two directory records sharing one entry's bytes: the 'overlapping zip bomb'."""
    path = make_zip(tmp_path / "b.zip", [("aaaa.csv", b"x" * 1000)])
    data = path.read_bytes()
    start = data.index(b"PK\x01\x02")
    end = data.index(b"PK\x05\x06")
    record = data[start:end]
    twin = record.replace(b"aaaa.csv", b"bbbb.csv")
    eocd = bytearray(data[end:])
    count, size = struct.unpack_from("<H", eocd, 10)[0], struct.unpack_from("<I", eocd, 12)[0]
    struct.pack_into("<HHI", eocd, 8, count + 1, count + 1, size + len(twin))
    path.write_bytes(data[:end] + twin + bytes(eocd))
    assert "overlaps another entry" in refusal(path)


def test_a_damaged_entry_names_itself(tmp_path: Path):
    path = make_zip(tmp_path / "b.zip", [("csv/a.csv", b"hello world " * 10)], method=zipfile.ZIP_STORED)
    path.write_bytes(path.read_bytes().replace(b"hello world", b"hello World", 1))
    assert refusal(path).startswith("csv/a.csv: damaged in the zip (Bad CRC-32")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_a_truncated_zip(tmp_path: Path, keep: float):
    path = make_zip(tmp_path / "b.zip", [("manifest.json", b"{}"), ("csv/a.csv", bytes(range(256)) * 40)])
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])
    assert refusal(path).startswith("b.zip: not a zip file, or truncated")


def test_not_a_zip(tmp_path: Path):
    path = tmp_path / "b.zip"
    path.write_text("manifest.json,odm.xml\n")
    assert refusal(path).startswith("b.zip: not a zip file")


def test_an_empty_file(tmp_path: Path):
    path = tmp_path / "b.zip"
    path.write_bytes(b"")
    assert refusal(path).startswith("b.zip: the file is empty")


def test_no_file_and_a_folder(tmp_path: Path):
    assert refusal(tmp_path / "none.zip") == "none.zip: no such file"
    assert refusal(tmp_path).endswith("is a folder, not a bundle zip")


def test_nothing_is_extracted(tmp_path: Path):
    path = make_zip(tmp_path / "b.zip", [("csv/a.csv", b"x")])
    before = sorted(tmp_path.rglob("*"))
    with SafeZip(path) as bundle:
        bundle.read("csv/a.csv")
    assert sorted(tmp_path.rglob("*")) == before
