"""A damaged chart file (display/charts.yaml) is a definition problem: the app shows its coded message
(file, line, code, what to do) where the study is opened, never "unexpected error" or a traceback."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FORMS

from ecrf.study.charts import CHARTS_FILE
from ecrf.ui import login
from ecrf.ui.app import AppController
from ecrf.ui.login import LoginWindow, StartWindow
from ecrf.ui.settings import AppSettings
from tests.ui.form_helpers import fill_new_site

DAMAGED = {
    "yaml-syntax": ("study: MSC-COVID19\ncharts:\n  - {form: VS, item: TEMP\n", "charts.yaml:4: [yaml-syntax]"),
    "unknown-item": ("study: MSC-COVID19\ncharts:\n  - {form: VS, item: NOPE}\n", "charts.yaml:3: [unknown-item]"),
}


@pytest.fixture(params=sorted(DAMAGED))
def damaged(request, tmp_path) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    """A copy of the study whose chart file is damaged, and the start of the message expected."""
    folder = tmp_path / "forms"
    shutil.copytree(FORMS, folder)
    text, expected = DAMAGED[request.param]
    (folder / CHARTS_FILE).write_text(text, encoding="utf-8")
    return folder, expected


@pytest.fixture
def controller(tmp_path, qtbot):  # type: ignore[no-untyped-def]
    made: list[AppController] = []

    def make(db_path: Path, forms: Path) -> AppController:
        app = AppController(db_path, forms, AppSettings(tmp_path / "ui.ini"))
        app.start()
        made.append(app)
        return app

    yield make
    for app in made:
        if app.window is not None:
            app.window.hide()
            app.window.deleteLater()


def _assert_coded(text: str, expected: str) -> None:
    assert f"forms/display/{expected}" in text, text
    assert "ecrf check-forms" in text  # what to do
    assert "unexpected" not in text and "Traceback" not in text


def test_the_login_window_shows_the_coded_problem(damaged, controller, tmp_path, qtbot):
    forms, expected = damaged
    site_db = tmp_path / "site.db"
    site_db.write_bytes(b"")  # the login window does not open the database: any existing file will do
    app = controller(site_db, forms)
    window = app.window
    assert isinstance(window, LoginWindow)
    qtbot.waitUntil(lambda: "could not be loaded" in window.error.text(), timeout=20000)
    _assert_coded(window.error.text(), expected)
    window.username.setText("nurse")  # trying anyway gives the same message
    window.password.setText("demo-nurse-2020")
    window._submit()
    _assert_coded(window.error.text(), expected)


def test_creating_a_site_on_it_shows_the_coded_problem(damaged, controller, tmp_path, qtbot, monkeypatch,
                                                       dialogs):  # type: ignore[no-untyped-def]

    forms, expected = damaged
    monkeypatch.setattr(login.CreateSiteDialog, "exec", fill_new_site)
    app = controller(tmp_path / "new" / "site.db", forms)
    assert isinstance(app.window, StartWindow)
    app.create_site()
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=20000)
    _assert_coded(dialogs.last_error(), expected)
    assert not (tmp_path / "new" / "site.db").exists()
