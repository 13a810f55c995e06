"""The audit trail screen's filter bar: subject, user, action and a span of local dates. It only builds a
`TrailFilter` (the service does the filtering in SQL) and says `changed` when the user altered it."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLineEdit, QPushButton, QWidget

from ecrf.services.audit_trail import TrailChoices, TrailFilter
from ecrf.ui.audit_names import action_name
from ecrf.ui.i18n import calendar_locale

TYPING_PAUSE_MS = 400  # the subject box filters once the user pauses, not at every keystroke


def local_start(day: date) -> datetime:
    """The first moment of a local calendar day (as an aware datetime in this PC's zone)."""
    return datetime.combine(day, time.min).astimezone()


def _day(edit: QDateEdit) -> date:
    picked = edit.date()
    return date(picked.year(), picked.month(), picked.day())


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today  # where both dates start, and go back to with "Clear filters"
        self.subject = QLineEdit()
        self.subject.setObjectName("filter_subject")
        self.subject.setPlaceholderText(self.tr("Subject"))
        self.subject.setClearButtonEnabled(True)
        self.subject.setMinimumWidth(110)
        self.subject.setMaximumWidth(150)
        self.user = QComboBox()
        self.user.setObjectName("filter_user")
        self.action = QComboBox()
        self.action.setObjectName("filter_action")
        self.action.setMinimumContentsLength(14)
        self.action.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.use_from, self.date_from = self._date(self.tr("From"), "filter_from", today)
        self.use_to, self.date_to = self._date(self.tr("To"), "filter_to", today)
        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.clear_button.setObjectName("clear_filters")
        self.clear_button.clicked.connect(lambda _c=False: self.clear())
        self.pause = QTimer(self)
        self.pause.setSingleShot(True)
        self.pause.setInterval(TYPING_PAUSE_MS)
        self.pause.timeout.connect(self.changed.emit)
        self.subject.textChanged.connect(lambda _t: self.pause.start())
        self.subject.returnPressed.connect(self._now)
        for combo in (self.user, self.action):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.subject, self.user, self.action, self.use_from, self.date_from, self.use_to,
                       self.date_to, self.clear_button):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.set_choices(TrailChoices((), ()))

    def _date(self, label: str, name: str, today: date) -> tuple[QCheckBox, QDateEdit]:
        use = QCheckBox(label)
        use.setObjectName(f"use_{name}")
        edit = QDateEdit(QDate(today.year, today.month, today.day))
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.calendarWidget().setLocale(calendar_locale())  # month and weekday names in the UI's language
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setEnabled(False)
        use.toggled.connect(edit.setEnabled)
        use.toggled.connect(lambda _on: self.changed.emit())
        edit.dateChanged.connect(lambda _d: self.changed.emit() if use.isChecked() else None)
        return use, edit

    def _now(self) -> None:
        self.pause.stop()
        self.changed.emit()

    def set_choices(self, choices: TrailChoices) -> None:
        """Fill the lists (keeping what is picked) without announcing a change."""
        for combo, everyone, values, names in (
                (self.user, self.tr("All users"), choices.usernames, list(choices.usernames)),
                (self.action, self.tr("All actions"), choices.actions, [action_name(a) for a in choices.actions])):
            picked = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, "")
            for name, value in sorted(zip(names, values, strict=True), key=lambda pair: pair[0].casefold()):
                combo.addItem(name, value)
            combo.setCurrentIndex(max(combo.findData(picked), 0))
            combo.blockSignals(False)

    def value(self) -> TrailFilter:
        since = local_start(_day(self.date_from)) if self.use_from.isChecked() else None
        until = local_start(_day(self.date_to) + timedelta(days=1)) if self.use_to.isChecked() else None
        return TrailFilter(subject=self.subject.text().strip(), username=self.user.currentData() or "",
                           action=self.action.currentData() or "", since=since, until=until)

    def words(self) -> str:
        """The filter in words, for the export's audit event (English: the trail is read by the sponsor)."""
        where = self.value()
        parts = [f"subject {where.subject}" if where.subject else "", f"user {where.username}" if where.username
                 else "", f"action {where.action}" if where.action else "",
                 f"from {self.date_from.date().toString(Qt.DateFormat.ISODate)}" if where.since else "",
                 f"to {self.date_to.date().toString(Qt.DateFormat.ISODate)}" if where.until else ""]
        return ", ".join(p for p in parts if p)

    def clear(self) -> None:
        for widget in (self.subject, self.user, self.action, self.use_from, self.use_to):
            widget.blockSignals(True)
        self.subject.clear()
        self.user.setCurrentIndex(0)
        self.action.setCurrentIndex(0)
        self.use_from.setChecked(False)
        self.use_to.setChecked(False)
        for widget in (self.subject, self.user, self.action, self.use_from, self.use_to):
            widget.blockSignals(False)
        self._reset_dates()
        self.pause.stop()
        self.changed.emit()

    def _reset_dates(self) -> None:
        """Both dates back to where they started (off, today): a later tick starts from today, not an old date."""
        start = QDate(self.today.year, self.today.month, self.today.day)
        for edit in (self.date_from, self.date_to):
            edit.blockSignals(True)
            edit.setDate(start)
            edit.setEnabled(False)
            edit.blockSignals(False)
