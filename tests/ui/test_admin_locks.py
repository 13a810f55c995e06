"""The administration's Data locks tab: the site administrator, who may lock but not read trial data, lists the locks
in force, unlocks with a reason (signatures over the data break) and locks a subject, a visit or a form chosen from
lists of places, all through the lock services and their refusals."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from subject_helpers import actions_after, events_after, last_seq

from ecrf.services import locks, sdv
from ecrf.study.place import Place
from ecrf.study.status import Scope
from ecrf.ui.admin.locks_tab import AT, BY, SUBJECT, WHAT, LocksTab
from ecrf.ui.admin.page import AdminPage
from ecrf.ui.i18n import install_language
from tests.monitoring.helpers import add_signature, signature_states, site_with_subject

pytestmark = pytest.mark.req("LOCK")


@pytest.fixture
def site(sites):  # type: ignore[no-untyped-def]
    """A site with one enrolled subject whose SCR/DM the monitor has verified (so it meets the plan's lock needs)."""
    made = site_with_subject(sites)
    with made.user("monitor") as monitor:
        sdv.verify_form(monitor, made.ref("SCR", "DM"))
    return made


@pytest.fixture
def admin(site):  # type: ignore[no-untyped-def]
    with site.user("admin") as session:
        yield session


@pytest.fixture
def tab(qtbot, admin) -> LocksTab:  # type: ignore[no-untyped-def]
    page = AdminPage(admin)
    qtbot.addWidget(page)
    assert page.locks is not None and "Data locks" in page.tab_names()
    page.show_tab(page.locks)
    return page.locks


def _rows(tab: LocksTab) -> list[tuple[str, ...]]:
    return [tuple(tab.table.item(row, column).text() for column in (SUBJECT, WHAT, BY))
            for row in range(tab.table.rowCount())]


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), f"{button.objectName()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_admin_locks_a_form_chosen_from_the_lists(qtbot, site, admin, tab, dialogs):
    assert tab.count.text() == "Nothing is locked." and not tab.unlock_button.isEnabled()
    assert site.subject in [tab.subject_box.itemText(i) for i in range(tab.subject_box.count())]
    tab.choose(site.subject, Place())
    offered = [tab.place_box.itemText(i).strip() for i in range(tab.place_box.count())]
    assert offered[:3] == ["The whole subject", "Visit SCR – Screening / baseline",
                           "SCR/DM – Informed consent and demographics"]
    before = last_seq(admin)
    tab.choose(site.subject, Place("SCR"))
    _click(qtbot, tab.lock_button)  # the visit's other forms are not complete
    assert "cannot be locked yet" in dialogs.last_error() and "not complete" in dialogs.last_error()
    assert last_seq(admin) == before and tab.table.rowCount() == 0
    tab.choose(site.subject, Place("SCR", "DM"))
    _click(qtbot, tab.lock_button)
    assert len(dialogs.errors) == 1
    [event] = events_after(admin, before)
    assert (event.action, event.username, event.subject, event.visit, event.form) == (
        "locked", "admin", site.subject, "SCR", "DM")
    assert _rows(tab) == [(site.subject, "SCR/DM – Informed consent and demographics", "admin")]
    assert "(UTC" in tab.table.item(0, AT).text() and tab.count.text() == "1 lock(s) in force."
    assert tab.place_box.currentText().endswith("(locked)")  # the list says what is locked already
    [info] = locks.active_locks(admin, site.subject)
    assert info.place == Place("SCR", "DM") and info.locked_by == "admin"


@pytest.fixture
def investigator_lock(site) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The investigator locked SCR/DM and signed it (before the administrator logs in: one session at a time)."""
    with site.user("investigator") as investigator:
        lock_id = locks.lock(investigator, site.subject, Scope.FORM, ref=site.ref("SCR", "DM"))
        return lock_id, add_signature(investigator, site.subject, "form", "SCR", "DM")


def test_the_admin_unlocks_an_investigators_lock_with_a_reason_and_its_signatures_break(qtbot, site, investigator_lock,
                                                                                       tab, dialogs):
    lock_id, signed = investigator_lock
    assert _rows(tab) == [(site.subject, "SCR/DM – Informed consent and demographics", "investigator")]
    tab.select(lock_id)
    dialogs.reasons.append(None)  # cancelled: nothing happens
    _click(qtbot, tab.unlock_button)
    assert tab.table.rowCount() == 1
    before = last_seq(tab.session)
    dialogs.reasons.append("consent version to correct")
    _click(qtbot, tab.unlock_button)
    assert "Why must SCR/DM – Informed consent and demographics of" in dialogs.questions[-1]
    assert dialogs.errors == [] and tab.table.rowCount() == 0 and tab.count.text() == "Nothing is locked."
    assert actions_after(tab.session, before) == ["unlocked", "signature_broken"]
    unlocked = events_after(tab.session, before)[0]
    assert (unlocked.username, unlocked.reason) == ("admin", "consent version to correct")
    assert signature_states(tab.session)[signed] == ("broken", "unlocked: consent version to correct")


def test_a_lock_lifted_meanwhile_says_so_and_the_list_follows(qtbot, site, admin, tab, dialogs):
    tab.choose(site.subject, Place("SCR", "DM"))
    _click(qtbot, tab.lock_button)
    [info] = tab.locks
    locks.unlock(admin, info.id, "lifted elsewhere")  # as if from another window
    tab.select(info.id)
    dialogs.reasons.append("again")
    _click(qtbot, tab.unlock_button)
    assert "There is no lock" in dialogs.last_error() and tab.table.rowCount() == 0


def test_the_tab_in_chinese(site, tab):
    install_language("zh_CN")
    tab.refresh()
    tab.choose(site.subject, Place())
    assert tab.place_box.itemText(0) == "整个受试者" and tab.count.text() == "没有任何锁定。"


@pytest.mark.req("P11.10g")
@pytest.mark.parametrize("username", ["monitor", "nurse", "reader"])
def test_roles_that_may_not_lock_get_no_locks_tab(qtbot, site, username):
    with site.user(username) as session:
        page = AdminPage(session)
        qtbot.addWidget(page)
        assert page.locks is None and "Data locks" not in page.tab_names()


def test_a_site_without_subjects_offers_nothing_to_lock(qtbot, sites):
    db, _ = sites.make()
    admin = sites.login(db)
    try:
        tab = LocksTab(admin)
        qtbot.addWidget(tab)
        assert tab.subject_box.count() == tab.place_box.count() == 0
        assert not tab.lock_button.isEnabled() and not tab.lock_chosen()
        assert tab.count.text() == "Nothing is locked."
    finally:
        admin.close()
