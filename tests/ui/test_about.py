"""Help › About: version, the definition's version and fingerprint, the data folder, the bundled software
with the versions this copy runs and their licences, in English and Chinese.

INSTALL-ABOUT: the About dialog names the app version, the study definition's fingerprint, the data folder
and every bundled component's licence; the licence notices ship as resources/licenses/THIRD-PARTY.txt."""
from __future__ import annotations

import os
import sys
from importlib import metadata
from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from ecrf import __version__, components
from ecrf.paths import data_dir, resource_path
from ecrf.ui import about
from ecrf.ui.about import AboutDialog, bundled_components
from ecrf.ui.i18n import install_language
from ecrf.ui.main_window import MainWindow

pytestmark = pytest.mark.req("INSTALL-ABOUT")
SCREENSHOTS = Path(os.environ.get("ECRF_ABOUT_SCREENSHOTS", "")) if os.environ.get("ECRF_ABOUT_SCREENSHOTS") else None


def test_help_about_opens_the_dialog(qtbot, session, monkeypatch):  # type: ignore[no-untyped-def]
    opened: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: opened.append(self) or 0)
    window = MainWindow(session, idle_check_ms=60000)
    qtbot.addWidget(window)
    action = window.findChild(QAction, "action_about")
    assert action is not None and action.text() == "About ecrf…"
    action.trigger()
    assert len(opened) == 1 and opened[0].parent() is window
    window.watcher.stop()


def test_the_dialog_names_version_definition_and_data_folder(qtbot, session):  # type: ignore[no-untyped-def]
    dialog = AboutDialog(session)
    qtbot.addWidget(dialog)
    facts = dialog.facts.text()
    assert f"ecrf version {__version__}" in facts
    info = session.study.info
    assert f"({info.oid}), definition version {info.version}" in facts
    assert about.grouped(session.study.fingerprint) in facts and len(session.study.fingerprint) == 64
    assert f"Data folder: {data_dir()}" in facts
    assert str(session.database.paths.db) in facts
    _save(dialog, "about-en.png")


def test_every_bundled_component_has_its_running_version_and_licence(qtbot, session):  # type: ignore[no-untyped-def]
    dialog = AboutDialog(session)
    qtbot.addWidget(dialog)
    table = dialog.components
    rows = {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
            for r in range(table.rowCount())}
    assert rows["sqlcipher3"] == (metadata.version("sqlcipher3"), "zlib (binding); SQLCipher: BSD-3-Clause")
    assert rows["pyHanko"] == (metadata.version("pyhanko"), "MIT")
    assert rows["Qt"][1] == "LGPL-3.0-only" and rows["PySide6_Essentials"][1].startswith("LGPL-3.0-only")
    assert rows["Droid Sans Fallback (font)"] == ("–", "Apache-2.0")
    # every Python distribution the app runs on, with the version installed: the same list the build bundles
    for component in components.python_components():
        assert rows[component.name] == (metadata.version(component.name), component.licence)
    assert len(rows) == len(bundled_components()) > 40 and all(version for version, _ in rows.values())


def test_the_notices_ship_and_say_where_the_licence_texts_are(qtbot, session):  # type: ignore[no-untyped-def]
    notices = resource_path(*about.NOTICES).read_text(encoding="utf-8")
    for text in ("LGPL-3.0", "SQLCipher", "OpenSSL", "libpq", "Droid Sans Fallback", "DejaVu",
                 "ecrf.app/Contents/Resources/LICENSES", "*.dist-info/licenses"):
        assert text in notices
    assert "beside its files" not in notices  # the texts are in LICENSES/, not beside each component's files
    dialog = AboutDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.notices.toPlainText() == notices
    assert "Licence texts: in each component's *.dist-info/licenses folder" in dialog.facts.text()  # not frozen


def test_the_built_app_names_its_licences_folder(qtbot, session, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    (tmp_path / "LICENSES").mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "ecrf"))
    dialog = AboutDialog(session)
    qtbot.addWidget(dialog)
    assert f"Licence texts: {tmp_path / 'LICENSES'}" in dialog.facts.text()


def test_the_dialog_speaks_chinese(qtbot, session):  # type: ignore[no-untyped-def]
    install_language("zh_CN")
    dialog = AboutDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "关于 ecrf"
    assert "研究定义指纹（SHA-256）" in dialog.facts.text() and "数据文件夹" in dialog.facts.text()
    assert dialog.components.horizontalHeaderItem(2).text() == "许可证"
    _save(dialog, "about-zh.png")


def _save(dialog: AboutDialog, name: str) -> None:
    """With ECRF_ABOUT_SCREENSHOTS=DIR, keep a picture of the dialog to look at."""
    if SCREENSHOTS is not None:
        dialog.show()
        dialog.grab().save(str(SCREENSHOTS / name))
