"""Writing a small file whole or not at all (ecrf/atomic.py): the one writer of key slots, the trust registry,
the sponsor's key and query bundles."""
from __future__ import annotations

import os
import stat

import pytest

from ecrf.atomic import write_atomic


def test_a_file_is_replaced_whole_and_no_temporary_file_stays(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "registry.json"
    path.write_bytes(b"old")
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["registry.json"]


def test_a_failed_rename_leaves_the_old_file_and_nothing_else(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "site.keys"
    path.write_bytes(b"old")

    def crash(*_args: object) -> None:
        raise OSError("simulated crash during rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["site.keys"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_a_private_file_is_the_owners_alone_and_a_public_one_readable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    write_atomic(tmp_path / "sponsor.key", b"secret", private=True)
    write_atomic(tmp_path / "sponsor.pem", b"public")
    assert stat.S_IMODE((tmp_path / "sponsor.key").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "sponsor.pem").stat().st_mode) == 0o644
