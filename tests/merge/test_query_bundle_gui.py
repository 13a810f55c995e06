"""*Data › Import sponsor queries…* in the app (offscreen): there for the site administrator only, it imports
the chosen query bundle and says what it brought, or why it was refused."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from ecrf.services.auth import login
from tests.merge.query_bundle_helpers import ADMIN, ADMIN_PASSWORD, World, make_world

pytestmark = pytest.mark.req("MERGE-QUERY")


@pytest.fixture
def world(tmp_path: Path, multi_site, study) -> World:  # type: ignore[no-untyped-def]
    return make_world(tmp_path, multi_site, study)


@pytest.fixture
def shown(qapp, monkeypatch) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The app in English, its message boxes recorded instead of shown."""
    from ecrf.ui import dialogs
    from ecrf.ui.app import create_app
    from ecrf.ui.i18n import install_language

    create_app([])
    install_language("en")
    messages: dict[str, list[str]] = {"info": [], "error": []}
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: messages["info"].append(text))
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: messages["error"].append(text))
    return messages


def _window(qtbot, world: World, username: str, password: str):  # type: ignore[no-untyped-def]
    from ecrf.ui.main_window import MainWindow

    session = login(world.db, world.study, username, password)  # type: ignore[arg-type]
    window = MainWindow(session, idle_check_ms=60000)
    qtbot.addWidget(window)
    return session, window


@pytest.mark.parametrize(("username", "password", "there"), [
    ("nurse", "demo-nurse-2020", False), ("monitor", "demo-monitor-2020", False), (ADMIN, ADMIN_PASSWORD, True)])
def test_the_action_is_there_for_the_site_administrator_only(qtbot, world, shown, username, password, there):  # type: ignore[no-untyped-def]
    session, window = _window(qtbot, world, username, password)
    try:
        action = window.findChild(QAction, "action_import_sponsor_queries")
        assert (action is not None) is there
        if there:
            assert action.text() == "Import sponsor queries…"
    finally:
        window.watcher.stop()
        session.close()


def test_the_action_imports_the_chosen_bundle_and_says_what_it_brought(qtbot, world, shown, monkeypatch):  # type: ignore[no-untyped-def]
    import dataclasses

    from ecrf.ui import sponsor_import

    chosen: list[Path | None] = [world.write("one")]
    session, window = _window(qtbot, world, ADMIN, ADMIN_PASSWORD)
    try:
        action = window.findChild(QAction, "action_import_sponsor_queries")
        monkeypatch.setattr(sponsor_import, "ask_query_bundle", lambda parent: chosen[0])
        action.trigger()
        assert shown["error"] == [] and "1 new queries" in shown["info"][-1] and "Q-" in shown["info"][-1]
        action.trigger()
        assert shown["info"][-1] == "Query bundle 1 was imported before; nothing changed."
        chosen[0] = world.write("other-site", dataclasses.replace(world.base, sequence=2, site_code="CN02"))
        action.trigger()
        assert "for site CN02; this is site CN01" in shown["error"][-1]
        chosen[0] = None  # the file dialog cancelled: nothing is said
        action.trigger()
        assert len(shown["info"]) == 2 and len(shown["error"]) == 1
    finally:
        window.watcher.stop()
        session.close()
