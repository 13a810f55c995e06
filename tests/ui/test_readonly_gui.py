"""The app on a site on read-only media (issue 12, robustness): login says the site is opened read-only, the
idle lock and unlock work without writing, and a save is refused with the read-only message, the typing kept."""
from __future__ import annotations

import pytest
from conftest import FORMS

from ecrf.services import read_only
from ecrf.services.overview import subject_rows
from ecrf.services.subject_data import FormRef
from ecrf.store import database as store_database
from ecrf.ui.app import AppController
from ecrf.ui.form_editor.page import FormEditorPage
from ecrf.ui.main_window import MainWindow
from ecrf.ui.settings import AppSettings

pytestmark = pytest.mark.req("STORE-FAULTS")


@pytest.fixture
def app(tmp_path, study, demo, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(store_database, "site_is_read_only", lambda paths: True)
    monkeypatch.setattr(read_only, "site_is_read_only", lambda paths: True)
    controller = AppController(demo.db_path, FORMS, AppSettings(tmp_path / "ui.ini"), idle_check_ms=50)
    controller._study = study
    controller.start()
    yield controller
    if isinstance(controller.window, MainWindow):
        controller.window.cover.hide()
        controller.window.watcher.stop()
    if controller.session is not None:
        controller.session.close()
    if controller.window is not None:
        controller.window.hide()
        controller.window.deleteLater()


def _new_ae_entry(session) -> FormRef:  # type: ignore[no-untyped-def]
    """A new AE entry of an allocated subject the editor opens for entry (the demo locks one subject)."""
    from ecrf.services.editing import open_form

    allocated = [FormRef(row.label, "", "AE", "", 0) for row in subject_rows(session) if row.subject_id]
    return next(ref for ref in allocated if open_form(session, ref).editable)


def test_read_only_site_in_the_app(app, qtbot, dialogs) -> None:  # type: ignore[no-untyped-def]
    app.log_in("nurse", "demo-nurse-2020")
    window = app.window
    assert isinstance(window, MainWindow) and app.session.database.read_only
    assert dialogs.infos and "opened read-only" in dialogs.infos[-1][1]
    window.show()
    qtbot.waitExposed(window)
    window.lock()
    assert window.cover.isVisible() and app.session.locked
    window.cover.password.setText("demo-nurse-2020")
    window.cover.try_unlock()
    assert not window.cover.isVisible() and not app.session.locked
    page = FormEditorPage(app.session, _new_ae_entry(app.session))
    qtbot.addWidget(page)
    page.rows["AETERM"].field.set_entry("headache")
    assert page.save() is None
    assert "site is opened read-only" in dialogs.last_error()
    assert page.rows["AETERM"].field.entry() == "headache"
