"""verify_bundle on damaged and hostile zips: refused with a reason naming the entry, never an exception."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ecrf.export.verify.bundle import verify_bundle
from tests.export import test_verify as shared
from tests.export.test_verify import first_problem, rezip, write_zip

fake_checkers, good = shared.fake_checkers, shared.good  # the same fixtures here


@pytest.mark.req("EXPORT-VERIFY")
@pytest.mark.parametrize(("name", "expected"), [
    ("../x", "../x: climbs out of the bundle folder"), ("/etc/x", "/etc/x: is an absolute path"),
    ("csv/../../x", "csv/../../x: climbs out"),
])
def test_unsafe_entries(good: Path, tmp_path: Path, name: str, expected: str):
    assert first_problem(rezip(good, tmp_path / "u.zip", {name: b"x"})).startswith(expected)


@pytest.mark.req("EXPORT-VERIFY")
def test_duplicate_entries(good: Path, tmp_path: Path):
    bad = tmp_path / "dup.zip"
    bad.write_bytes(good.read_bytes())
    with pytest.warns(UserWarning), zipfile.ZipFile(bad, "a") as archive:
        archive.writestr("csv/subjects.csv", b"subject,site\r\nS-66,DEMO\r\n")
    assert first_problem(bad) == "csv/subjects.csv: appears twice in the zip; the bundle is refused"


@pytest.mark.req("EXPORT-VERIFY")
def test_a_zip_bomb(good: Path, tmp_path: Path):
    bomb = rezip(good, tmp_path / "bomb.zip", {"csv/subjects.csv": bytes(40 << 20)})
    assert first_problem(bomb).startswith("csv/subjects.csv: would expand more than 250 times")


@pytest.mark.req("EXPORT-VERIFY")
@pytest.mark.parametrize("keep", [0, 0.3, 0.7, 0.999])
def test_a_truncated_bundle(good: Path, tmp_path: Path, keep: float):
    cut = tmp_path / "cut.zip"
    data = good.read_bytes()
    cut.write_bytes(data[:int(len(data) * keep)])
    assert first_problem(cut).startswith("cut.zip: ")


@pytest.mark.req("EXPORT-VERIFY")
def test_not_a_bundle_at_all(tmp_path: Path):
    (tmp_path / "notes.zip").write_text("hello")
    assert first_problem(tmp_path / "notes.zip").startswith("notes.zip: not a zip file")
    assert first_problem(tmp_path / "missing.zip") == "missing.zip: no such file"
    assert first_problem(tmp_path).endswith("is a folder, not a bundle zip")
    other_zip = write_zip(tmp_path / "other.zip", {"a.txt": b"hello"})
    assert first_problem(other_zip) == "manifest.json: missing; the bundle has no manifest"


@pytest.mark.req("EXPORT-ATOMIC")
def test_an_unpublished_partial_file_is_never_a_bundle(good: Path, tmp_path: Path):
    partial = tmp_path / ".MSC-COVID19_DEMO_export0001_20261125.zip.0a1b2c3d.partial"
    partial.write_bytes(good.read_bytes())
    assert first_problem(partial).startswith(f"{partial.name}: an unfinished export")


def test_no_byte_flip_anywhere_in_the_zip_makes_verify_raise(good: Path, tmp_path: Path):
    """Damage at any offset (headers, directory, data) is a verdict, never an exception."""
    data = good.read_bytes()
    damaged = tmp_path / "damaged.zip"
    for offset in range(0, len(data), max(1, len(data) // 300)):
        damaged.write_bytes(data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1:])
        verdict = verify_bundle(damaged)
        assert verdict.ok or verdict.problems, offset
