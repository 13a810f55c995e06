"""Date items: the ISO text box stays (typing is fastest, and a partial date such as 2020-03-UN can only be
typed), with a calendar button beside it (Alt+Down from the box) that pops up a month to pick a day from.

A picked day replaces the date part only: a date-and-time keeps its typed time. The calendar opens on the
typed date when there is one, and stops at today where the definition allows no future dates."""
from __future__ import annotations

import re
from datetime import date
from functools import cache

from PySide6.QtCore import QCoreApplication, QDate, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QCalendarWidget, QFrame, QToolButton, QVBoxLayout, QWidget

from ecrf.study import clock
from ecrf.study.model import ItemType
from ecrf.ui.form_editor.fields import LineField
from ecrf.ui.i18n import calendar_locale

translate = QCoreApplication.translate
ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
DATE_TYPES = (ItemType.DATE, ItemType.PARTIAL_DATE, ItemType.DATETIME)


@cache
def calendar_icon(size: int = 16) -> QIcon:
    """A small calendar drawn here (no icon theme or emoji font is needed on a ward PC); drawn once, as
    opening a form must stay fast."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    ink = QColor("#37474f")
    painter.setPen(ink)
    painter.drawRect(QRect(1, 2, size - 3, size - 4))
    painter.fillRect(QRect(1, 2, size - 2, 4), QColor("#c62828"))  # the month strip
    for row in range(2):
        for col in range(3):
            painter.fillRect(QRect(3 + col * 4, 8 + row * 3, 2, 2), ink)
    painter.end()
    return QIcon(pixmap)


def typed_day(text: str) -> QDate | None:
    """The full day at the start of what is typed (None for a partial or unreadable date)."""
    match = ISO_DAY.match(text)
    if match is None:
        return None
    day = QDate(int(match[1]), int(match[2]), int(match[3]))
    return day if day.isValid() else None


def with_day(text: str, day: QDate, item_type: ItemType) -> str:
    """The entry after picking `day`: a date-and-time keeps the time already typed."""
    iso = day.toString("yyyy-MM-dd")
    if item_type is ItemType.DATETIME:
        rest = text.strip()[10:].strip()
        return f"{iso} {rest}" if rest else f"{iso} "
    return iso


class CalendarPopup(QFrame):
    """A month view in a popup: a click or Enter picks the day; Escape or a click outside closes it."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("calendar_popup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("calendar")
        self.calendar.setLocale(calendar_locale())  # month and weekday names in the UI's language
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)
        layout.addWidget(self.calendar)

    def open_at(self, where: QPoint, current: QDate | None, latest: QDate | None) -> None:
        self.calendar.setMaximumDate(latest if latest is not None else QDate(2100, 12, 31))
        self.calendar.setMinimumDate(QDate(1900, 1, 1))  # the years a date may have (impossible-date)
        start = current or latest or QDate.currentDate()
        self.calendar.setSelectedDate(start)
        self.move(where)
        self.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def _pick(self, day: QDate) -> None:
        self.close()
        self.picked.emit(day)


class DateField(LineField):
    """A date, partial date or date-and-time: typed as ISO text, or picked from the calendar."""

    def build(self) -> None:
        super().build()
        self.calendar_button = QToolButton()
        self.calendar_button.setObjectName(f"calendar_{self.item.code}")
        self.calendar_button.setIcon(calendar_icon())
        self.calendar_button.setToolTip(translate("FormFields", "Pick the date from a calendar (Alt+Down)"))
        self.calendar_button.setAccessibleName(
            translate("FormFields", "Calendar: {0}").format(self.item.label.get(self.lang)))
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field; Alt+Down
        # opens it (handled by the page's key filter, ecrf.ui.form_editor.keys: no shortcut object per field)
        self.calendar_button.clicked.connect(self.open_calendar)
        self._row.addWidget(self.calendar_button)
        self.popup: CalendarPopup | None = None

    def open_calendar(self) -> None:
        if not self.calendar_button.isEnabled():
            return
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.picked.connect(self._picked)
        latest = None if self.item.future_allowed else _qdate(clock.today())
        where = self.calendar_button.mapToGlobal(self.calendar_button.rect().bottomLeft())
        self.popup.open_at(where, typed_day(self.entry()), latest)

    def _picked(self, day: QDate) -> None:
        self.edit.setText(with_day(self.entry(), day, self.item.value_type))
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)
        self.committed.emit()  # as if the field was left: its findings show now

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self._enable_button()

    def set_missing(self, code: str | None, label: str = "") -> None:
        super().set_missing(code, label)
        self._enable_button()

    def _enable_button(self) -> None:
        self.calendar_button.setEnabled(not self.edit.isReadOnly() and self._missing is None)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
