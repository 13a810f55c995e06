"""Fixes found by a tester in the app: the signing dialog says "sign as yourself" for another user's username and
stays open; a signature made from the form editor is confirmed and shows at once; the lock screen says "Wrong
password"; the audit trail screen starts a new filter at its newest events, "Clear filters" resets both dates,
and status and response codes show in words (English and Chinese) with the stored codes in the tooltip."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QWidget
from subject_helpers import enrol, events_after, last_seq, password_of

from ecrf.services import auth, esign
from ecrf.services.subject_data import FormRef
from ecrf.study.status import Scope
from ecrf.ui.admin.audit_events import CHANGE, REASON
from ecrf.ui.admin.audit_tab import AuditTab
from ecrf.ui.esign import dialog as esign_dialog
from ecrf.ui.esign.dialog import SignatureAnswer, SigningDialog
from ecrf.ui.form_editor.page import FormEditorPage
from ecrf.ui.i18n import install_language
from ecrf.ui.lock import LockCover

PASSWORD = password_of("investigator")


# -- the signing dialog ------------------------------------------------------------------------------------

@pytest.mark.req("P11.200")
def test_another_users_username_is_said_in_the_dialog_which_keeps_the_entries_but_the_password(qtbot, investigator):
    label = enrol(investigator, manual=("CTRL", "M001"))
    esign.certify(investigator, PASSWORD)
    dialog = SigningDialog(investigator, esign.preview(investigator, label, Scope.VISIT, visit="SCR"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.username is not None and dialog.error.isHidden()
    before = last_seq(investigator)
    dialog.username.setText("nurse")
    dialog.password.setText(password_of("nurse"))
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisible()
    assert "You sign as yourself: enter your own username (investigator) and password." in dialog.error.text()
    assert dialog.username.text() == "nurse" and dialog.password.text() == ""
    assert events_after(investigator, before) == []  # no failed login of anyone
    dialog.username.setText("investigator")
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.answer() == SignatureAnswer("investigator", PASSWORD, False)


@pytest.mark.req("P11.50")
def test_signing_from_the_form_editor_confirms_and_shows_the_signature_at_once(qtbot, investigator, dialogs,
                                                                              monkeypatch):
    label = enrol(investigator, manual=("CTRL", "M001"))
    monkeypatch.setattr(esign_dialog, "ask_certification", lambda parent, session: PASSWORD)
    monkeypatch.setattr(esign_dialog, "ask_signature", lambda parent, session, preview: SignatureAnswer(
        "investigator" if esign.needs_username(session) else None, PASSWORD, bool(preview.warnings)))
    editor = FormEditorPage(investigator, FormRef(label, "SCR", "DM"))
    qtbot.addWidget(editor)
    assert "signed" not in editor.monitoring_line.text()
    assert editor.sign_button is not None and editor.sign_button.isEnabled()
    qtbot.mouseClick(editor.sign_button, Qt.MouseButton.LeftButton)
    assert dialogs.errors == []
    title, text = dialogs.infos[-1]
    assert title == "Electronic signature"
    assert text.startswith(f"Signed: {label} SCR/DM (1 form(s)), by Investigator Tester at ") and "UTC" in text
    assert "✎" in editor.monitoring_line.text() and "signed" in editor.monitoring_line.text()


# -- the lock screen ---------------------------------------------------------------------------------------

@pytest.mark.req("P11.10d")
def test_the_lock_screen_says_wrong_password_with_the_attempts_left(qtbot, nurse):
    window = QWidget()
    qtbot.addWidget(window)
    cover = LockCover(nurse, window)
    auth.lock(nurse, by_user=True)
    cover.cover(by_user=True)
    cover.password.setText("not-the-password")
    cover.try_unlock()
    said = cover.error.text()
    assert said.startswith("Wrong password.") and "4 attempt(s) left" in said
    assert "username" not in said.lower() and cover.password.text() == ""
    install_language("zh_CN")
    cover.password.setText("still-not-it")
    cover.try_unlock()
    assert cover.error.text().startswith("密码错误。") and "用户名" not in cover.error.text()
    cover.password.setText(password_of("nurse"))
    cover.try_unlock()
    assert not nurse.locked and cover.isHidden()


# -- the audit trail screen --------------------------------------------------------------------------------

@pytest.fixture
def admin(small_demo):  # type: ignore[no-untyped-def]
    s = small_demo.login("admin")
    yield s
    s.close()


@pytest.fixture
def tab(qtbot, admin) -> AuditTab:  # type: ignore[no-untyped-def]
    t = AuditTab(admin)
    qtbot.addWidget(t)
    return t


def _column(tab: AuditTab, number: int) -> list[str]:
    model = tab.browser.model
    while model.canFetchMore():
        model.fetchMore()
    return [model.index(r, number).data() for r in range(model.rowCount())]


def _only(tab: AuditTab, action: str) -> None:
    bar = tab.browser.filters
    bar.action.setCurrentIndex(bar.action.findData(action))
    assert bar.action.currentData() == action


@pytest.mark.req("WARD-AUDIT-2")
def test_a_new_filter_starts_at_the_newest_events(qtbot, tab) -> None:
    tab.resize(1200, 500)
    tab.show()
    qtbot.waitExposed(tab)
    table, bar = tab.browser.table, tab.browser.filters
    for _ in range(3):
        table.scrollToBottom()
        qtbot.wait(1)
    assert table.verticalScrollBar().value() > 0
    bar.user.setCurrentIndex(bar.user.findData("investigator"))
    qtbot.wait(1)
    assert table.verticalScrollBar().value() == 0
    assert table.rowAt(0) == 0  # the newest matching event is the first row shown


@pytest.mark.req("WARD-AUDIT-2")
def test_clear_filters_resets_both_dates(qtbot, tab) -> None:
    bar = tab.browser.filters
    today = QDate(bar.today.year, bar.today.month, bar.today.day)
    for use, edit in ((bar.use_from, bar.date_from), (bar.use_to, bar.date_to)):
        use.setChecked(True)
        edit.setDate(QDate(2000, 1, 1))
    qtbot.mouseClick(bar.clear_button, Qt.MouseButton.LeftButton)
    for use, edit in ((bar.use_from, bar.date_from), (bar.use_to, bar.date_to)):
        assert not use.isChecked() and not edit.isEnabled() and edit.date() == today
    assert bar.value().since is None and bar.value().until is None
    assert isinstance(bar.today, date)


@pytest.mark.req("WARD-AUDIT-1")
def test_status_and_response_codes_show_in_words_in_english_and_chinese(tab) -> None:
    expected_en = {
        "form_status": {"Not started → In progress", "Not started → Complete"},
        "sdv_verified": {"not verified yet → verified"},
        "sdv_changed": {"verified → changed since verified"},
        "query_answered": {"Open → Answered"},
        "query_closed": {"Answered → Closed"},
        "signature_broken": {"valid → broken"},
        "participation_ended": {"Screening → Screen failure", "Enrolled → Completed"},
    }
    for action, shown in expected_en.items():
        _only(tab, action)
        assert set(_column(tab, CHANGE)) <= shown and set(_column(tab, CHANGE)), action
    _only(tab, "query_answered")
    reasons = _column(tab, REASON)
    assert any(": [Typing error] " in r for r in reasons) and not any("_" in r.split("]")[0] for r in reasons)
    model = tab.browser.model
    stored = model.rows[0].reason or ""
    assert reasons[0].split("] ", 1)[1] == stored.split("] ", 1)[1]  # what the user wrote, as written
    assert f"Stored as: {stored}" in model.index(0, REASON).data(Qt.ItemDataRole.ToolTipRole)
    _only(tab, "form_status")
    tip = model.index(0, CHANGE).data(Qt.ItemDataRole.ToolTipRole)
    assert "Stored as: not_started → " in tip

    install_language("zh_CN")
    tab.refresh()
    expected_zh = {"form_status": "未开始", "query_answered": "待回复 → 已回复", "signature_broken": "有效 → 已失效",
                   "sdv_verified": "尚未核查 → 已核查"}
    for action, word in expected_zh.items():
        _only(tab, action)
        changes = _column(tab, CHANGE)
        assert changes and all(word in c for c in changes), (action, changes)
        assert not any(c.isascii() for c in changes)
    _only(tab, "query_answered")
    assert any("[录入错误]" in r for r in _column(tab, REASON))


@pytest.mark.req("WARD-AUDIT-2")
def test_a_login_shows_its_failed_login_counter_in_words(tab) -> None:
    _only(tab, "login")
    shown = _column(tab, CHANGE)
    assert shown and all(s.startswith("failed-login file at no. ") for s in shown if s)
    assert not any("record" in s for s in shown)
