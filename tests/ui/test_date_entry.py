"""Dates are typed as ISO text or picked from a calendar pop-up; partial dates stay typeable; the item
menu button says what it is."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, Qt

from ecrf.services.subject_data import FormRef
from ecrf.study.model import ItemType
from ecrf.ui.form_editor.date_picker import DateField, typed_day, with_day
from ui.form_helpers import TODAY, d3_subject, focus, open_page


def _vs(qtbot, session):  # type: ignore[no-untyped-def]
    label, arm = d3_subject(session)
    return open_page(qtbot, session, FormRef(label, "D3", "VS", "PRE" if arm == "MSC" else ""))


def _qdate(day) -> QDate:  # type: ignore[no-untyped-def]
    return QDate(day.year, day.month, day.day)


@pytest.mark.req("WARD-ENTRY-4")
def test_a_day_picked_from_the_calendar_fills_the_iso_date(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    page = _vs(qtbot, session)
    field = page.rows["VSDAT"].field
    assert isinstance(field, DateField) and field.calendar_button.isVisible()
    assert "calendar" in field.calendar_button.toolTip().lower()
    assert field.calendar_button.accessibleName() == f"Calendar: {field.item.label.get('en')}"
    field.open_calendar()
    popup = field.popup
    assert popup is not None and popup.isVisible()
    assert popup.calendar.maximumDate() == _qdate(TODAY), "no future dates for this item"
    yesterday = TODAY - timedelta(days=1)
    popup.calendar.clicked.emit(_qdate(yesterday))
    assert not popup.isVisible()
    assert field.entry() == yesterday.isoformat()
    assert page.has_unsaved()


@pytest.mark.req("WARD-ENTRY-4")
def test_alt_down_opens_the_calendar_on_the_typed_date(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    page = _vs(qtbot, session)
    page.focus_item("VSDAT")
    qtbot.keyClicks(focus(), "2020-02-03")
    qtbot.keyClick(focus(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    field = page.rows["VSDAT"].field
    assert isinstance(field, DateField)
    qtbot.waitUntil(lambda: field.popup is not None and field.popup.isVisible())
    assert field.popup is not None and field.popup.calendar.selectedDate() == QDate(2020, 2, 3)
    qtbot.keyClick(field.popup, Qt.Key.Key_Escape)
    assert not field.popup.isVisible() and field.entry() == "2020-02-03"


@pytest.mark.req("WARD-ENTRY-4")
def test_partial_dates_are_still_typed_and_a_missing_mark_disables_the_calendar(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    page = open_page(qtbot, session, FormRef(label, "", "AE", "", 0))
    page.focus_item("AESTDAT")
    partial = f"{TODAY:%Y-%m}-UN"  # this month, day unknown: after consent as far as can be told
    qtbot.keyClicks(focus(), partial)
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "AESTDAT" in page.touched)
    field = page.rows["AESTDAT"].field
    assert isinstance(field, DateField) and field.entry() == partial
    assert not page.rows["AESTDAT"].findings.isVisible(), page.rows["AESTDAT"].findings.text()
    assert typed_day("2020-03-UN") is None  # the calendar opens on today, not on a guessed day
    vs = _vs(qtbot, session)
    vs_date = vs.rows["VSDAT"].field
    assert isinstance(vs_date, DateField)
    vs_date.set_missing("ND", "Not done")
    assert not vs_date.calendar_button.isEnabled()
    vs_date.set_missing(None)
    assert vs_date.calendar_button.isEnabled()


def test_a_picked_day_keeps_the_typed_time_of_a_date_and_time() -> None:
    day = QDate(2020, 3, 4)
    assert with_day("2020-01-01 08:30", day, ItemType.DATETIME) == "2020-03-04 08:30"
    assert with_day("", day, ItemType.DATETIME) == "2020-03-04 "
    assert with_day("2020-03-UN", day, ItemType.PARTIAL_DATE) == "2020-03-04"
    assert typed_day("2020-02-30") is None and typed_day("2020-02-29 10:00") == QDate(2020, 2, 29)


@pytest.mark.req("WARD-ENTRY-4")
def test_the_item_menu_button_says_what_it_is(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    page = _vs(qtbot, session)
    more = page.rows["TEMP"].more
    assert more.text() == "Item" and more.arrowType() == Qt.ArrowType.DownArrow
    assert "Ctrl+M" in more.toolTip() and "history" in more.toolTip()
    assert more.accessibleName() == f"Item menu: {page.rows['TEMP'].item.label.get('en')}"


@pytest.mark.req("WARD-ENTRY-4")
def test_the_calendar_names_months_and_weekdays_in_the_ui_language(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QLocale

    from ecrf.ui.i18n import install_language

    install_language("zh_CN")
    field = _vs(qtbot, session).rows["VSDAT"].field
    assert isinstance(field, DateField)
    field.open_calendar()
    assert field.popup is not None
    names = field.popup.calendar.locale()
    assert names.language() == QLocale.Language.Chinese
    assert names.monthName(12) == "十二月", "month names in Chinese, as the rest of the window"
    assert QLocale().decimalPoint() == ".", "numbers keep the C locale's decimal point"
