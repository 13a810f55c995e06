"""The export dialog and the certificate panel, through the real widgets: who sees the action, what the
dialog shows, and exports that succeed, fail or are cancelled (the service runs on a worker)."""
from __future__ import annotations

import os
import threading
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QProgressDialog, QPushButton

from ecrf.export.bundle.identity import format_fingerprint
from ecrf.services import export, signing
from ecrf.services.errors import ExportFailed
from ecrf.services.export import ExportResult
from ecrf.ui import export_certificate, export_dialog
from ecrf.ui.export_dialog import ExportDialog
from ecrf.ui.main_window import MainWindow
from ecrf.ui.settings import AppSettings


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(tmp_path / "ui.ini")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def dialog(qtbot, session, settings, out) -> ExportDialog:  # type: ignore[no-untyped-def]
    d = ExportDialog(session, settings=settings)
    qtbot.addWidget(d)
    d.folder.setText(str(out))
    yield d
    if d.operation is not None:  # never leave a worker writing after the session is closed
        qtbot.waitUntil(lambda: d.operation.done, timeout=60000)


def _export(qtbot, dialog: ExportDialog) -> None:  # type: ignore[no-untyped-def]
    assert dialog.export_button.isEnabled()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.export_button.isEnabled() and not dialog.folder.isEnabled()  # no second export meanwhile


def _finished(qtbot, dialog: ExportDialog, dialogs) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.operation is not None and dialog.operation.done, timeout=60000)
    qtbot.waitUntil(lambda: bool(dialogs.infos or dialogs.errors), timeout=5000)
    assert dialog.export_button.isEnabled()


def _fake_result(path: Path, sequence: int = 1, new_key: bool = False) -> ExportResult:
    return ExportResult(path, sequence, 20, 9000, "ab" * 32, "cd" * 32, new_key)


# -- the menu action ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "shown"), [("nurse", True), ("investigator", True), ("monitor", False),
                                                 ("admin", False), ("reader", False)])
def test_the_export_action_is_there_for_the_roles_that_may_export(qtbot, demo, username, shown):
    session = demo.login(username)
    try:
        window = MainWindow(session, idle_check_ms=60000)
        qtbot.addWidget(window)
        action = window.findChild(QAction, "action_export")
        assert (action is not None) is shown
        if shown:
            assert action.text() == "Export bundle…" and action.shortcut().toString() == "Ctrl+E"
        window.watcher.stop()
    finally:
        session.close()


def test_the_action_opens_the_dialog_and_a_lock_closes_it(qtbot, session):
    window = MainWindow(session, idle_check_ms=60000)
    qtbot.addWidget(window)
    window.findChild(QAction, "action_export").trigger()
    opened = window.export_dialog
    assert isinstance(opened, ExportDialog) and opened.isVisible() and opened.isModal()
    window.lock()  # a window-modal dialog would keep the password field on the cover from input
    assert window.export_dialog is None and not window.cover.isHidden() and session.locked
    window.watcher.stop()


# -- what the dialog shows --------------------------------------------------------------------------

def test_the_dialog_shows_study_site_counts_and_the_certificate(dialog, session):
    texts = {key: label.text() for key, label in dialog.values.items()}
    assert texts["study"].startswith("MSC-COVID19 – ")
    assert texts["site"] == "DEMO – Demo hospital (synthetic data)"
    assert texts["subjects"] == "20"
    assert texts["last"] == "None yet: this is the site's first export"
    assert texts["next"] == "No. 1"
    fingerprint = signing.site_certificate(session).fingerprint
    shown = dialog.certificate.fingerprint.text()
    assert shown.replace("\n", ":") == format_fingerprint(fingerprint) and shown.count("\n") == 1


def test_the_folder_is_chosen_remembered_and_defaults_to_documents_or_home(qtbot, dialog, session, settings,
                                                                          monkeypatch, tmp_path, dialogs):
    fresh = ExportDialog(session, settings=AppSettings(tmp_path / "other.ini"))
    qtbot.addWidget(fresh)
    assert Path(fresh.folder.text()) == export_dialog.default_folder()
    chosen = tmp_path / "chosen"
    chosen.mkdir()  # a remembered folder is offered while it is there (a drive taken out is not)
    monkeypatch.setattr(export_dialog, "ask_folder", lambda parent, start: str(chosen))
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.folder.text() == str(chosen)
    monkeypatch.setattr(export, "export_bundle", lambda s, folder, **kw: _fake_result(folder / "b.zip", sequence=2))
    _export(qtbot, dialog)
    _finished(qtbot, dialog, dialogs)
    assert settings.export_folder == str(chosen)
    assert "send the certificate" not in dialogs.infos[-1][1]  # registered with the first bundle already
    again = ExportDialog(session, settings=settings)
    qtbot.addWidget(again)
    assert again.folder.text() == str(chosen)


def test_an_empty_folder_is_refused_before_anything_runs(qtbot, dialog, dialogs):
    dialog.folder.setText("  ")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "Choose the folder" in dialogs.last_error() and dialog.operation is None


# -- exporting (the service replaced: the flow) ----------------------------------------------------

def test_progress_reaches_the_bar_and_success_says_where_and_how_to_verify(qtbot, dialog, dialogs, monkeypatch, out):
    seen: list[tuple[int, int, str]] = []
    gate = threading.Event()

    def fake_export(session, folder, *, progress, cancelled):  # type: ignore[no-untyped-def]
        progress(0, 4, "DEMO-001")
        gate.wait(10)  # the test reads the progress dialog meanwhile
        progress(1, 4, "DEMO-002")
        progress(2, 4, "audit trail")
        progress(3, 4, "manifest and signature")
        return _fake_result(folder / "MSC-COVID19_DEMO_export0001_20260101.zip", new_key=True)

    monkeypatch.setattr(export, "export_bundle", fake_export)
    _export(qtbot, dialog)
    progress = dialog.findChild(QProgressDialog)
    qtbot.waitUntil(lambda: "DEMO-001" in progress.labelText(), timeout=10000)
    seen.append((progress.value(), progress.maximum(), progress.labelText()))
    gate.set()
    _finished(qtbot, dialog, dialogs)
    assert seen == [(0, 4, "Writing subject DEMO-001 (1 of 2)…")]
    title, text = dialogs.infos[-1]
    path = out / "MSC-COVID19_DEMO_export0001_20260101.zip"
    assert title == "Export finished" and str(path) in text and f'ecrf verify "{path}"' in text
    assert "send the certificate to the sponsor" in text
    assert str(path) in dialog.status.text() and not dialogs.errors


def test_a_failed_export_shows_the_services_message(qtbot, dialog, dialogs, monkeypatch):
    def full_disk(session, folder, **kw):  # type: ignore[no-untyped-def]
        raise ExportFailed("The disk holding E: is full; the export was stopped and nothing was kept.")

    monkeypatch.setattr(export, "export_bundle", full_disk)
    _export(qtbot, dialog)
    _finished(qtbot, dialog, dialogs)
    message = "The disk holding E: is full; the export was stopped and nothing was kept."
    assert dialogs.errors == [("Export failed", message)]
    assert "failed" in dialog.status.text() and not dialogs.infos


def test_closing_the_dialog_mid_export_cancels_it(qtbot, dialog, dialogs, monkeypatch):
    from ecrf.services.errors import ExportCancelled

    started = threading.Event()

    def slow_export(session, folder, *, progress, cancelled):  # type: ignore[no-untyped-def]
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        raise ExportCancelled("Export cancelled; no bundle was written.")

    monkeypatch.setattr(export, "export_bundle", slow_export)
    dialog.show()
    _export(qtbot, dialog)
    assert started.wait(10)
    dialog.reject()
    assert dialog.isVisible()  # it stays until the export has stopped
    _finished(qtbot, dialog, dialogs)
    assert dialogs.infos == [("Export cancelled", "Export cancelled; nothing was written.")]


# -- exporting for real -----------------------------------------------------------------------------

@pytest.mark.req("EXPORT-ATOMIC")
@pytest.mark.parametrize(("name", "is_file", "message"), [("not-there", False, "The folder {0} does not exist"),
                                                          ("a-file.txt", True, "{0} is a file, not a folder")])
def test_a_missing_folder_gives_the_services_message_and_writes_nothing(qtbot, dialog, dialogs, out, name, is_file,
                                                                        message):
    target = out / name
    if is_file:
        target.write_text("not a folder")
    dialog.folder.setText(str(target))
    _export(qtbot, dialog)
    _finished(qtbot, dialog, dialogs)
    assert message.format(target) in dialogs.last_error()
    assert [p.name for p in out.iterdir()] == (["a-file.txt"] if is_file else [])
    assert dialog.values["next"].text() == "No. 1" and "failed" in dialog.status.text()


@pytest.mark.req("EXPORT-ATOMIC")
def test_a_read_only_folder_gives_the_services_message_and_writes_nothing(qtbot, dialog, dialogs, out):
    out.chmod(0o500)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as root: a 0500 folder is still writable")
        _export(qtbot, dialog)
        _finished(qtbot, dialog, dialogs)
        assert "cannot be written" in dialogs.last_error() and list(out.iterdir()) == []
    finally:
        out.chmod(0o700)


def test_a_site_without_subjects_says_there_is_nothing_to_export(qtbot, sites, settings, out, dialogs):
    db_path, _code = sites.make()
    nurse = sites.login(db_path, "nurse")
    try:
        empty = ExportDialog(nurse, settings=settings)
        qtbot.addWidget(empty)
        empty.folder.setText(str(out))
        assert empty.values["subjects"].text() == "0"
        _export(qtbot, empty)
        _finished(qtbot, empty, dialogs)
        assert "nothing to export" in dialogs.last_error() and list(out.iterdir()) == []
    finally:
        nurse.close()


@pytest.mark.req("EXPORT-ATOMIC")
def test_cancelling_leaves_no_zip_and_no_partial_file(qtbot, dialog, dialogs, monkeypatch, out):
    real = export.export_bundle
    cancel_clicked = threading.Event()

    def export_waiting_for_cancel(session, folder, *, progress, cancelled):  # type: ignore[no-untyped-def]
        def report(done: int, total: int, what: str) -> None:
            progress(done, total, what)
            if done == 1:
                cancel_clicked.wait(10)  # the test clicks Cancel while the second subject is written

        return real(session, folder, progress=report, cancelled=cancelled)

    monkeypatch.setattr(export, "export_bundle", export_waiting_for_cancel)
    _export(qtbot, dialog)
    progress = dialog.findChild(QProgressDialog)
    qtbot.waitUntil(lambda: "(2 of 20)" in progress.labelText(), timeout=30000)
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    cancel_clicked.set()
    _finished(qtbot, dialog, dialogs)
    assert dialogs.infos == [("Export cancelled", "Export cancelled; nothing was written.")] and not dialogs.errors
    assert list(out.iterdir()) == []
    assert dialog.values["next"].text() == "No. 1"


@pytest.mark.req("EXPORT-COMPLETE")
def test_the_demo_exports_one_bundle_into_the_chosen_folder(qtbot, dialog, dialogs, out, session):
    from ecrf.export.verify.bundle import verify_bundle

    _export(qtbot, dialog)
    _finished(qtbot, dialog, dialogs)
    assert not dialogs.errors, dialogs.errors
    written = list(out.iterdir())
    assert len(written) == 1 and written[0].suffix == ".zip"
    assert written[0].name.startswith("MSC-COVID19_DEMO_export0001")
    with zipfile.ZipFile(written[0]) as bundle:
        names = bundle.namelist()
    assert names[:2] == ["manifest.json", "manifest.sig"] and "odm.xml" in names
    assert sum(n.startswith("pdf/casebooks/") for n in names) == 20
    title, text = dialogs.infos[-1]
    assert title == "Export finished" and str(written[0]) in text and "ecrf verify" in text
    assert dialog.exported is not None and dialog.exported.path == written[0] and dialog.exported.subjects == 20
    assert dialog.values["last"].text().startswith("No. 1, ") and written[0].name in dialog.values["last"].text()
    assert dialog.values["next"].text() == "No. 2"
    verdict = verify_bundle(written[0], trust=signing.site_certificate(session).fingerprint)
    assert verdict.ok, verdict.problems  # the one the dialog showed is the one that signed


# -- the certificate panel (export dialog and the admin's Site tab) ---------------------------------------

def test_the_admins_site_tab_shows_copies_and_saves_the_certificate(qtbot, demo, dialogs, monkeypatch, tmp_path):
    from ecrf.ui.admin.page import AdminPage

    admin = demo.login("admin")
    try:
        page = AdminPage(admin)
        qtbot.addWidget(page)
        panel = page.site.certificate
        info = signing.site_certificate(admin)
        assert panel.fingerprint.text().replace("\n", ":") == format_fingerprint(info.fingerprint)
        qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
        assert QGuiApplication.clipboard().text() == format_fingerprint(info.fingerprint)
        assert panel.suggested_name().name == "MSC-COVID19_DEMO_certificate.pem"
        target = tmp_path / "site.pem"
        monkeypatch.setattr(export_certificate, "ask_certificate_target", lambda parent, suggested: target)
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
        assert target.read_text(encoding="ascii") == info.pem and info.pem.startswith("-----BEGIN CERTIFICATE-----")
        assert str(target) in dialogs.infos[-1][1]
        monkeypatch.setattr(export_certificate, "ask_certificate_target",
                            lambda parent, suggested: tmp_path / "no" / "x")
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
        assert "could not be read or written" in dialogs.last_error()
    finally:
        admin.close()
