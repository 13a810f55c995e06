"""Bad input through the app's login window: each known situation shows its coded store message (in the
interface language), never "Something unexpected". A bug is logged to a crash log whose path is shown.
The command-line side is tests/test_bad_input.py."""
from __future__ import annotations

import errno
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD, FORMS
from PySide6.QtCore import Qt

from ecrf.errors import file_error
from ecrf.store.slot_file import SlotFileMissing
from ecrf.ui import dialogs as real_dialogs
from ecrf.ui.app import AppController, last_resort_hook
from ecrf.ui.i18n import install_language
from ecrf.ui.login import LoginWindow
from ecrf.ui.settings import AppSettings


@pytest.fixture
def site(sites) -> Path:  # type: ignore[no-untyped-def]
    db, _ = sites.make(users=False, allocation=False)
    return db


@pytest.fixture
def login_window(tmp_path, study, qtbot):  # type: ignore[no-untyped-def]
    """`login_window(db)`: the app started on `db`, showing its login window (the database not yet opened)."""
    made: list[AppController] = []

    def start(db: Path) -> AppController:
        app = AppController(db, FORMS, AppSettings(tmp_path / "ui.ini"), idle_check_ms=50)
        app._study = study
        app.start()
        made.append(app)
        assert isinstance(app.window, LoginWindow)
        return app

    yield start
    for app in made:
        if app.session is not None:
            app.session.close()
        if app.window is not None:
            app.window.hide()
            app.window.deleteLater()


def log_in_as_admin(qtbot, app: AppController) -> str:  # type: ignore[no-untyped-def]
    """Type the admin's credentials, press Log in, and return what the login window then says."""
    window = app.window
    assert isinstance(window, LoginWindow)
    window.username.setText("admin")
    window.password.setText(ADMIN_PASSWORD)
    qtbot.mouseClick(window.login_button, Qt.MouseButton.LeftButton)
    assert isinstance(app.window, LoginWindow), "the login must have been refused"
    text = app.window.error.text()
    assert "unexpected" not in text.lower() and "Traceback" not in text
    return text


@pytest.mark.req("STORE-FAULTS")
def test_missing_key_file_shows_the_stores_message(login_window, site, qtbot):  # type: ignore[no-untyped-def]
    app = login_window(site)
    site.with_suffix(".keys").unlink()  # gone after the app started
    text = log_in_as_admin(qtbot, app)
    assert str(site.with_suffix(".keys")) in text
    assert "is missing" in text and "Restore it from your backup" in text


@pytest.mark.req("STORE-FAULTS")
def test_missing_key_file_in_chinese(login_window, site, qtbot):  # type: ignore[no-untyped-def]
    app = login_window(site)
    site.with_suffix(".keys").unlink()
    install_language("zh_CN")
    text = log_in_as_admin(qtbot, app)
    assert "密钥文件" in text and "请从备份中恢复" in text


@pytest.mark.req("STORE-FAULTS")
def test_corrupt_key_file_shows_the_stores_message(login_window, site, qtbot):  # type: ignore[no-untyped-def]
    app = login_window(site)
    site.with_suffix(".keys").write_text("{ this is not a key file", encoding="utf-8")
    text = log_in_as_admin(qtbot, app)
    assert "is damaged or has been altered" in text and "Restore it from your backup" in text


@pytest.mark.req("STORE-FAULTS")
def test_foreign_key_file_shows_the_stores_message(login_window, sites, site, qtbot):  # type: ignore[no-untyped-def]
    other, _ = sites.make(users=False, allocation=False, fresh=True)
    app = login_window(site)
    shutil.copyfile(other.with_suffix(".keys"), site.with_suffix(".keys"))
    text = log_in_as_admin(qtbot, app)
    assert "do not belong together" in text and ".keys file that was made with this database" in text


@pytest.mark.req("STORE-FAULTS")
def test_database_folder_that_vanished_shows_the_stores_message(login_window, site, qtbot):  # type: ignore[no-untyped-def]
    app = login_window(site)
    shutil.rmtree(site.parent)  # the USB stick is pulled out while the login window waits
    text = log_in_as_admin(qtbot, app)
    assert str(site.parent) in text and "does not exist" in text and "Reconnect the drive" in text
    assert not site.parent.exists()


# -- the one place the app turns exceptions into words ----------------------------------------------

def test_error_text_gives_our_errors_in_the_interface_language():  # type: ignore[no-untyped-def]
    missing = SlotFileMissing("key-file-missing", path="/media/usb/site.keys")
    assert real_dialogs.error_text(missing) == missing.text("en")
    install_language("zh_CN")
    assert real_dialogs.error_text(missing) == missing.text("zh")


def test_a_file_the_system_refuses_reads_as_the_command_lines_file_error() -> None:
    refused = OSError(errno.ENAMETOOLONG, "File name too long", "/media/usb/" + "b" * 300 + "/backup.zip")
    coded = file_error(refused)  # what `ecrf` prints as "error [file-error]: ..." (tests/test_robustness.py)
    assert coded.code == "file-error"
    text = real_dialogs.error_text(refused)
    assert text == coded.text("en") and "File name too long" in text and "/media/usb/bbb" in text
    install_language("zh_CN")
    assert real_dialogs.error_text(refused) == coded.text("zh") and "无法读取或写入文件" in coded.text("zh")


def test_a_bug_is_logged_and_its_log_named(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ECRF_DATA_DIR", str(tmp_path / "data"))
    try:
        raise ZeroDivisionError("a bug in a slot")
    except ZeroDivisionError as exc:
        text = real_dialogs.error_text(exc)
    logs = list((tmp_path / "data" / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in text and "ZeroDivisionError" in text
    assert "a bug in a slot" in logs[0].read_text(encoding="utf-8")


def test_an_exception_escaping_a_slot_is_shown_not_lost(monkeypatch, tmp_path, dialogs):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ECRF_DATA_DIR", str(tmp_path / "data"))
    fallback_calls: list[type[BaseException]] = []
    hook = last_resort_hook(lambda kind, exc, tb: fallback_calls.append(kind))
    try:
        raise LookupError("escaped from a slot")
    except LookupError:
        hook(*sys.exc_info())  # type: ignore[arg-type]
    assert "LookupError" in dialogs.last_error() and "crash-" in dialogs.last_error()
    assert fallback_calls == []
    hook(KeyboardInterrupt, KeyboardInterrupt(), None)  # Ctrl+C in a terminal still ends the app
    assert fallback_calls == [KeyboardInterrupt]
