"""The form editor against bad input and bad moments: letters in numbers, impossible dates, huge pastes,
leaving with unsaved entries, the database going away; and what other roles and languages see."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from subject_helpers import stored

from ecrf.services import forms
from ecrf.services.subject_data import FormRef
from ecrf.study.values import Missing
from ecrf.ui import i18n
from ecrf.ui.form_editor.missing_menu import item_menu
from ui.form_helpers import TODAY, d3_subject, focus, open_page


def _vs(session, label: str, arm: str) -> FormRef:  # type: ignore[no-untyped-def]
    return FormRef(label, "D3", "VS", "PRE" if arm == "MSC" else "")


def _leave(qtbot, page, code: str, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    """Type into an item, press Tab: the message shows under it."""
    page.rows[code].field.set_entry("")
    page.focus_item(code)
    qtbot.keyClicks(focus(), text)
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: expected in page.rows[code].findings.text())


@pytest.mark.req("VAL-HARD")
def test_letters_in_a_number_and_impossible_dates_get_messages(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    label, arm = d3_subject(session)
    page = open_page(qtbot, session, _vs(session, label, arm))
    _leave(qtbot, page, "PULSE", "abc", "'abc' is not a number")
    _leave(qtbot, page, "VSDAT", "30/02/2020", "write YYYY-MM-DD")
    _leave(qtbot, page, "VSDAT", "2020-02-30", "February 2020 has 29 days")
    page.rows["TEMP"].field.set_entry("37,5")
    page.field_left(page.rows["TEMP"].field.edit)
    assert "37.5" in page.rows["TEMP"].findings.text()  # decimal point hint, not a silent guess
    assert page.save() is None
    assert page.rows["PULSE"].field.entry() == "abc" and page.rows["VSDAT"].field.entry() == "2020-02-30"


@pytest.mark.req("VAL-HARD")
def test_a_huge_paste_is_kept_whole_and_refused_as_too_long(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    page = open_page(qtbot, session, FormRef(label, "", "AE", "", 0))
    text = "fever " * 333 + "xx"  # 2,000 characters
    QApplication.clipboard().setText(text)
    qtbot.keyClick(focus(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert page.rows["AETERM"].field.entry() == text  # nothing cut off by the widget
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: page.rows["AETERM"].findings.isVisible())
    assert "2000 characters; at most 200" in page.rows["AETERM"].findings.text()
    assert page.save() is None


def test_unsaved_entries_guard(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    ref = FormRef(label, "D3", "AECHK")
    page = open_page(qtbot, session, ref)
    assert page.maybe_leave() and not dialogs.questions  # nothing typed: no question
    qtbot.keyClicks(focus(), "N")
    assert page.has_unsaved()
    dialogs.save_discard.extend(["cancel", "discard"])
    with qtbot.assertNotEmitted(page.closed):
        page.close_page()
    assert page.rows["AEYN"].field.entry() == "N"  # stayed, entry kept
    assert page.maybe_leave()  # discard
    dialogs.save_discard.append("save")
    with qtbot.waitSignal(page.closed):
        page.close_page()
    assert stored(session, ref) == {"AEYN": "N"}


def test_save_on_leaving_stays_when_the_save_is_refused(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label, arm = d3_subject(session)
    page = open_page(qtbot, session, _vs(session, label, arm))
    qtbot.keyClicks(focus(), "not a date")
    dialogs.save_discard.append("save")
    assert not page.maybe_leave()
    assert page.rows["VSDAT"].field.entry() == "not a date"


def test_closing_the_main_window_mid_entry_asks_first(qtbot, demo, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    from ecrf.ui.main_window import MainWindow

    label, _arm = d3_subject(session)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    window.open_form(FormRef(label, "D3", "AECHK"))
    page = window.page
    page.rows["AEYN"].field.set_entry("Y")
    dialogs.save_discard.append("cancel")
    assert not window.close()
    assert window.page is page and page.rows["AEYN"].field.entry() == "Y"


def test_the_database_disappearing_keeps_what_was_typed_and_what_was_saved(qtbot, demo, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    ref = FormRef(label, "D3", "CS")
    forms.save_form(session, ref, {"CSDAT": TODAY.isoformat()})
    page = open_page(qtbot, session, ref)
    page.rows["FEVER"].field.set_entry("Y")
    folder = demo.db_path.parent
    session.database.engine.dispose()
    gone = folder.rename(folder.with_name("usb-stick-pulled"))
    try:
        assert page.save() is None
        assert dialogs.errors and "database" in dialogs.last_error().lower()
        assert page.rows["FEVER"].field.entry() == "Y" and page.has_unsaved()
    finally:
        gone.rename(folder)
    session.database.engine.dispose()
    assert page.save() is not None  # stick back in: the same entries save
    assert stored(session, ref)["CSDAT"] == TODAY and stored(session, ref)["FEVER"] == "Y"


@pytest.mark.req("VAL-SKIP")
def test_hidden_answers_come_back_and_are_cleared_only_with_a_word(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    page = open_page(qtbot, session, FormRef(label, "", "AE", "", 0))
    rows = page.rows
    rows["AETERM"].field.set_entry("Headache")
    rows["AESTDAT"].field.set_entry(TODAY.isoformat())
    rows["AEONGO"].field.set_entry("N")
    rows["AEENDAT"].field.set_entry(TODAY.isoformat())
    rows["AEONGO"].field.set_entry("Y")
    assert not rows["AEENDAT"].isVisible()
    rows["AEONGO"].field.set_entry("N")
    assert rows["AEENDAT"].isVisible() and rows["AEENDAT"].field.entry() == TODAY.isoformat()
    rows["AEONGO"].field.set_entry("Y")
    dialogs.yes_no.extend([False])
    assert page.save() is None
    assert "End date" in dialogs.questions[-1]


def test_missing_menu_marks_not_done(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    ref = FormRef(label, "D3", "LB")
    page = open_page(qtbot, session, ref)
    menu = item_menu(page, page.rows["CD19"].item, session.study.missing_codes, "en", current=None, editable=True,
                     has_history=False)
    assert [a.text() for a in menu.actions() if a.text()][:1] == ["ND – Not done"]
    page.rows["LBDAT"].field.set_entry(TODAY.isoformat())
    page.apply_menu_choice("CD19", ("missing", "ND"))
    assert page.rows["CD19"].field.value() == Missing("ND") and page.rows["CD19"].field.badge.isVisible()
    assert page.save() is not None
    assert stored(session, ref)["CD19"] == Missing("ND")


@pytest.mark.req("VAL-DERIVED")
def test_derived_value_follows_typing(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    page = open_page(qtbot, session, FormRef(label, "SCR", "DM"))
    page.rows["WEIGHT"].field.set_entry("80.0")
    assert page.rows["BMI"].field.edit.text() == "26.9"


def test_monitor_sees_values_without_edit_controls(qtbot, demo, session) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    ref = FormRef(label, "D3", "AECHK")
    forms.save_form(session, ref, {"AEYN": "N"})
    session.close()  # one program at a time on a site: the nurse logs out, the monitor logs in
    monitor = demo.login("monitor")
    try:
        page = open_page(qtbot, monitor, ref)
        assert not page.save_button.isVisible() and not page.complete_button.isVisible()
        assert not page.rows["AEYN"].field.buttons[0].isEnabled()
        assert page.rows["AEYN"].field.entry() == "N"
        assert "Read only" in page.banner.text() and not page.has_unsaved()
    finally:
        monitor.close()


def test_form_not_asked_for_this_arm_is_read_only_with_the_reason(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    label, arm = d3_subject(session)
    other = FormRef(label, "D3", "EX") if arm == "CTRL" else FormRef(label, "D3", "VS")
    page = open_page(qtbot, session, other)
    assert "not asked for" in page.banner.text()


def test_chinese_labels(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    label, arm = d3_subject(session)
    monkeypatch.setattr(i18n, "_current", "zh_CN")
    page = open_page(qtbot, session, _vs(session, label, arm))
    assert page.title().startswith("D3 · 生命体征")
    assert "体温" in page.rows["TEMP"].label.text()
    page.rows["TEMP"].field.set_entry("abc")
    page.field_left(page.rows["TEMP"].field.edit)
    assert "不是数字" in page.rows["TEMP"].findings.text()
