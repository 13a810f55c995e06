"""A SQLite central database named by a path gets messages about the file, in the words the user typed: a folder,
a file that is not a central database, a folder or file that cannot be written. No sqlite:/// URL, no advice about
servers and passwords, and `merged export` / `merged report` never say that nothing was merged. A PostgreSQL URL
keeps the server's message."""
from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from ecrf.cli.main import main
from ecrf.merge.central.db import open_central
from ecrf.merge.errors import CentralDatabaseError

FINGERPRINT = "ab" * 32  # a --trust: the merge stops at the database before any bundle is checked
SERVER_WORDS = ("sqlite:", "server", "password", "user")


def _merge(into: str, tmp_path: Path) -> list[str]:
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(b"PK")
    return ["merge", str(bundle), "--into", into, "--trust", FINGERPRINT]


def _export(source: str, tmp_path: Path) -> list[str]:
    return ["merged", "export", "--from", source, "--out", str(tmp_path / "set")]


def _report(source: str, tmp_path: Path) -> list[str]:
    return ["merged", "report", "--from", source, "--out", str(tmp_path / "report")]


COMMANDS: dict[str, Callable[[str, Path], list[str]]] = {"merge": _merge, "export": _export, "report": _report}


def _error(capsys, argv: list[str]) -> str:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main(argv) == 1
    return str(capsys.readouterr().err)


def _plain_file_message(err: str, code: str, typed: str, command: str) -> None:
    assert f"error [{code}]: " in err, err
    assert typed in err and not any(word in err for word in SERVER_WORDS), err
    if command != "merge":
        assert "nothing was merged" not in err


@pytest.mark.req("MERGE-CLI")
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_folder_is_named_as_a_folder(tmp_path, capsys, monkeypatch, command) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "central").mkdir()
    err = _error(capsys, COMMANDS[command]("central", tmp_path))
    _plain_file_message(err, "central-is-folder", "central is a folder, not a central database file", command)
    assert "central/merged.db" in err


@pytest.mark.req("MERGE-CLI")
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_file_that_is_not_a_central_database_is_left_as_it_is(tmp_path, capsys, monkeypatch, command) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.db").write_text("not a database\n")
    err = _error(capsys, COMMANDS[command]("notes.db", tmp_path))
    _plain_file_message(err, "central-not-database", "notes.db is not an ecrf central database", command)
    assert (tmp_path / "notes.db").read_text() == "not a database\n"


@pytest.mark.req("MERGE-CLI")
def test_a_file_that_only_starts_like_sqlite_is_not_a_central_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "fake.db"
    fake.write_bytes(b"SQLite format 3\x00" + b"\x01" * 200)
    with pytest.raises(CentralDatabaseError) as refused:
        open_central(fake, create=False)
    assert refused.value.code == "central-not-database" and str(fake) in refused.value.message


@pytest.mark.req("MERGE-CLI")
@pytest.mark.parametrize("command", ["export", "report"])
def test_a_missing_database_is_named_by_its_path(tmp_path, capsys, monkeypatch, command) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    err = _error(capsys, COMMANDS[command]("none.db", tmp_path))
    _plain_file_message(err, "central-missing", "There is no central database at none.db.", command)
    assert not (tmp_path / "none.db").exists()


def _read_only(monkeypatch, *paths: Path) -> None:  # type: ignore[no-untyped-def]
    """As for a user without write permission (tests may run as root, which writes anywhere)."""
    real, refused = os.access, {str(p) for p in paths}

    def access(path, mode, *args, **kwargs):  # type: ignore[no-untyped-def]
        if mode & os.W_OK and str(path) in refused:
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


@pytest.mark.req("MERGE-CLI")
def test_a_merge_into_a_folder_that_cannot_be_written_says_so(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    open_central(locked / "central.db").dispose()
    _read_only(monkeypatch, locked)
    for typed in ("locked/central.db", "locked/new.db"):  # a database there, and one to be made
        err = _error(capsys, _merge(typed, tmp_path))
        _plain_file_message(err, "central-folder-read-only", typed, "merge")
        assert f"The folder {locked} cannot be written" in err
    assert sorted(p.name for p in locked.iterdir()) == ["central.db"]


@pytest.mark.req("MERGE-CLI")
def test_a_merge_into_a_read_only_database_file_says_so(tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    open_central(tmp_path / "central.db").dispose()
    _read_only(monkeypatch, tmp_path / "central.db")
    err = _error(capsys, _merge("central.db", tmp_path))
    _plain_file_message(err, "central-file-read-only", "The central database central.db is read-only", "merge")


@pytest.mark.req("MERGE-CLI")
def test_reading_a_database_in_a_read_only_folder_is_no_error(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Export and report only read: a central database on a read-only medium is theirs to read."""
    open_central(tmp_path / "central.db").dispose()
    _read_only(monkeypatch, tmp_path, tmp_path / "central.db")
    open_central(tmp_path / "central.db", create=False).dispose()
    with pytest.raises(CentralDatabaseError) as refused:
        open_central(tmp_path / "central.db")
    assert refused.value.code == "central-folder-read-only"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.req("MERGE-CLI")
def test_a_postgresql_url_keeps_the_servers_message_without_its_password(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = f"postgresql://sponsor:secret@127.0.0.1:{_closed_port()}/central"
    err = _error(capsys, _merge(url, tmp_path))
    assert "error [central-unreachable]" in err and "nothing was merged" in err and "server is running" in err
    err = _error(capsys, _report(url, tmp_path))
    assert "error [central-unreachable-reading]" in err and "server is running" in err
    assert "nothing was merged" not in err and "nothing was read from it" in err
    assert "secret" not in err and "sponsor:***@" in err
