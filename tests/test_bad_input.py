"""Bad input through the command line: each known situation gives its coded message (`error [code]: ...`,
exit 1), never "unexpected"; a bug gives a crash log and exit 70. The GUI side is tests/ui/test_bad_input_gui.py."""
from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD

Run = Callable[..., tuple[int, str, str]]
cli_main = importlib.import_module("ecrf.cli.main")  # the module (ecrf.cli re-exports its `main` function)




def list_users(ecrf: Run, db: Path) -> tuple[int, str, str]:
    return ecrf("users", "list", "--db", db, "--user", "admin", "--password-stdin", stdin=f"{ADMIN_PASSWORD}\n")


def assert_coded(result: tuple[int, str, str], code: str, *phrases: str) -> str:
    """Exit 1 with `error [code]: <message>` on stderr, the message holding every phrase; no bug report."""
    exit_code, _, err = result
    assert exit_code == 1, err
    assert f"error [{code}]: " in err, err
    for phrase in phrases:
        assert phrase.lower() in err.lower(), err
    for noise in ("Traceback", "unexpected", "crash-"):
        assert noise not in err, err
    return err


# -- the four bad-input situations of issue "Structure" ----------------------------------------------

@pytest.mark.req("STORE-FAULTS")
def test_missing_key_file_shows_the_stores_message(ecrf: Run, sites) -> None:  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    keys = db.with_suffix(".keys")
    keys.unlink()
    err = assert_coded(list_users(ecrf, db), "key-file-missing", "is missing", "restore it from your backup")
    assert str(keys) in err


@pytest.mark.req("STORE-FAULTS")
def test_corrupt_key_file_shows_the_stores_message(ecrf: Run, sites) -> None:  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    keys = db.with_suffix(".keys")
    keys.write_bytes(keys.read_bytes()[: keys.stat().st_size // 2])  # cut off, as by an interrupted copy
    err = assert_coded(list_users(ecrf, db), "key-file-damaged", "damaged", "restore it from your backup")
    assert str(keys) in err


@pytest.mark.req("STORE-FAULTS")
def test_foreign_key_file_shows_the_stores_message(ecrf: Run, sites) -> None:  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    other, _ = sites.make(users=False, allocation=False, fresh=True)  # same admin and password: its slot opens
    before = db.read_bytes()
    shutil.copyfile(other.with_suffix(".keys"), db.with_suffix(".keys"))
    assert_coded(list_users(ecrf, db), "key-file-does-not-open-database", "do not belong together",
                 ".keys file that was made with this database")
    assert db.read_bytes() == before


@pytest.mark.req("STORE-FAULTS")
def test_database_folder_that_vanished_shows_the_stores_message(ecrf: Run, sites) -> None:  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    shutil.rmtree(db.parent)  # a USB stick pulled out, a folder deleted while nobody had it open
    err = assert_coded(list_users(ecrf, db), "database-folder-missing", "does not exist", "reconnect the drive")
    assert str(db.parent) in err
    assert not db.parent.exists()  # looking did not make the folder again


def test_a_chinese_environment_gets_the_chinese_message(ecrf: Run, sites,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    db, _ = sites.make(users=False, allocation=False)
    db.with_suffix(".keys").unlink()
    monkeypatch.setenv("LANGUAGE", "zh_CN:zh")
    assert_coded(list_users(ecrf, db), "key-file-missing", "密钥文件", "请从备份中恢复")


# -- a bug: logged, and the user is told where ------------------------------------------------------

def test_a_bug_writes_a_crash_log_and_exits_70(ecrf: Run, monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    def broken(_args: object) -> int:
        raise ZeroDivisionError("a bug in a command")

    monkeypatch.setenv("ECRF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(cli_main, "cmd_describe", broken)
    code, _, err = ecrf("describe")
    assert code == 70
    logs = list((tmp_path / "data" / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    assert "ZeroDivisionError" in err and "Traceback" not in err
    written = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in written and "a bug in a command" in written


def test_a_crash_log_that_cannot_be_written_is_said_so(ecrf: Run, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    def broken(_args: object) -> int:
        raise KeyError("oops")

    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("ECRF_DATA_DIR", str(blocker))
    monkeypatch.setattr(cli_main, "cmd_describe", broken)
    code, _, err = ecrf("describe")
    assert code == 70
    assert "could not be written to a log file" in err and "KeyError" in err


def test_ecrf_debug_also_prints_the_traceback(ecrf: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(_args: object) -> int:
        raise ZeroDivisionError("a bug in a command")

    monkeypatch.setenv("ECRF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ECRF_DEBUG", "1")
    monkeypatch.setattr(cli_main, "cmd_describe", broken)
    code, _, err = ecrf("describe")
    assert code == 70 and "crash-" in err and "Traceback" in err
