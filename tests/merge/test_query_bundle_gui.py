"""*Data › Import sponsor queries…* in the app (offscreen): there for the site administrator only, it imports
the chosen query bundle and says what it brought, or why it was refused."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from ecrf.services.auth import login
from tests.merge.query_bundle_helpers import ADMIN, ADMIN_PASSWORD, World, make_world, site_copy

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
    messages: dict[str, list[str]] = {"info": [], "error": [], "asked": []}
    monkeypatch.setattr(dialogs, "show_info", lambda parent, title, text: messages["info"].append(text))
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: messages["error"].append(text))

    def ask_yes_no(parent, title, text):  # type: ignore[no-untyped-def]
        messages["asked"].append(text)
        return True
    monkeypatch.setattr(dialogs, "ask_yes_no", ask_yes_no)
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


def test_the_site_tab_shows_and_registers_the_sponsor_certificate(qtbot, world, shown, multi_site, tmp_path,  # type: ignore[no-untyped-def]
                                                                   monkeypatch):
    from ecrf.export.bundle.identity import format_fingerprint
    from ecrf.ui.admin import sponsor_box
    from ecrf.ui.admin.site_tab import SiteTab

    db = site_copy(multi_site.site("CN01").folder, tmp_path, "unregistered")
    session = login(db, world.study, ADMIN, ADMIN_PASSWORD)  # type: ignore[arg-type]
    try:
        tab = SiteTab(session)
        qtbot.addWidget(tab)
        assert tab.sponsor.state.text().startswith("No sponsor certificate is registered")
        certificate = tmp_path / "sponsor-certificate.pem"
        certificate.write_text(world.identity.certificate_pem, encoding="ascii")
        chosen = [multi_site.site("CN02").certificate]  # a site's certificate is no sponsor's
        monkeypatch.setattr(sponsor_box, "ask_sponsor_certificate", lambda parent: chosen[0])
        tab.sponsor.register_button.click()
        assert "not a sponsor's certificate" in shown["error"][-1] and shown["asked"] == []
        chosen[0] = certificate
        tab.sponsor.register_button.click()
        groups = format_fingerprint(world.identity.fingerprint).split(":")
        assert "ACME" in shown["asked"][-1] and ":".join(groups[:16]) in shown["asked"][-1]
        assert tab.sponsor.state.text().startswith("ACME, registered")
        assert tab.sponsor.fingerprint.text() == ":".join(groups[:16]) + "\n" + ":".join(groups[16:])
    finally:
        session.close()
