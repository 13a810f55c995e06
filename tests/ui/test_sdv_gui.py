"""A monitor verifies a form in the editor (the whole form, then takes one item back with a reason); the SDV
matrix shows the progress, and its filter finds the subject once a value changed after verification."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ecrf.services import forms
from ecrf.services.subject_data import FormRef
from ecrf.study.status import SdvState
from ecrf.ui.form_editor.page import FormEditorPage
from ecrf.ui.reason_dialog import Reasons
from ecrf.ui.sdv_matrix import SdvMatrixPage
from tests.monitoring.helpers import site_with_subject

pytestmark = pytest.mark.req("SDV")


def test_monitor_verifies_a_form_and_the_matrix_shows_it(qtbot, sites, dialogs):  # type: ignore[no-untyped-def]
    site = site_with_subject(sites)
    ref = FormRef(site.subject, "SCR", "DM")
    with site.user("monitor") as monitor:
        page = FormEditorPage(monitor, ref)
        qtbot.addWidget(page)
        page.resize(1366, 768)
        page.show()
        assert not page.state.editable  # a monitor reads, never edits
        assert page.verify_button.isVisible() and page.verify_button.isEnabled()
        assert page.sdv_markers["RFICDAT"].isVisible() and "SEX" not in page.sdv_markers
        qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
        assert dialogs.errors == []
        box = page.sdv_markers["ICVER"].box
        assert box is not None and box.isChecked()
        assert "2 of 2 verified" in page.monitoring_line.text()
        assert not page.verify_button.isEnabled()
        dialogs.reasons.append("checked against the wrong consent form")
        page.sdv_markers["ICVER"].box.click()  # un-tick: asks the reason
        assert page.sdv_markers["ICVER"].state is SdvState.NOT_VERIFIED
        assert dialogs.reason_kinds[-1] is Reasons.UNVERIFY  # the usual reasons for taking a verification back
        assert "1 of 2 verified" in page.monitoring_line.text()
        page.sdv_markers["ICVER"].box.click()
        assert page.sdv_markers["ICVER"].state is SdvState.VERIFIED

        matrix = SdvMatrixPage(monitor)
        qtbot.addWidget(matrix)
        row = matrix.visible_subjects().index(site.subject)
        column = [v.code for v in monitor.study.visits].index("SCR")
        assert matrix.table.item(row, column).text().startswith("2/14")  # DM 2 + IE 9 + RAND 3
        matrix.changed_only.setChecked(True)
        assert matrix.visible_subjects() == []
    with site.user("nurse") as nurse:
        forms.save_form(nurse, ref, {"ICVER": "V2"}, reason="typing error", complete=True)
    with site.user("monitor") as monitor:
        matrix = SdvMatrixPage(monitor)
        qtbot.addWidget(matrix)
        matrix.changed_only.setChecked(True)
        assert matrix.visible_subjects() == [site.subject]
        page = FormEditorPage(monitor, ref)
        qtbot.addWidget(page)
        assert page.sdv_markers["ICVER"].state is SdvState.CHANGED
        assert "changed since verified" in page.sdv_markers["ICVER"].label.text()


def test_the_monitors_controls_show_chinese(qtbot, sites, dialogs):  # type: ignore[no-untyped-def]
    """The SDV controls are built in a part of the page (form_editor/monitoring.py): their texts are still
    looked up under the page's context and show in Chinese."""
    from ecrf.ui.i18n import install_language

    site = site_with_subject(sites)
    assert install_language("zh_CN")
    try:
        with site.user("monitor") as monitor:
            page = FormEditorPage(monitor, FormRef(site.subject, "SCR", "DM"))
            qtbot.addWidget(page)
            assert (page.verify_button.text(), page.unverify_button.text()) == ("核查整个表单", "取消核查已勾选条目…")
            qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
            dialogs.reasons.append("核对了错误的版本")
            page.sdv_markers["ICVER"].box.click()  # un-tick: the question is asked in Chinese
            assert dialogs.questions[-1].startswith("为什么要取消这些条目的核查？")
            assert page.sdv_markers["ICVER"].state is SdvState.NOT_VERIFIED
    finally:
        install_language("en")


@pytest.mark.req("LOCK")
def test_investigator_locks_and_unlocks_a_form_on_the_subject_page(qtbot, sites, dialogs):  # type: ignore[no-untyped-def]
    from ecrf.services import locks, sdv
    from ecrf.study.status import Scope
    from ecrf.ui.monitoring_symbols import lock_symbol
    from ecrf.ui.subject.page import SubjectPage

    site = site_with_subject(sites)
    ref = FormRef(site.subject, "SCR", "DM")
    with site.user("monitor") as monitor:
        sdv.verify_form(monitor, ref)
    with site.user("investigator") as investigator:
        page = SubjectPage(investigator)
        qtbot.addWidget(page)
        page.show_subject(site.subject)
        page.schedule.tree.setCurrentIndex(page.schedule.form_index("SCR", "DM"))
        page.lock_buttons._fill_lock_menu()
        assert [a.text() for a in page.lock_buttons.lock_menu.actions()][:2] == ["Lock form SCR/DM", "Lock visit SCR"]
        assert not page.lock_buttons.lock(Scope.VISIT, "SCR")  # forms of the visit not complete
        assert "cannot be locked yet" in dialogs.last_error()
        assert page.lock_buttons.lock(Scope.FORM, ref=ref)
        index = page.schedule.form_index("SCR", "DM")
        assert lock_symbol() in index.siblingAtColumn(6).data()
        [info] = locks.active_locks(investigator, site.subject)
        dialogs.reasons.append("consent version to correct")
        assert page.lock_buttons.unlock(info)
        assert lock_symbol() not in page.schedule.form_index("SCR", "DM").siblingAtColumn(6).data()


@pytest.mark.req("LOCK")
def test_site_admin_freezes_and_reopens_the_site(qtbot, sites, dialogs):  # type: ignore[no-untyped-def]
    from ecrf.study.status import SiteState
    from ecrf.ui.admin.site_tab import SiteTab

    site = site_with_subject(sites)
    with site.user("admin") as admin:
        tab = SiteTab(admin)
        qtbot.addWidget(tab)
        assert not tab.site_state.buttons[SiteState.OPEN].isEnabled()
        dialogs.reasons.append("final export")
        qtbot.mouseClick(tab.site_state.buttons[SiteState.FROZEN], Qt.MouseButton.LeftButton)
        assert "frozen" in tab.site_state.state_label.text()
        dialogs.reasons.append("correction asked by the sponsor")
        qtbot.mouseClick(tab.site_state.buttons[SiteState.OPEN], Qt.MouseButton.LeftButton)
        assert "open" in tab.site_state.state_label.text()


def test_monitor_verifies_a_whole_visit_from_the_sdv_matrix(qtbot, sites, dialogs):  # type: ignore[no-untyped-def]
    site = site_with_subject(sites)
    with site.user("monitor") as monitor:
        matrix = SdvMatrixPage(monitor)
        qtbot.addWidget(matrix)
        row = matrix.visible_subjects().index(site.subject)
        matrix.table.setCurrentCell(row, [v.code for v in monitor.study.visits].index("SCR"))
        qtbot.mouseClick(matrix.verify_visit_button, Qt.MouseButton.LeftButton)
        assert dialogs.errors == []
        assert "14 item(s) verified" in dialogs.infos[-1][1]
        assert matrix.table.item(row, 0).text().startswith("14/14 ☑")
