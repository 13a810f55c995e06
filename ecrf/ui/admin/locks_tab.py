"""Data locks tab: the site administrator locks and unlocks forms, visits and subjects (DESIGN.md, Workflow and
roles) without opening the subject page, which shows clinical data the role may not read. It lists every lock in
force (subject, what, who, when) with Unlock… (a reason; signatures over the data break), and locks a subject,
a visit or a form chosen from lists of labels and places, never values. The services decide what a lock needs
and say what is missing."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import lock_overview, locks
from ecrf.services.lock_overview import SiteLock
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study.model import Study
from ecrf.study.place import Place
from ecrf.study.status import Scope
from ecrf.ui import dialogs
from ecrf.ui.clock import shown_time
from ecrf.ui.i18n import text_lang
from ecrf.ui.read_only_table import read_only_rows

SUBJECT, WHAT, BY, AT = range(4)
INDENT = "\u2003\u2003"  # a form under its visit in the list of places (em spaces: the same in both languages)


class LocksTab(QWidget):
    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.locks: list[SiteLock] = []
        intro = QLabel(self.tr(
            "Locked data cannot be changed by anyone. Unlocking needs a reason, is in the audit trail and breaks "
            "the investigator's signatures over the unlocked data. This tab shows where locks are, never the "
            "data."))
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._list_box(), 1)
        layout.addWidget(self._lock_box())
        self.refresh()

    # -- the locks in force -----------------------------------------------------------------------------

    def _list_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Locks in force"))
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("locks")
        self.table.setHorizontalHeaderLabels([self.tr("Subject"), self.tr("Locked"), self.tr("Locked by"),
                                              self.tr("Locked on")])
        read_only_rows(self.table)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)  # the place's words vary most
        self.table.itemSelectionChanged.connect(self._update)
        self.table.doubleClicked.connect(lambda _i: self.unlock_selected())
        self.count = QLabel()
        self.count.setObjectName("locks_count")
        self.unlock_button = QPushButton(self.tr("Unlock…"))
        self.unlock_button.setObjectName("unlock_data")
        self.unlock_button.clicked.connect(lambda _c=False: self.unlock_selected())
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(self.unlock_button)
        column = QVBoxLayout(box)
        column.addWidget(self.table, 1)
        column.addLayout(row)
        return box

    def refresh(self) -> None:
        if self.session.actor.must_change_password:
            return  # nothing is read before the forced change (the admin page reloads after it)
        try:
            self.locks = lock_overview.site_locks(self.session)
            labels = lock_overview.subject_labels(self.session)
        except Exception as exc:  # noqa: BLE001 - e.g. the session is locked
            dialogs.show_error(self, self.tr("Data locks"), dialogs.error_text(exc))
            return
        self._fill_table()
        self._fill_subjects(labels)

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.locks))
        for row, info in enumerate(self.locks):
            for column, text in ((SUBJECT, info.subject), (WHAT, place_name(self.session.study, info.place)),
                                 (BY, info.locked_by), (AT, shown_time(info.locked_at))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        for column in (SUBJECT, BY, AT):
            self.table.resizeColumnToContents(column)
        self.count.setText(self.tr("{0} lock(s) in force.").format(len(self.locks)) if self.locks else
                           self.tr("Nothing is locked."))
        self._update()

    def selected(self) -> SiteLock | None:
        rows = self.table.selectionModel().selectedRows()
        return self.locks[rows[0].row()] if rows else None

    def select(self, lock_id: int) -> None:
        for row, info in enumerate(self.locks):
            if info.id == lock_id:
                self.table.selectRow(row)

    def _update(self) -> None:
        self.unlock_button.setEnabled(self.selected() is not None)

    def unlock_selected(self) -> bool:
        info = self.selected()
        if info is None:
            return False
        what = place_name(self.session.study, info.place)
        reason = dialogs.ask_reason(self, self.tr("Unlock"), self.tr(
            "Why must {0} of {1} be unlocked? Signatures over these data will be marked broken.").format(
            what, info.subject))
        if reason is None:
            return False
        try:
            locks.unlock(self.session, info.id, reason)
        except Exception as exc:  # noqa: BLE001 - e.g. someone unlocked it meanwhile, the site is locked
            dialogs.show_error(self, self.tr("Cannot unlock"), dialogs.error_text(exc))
            self.refresh()
            return False
        self.refresh()
        return True

    # -- locking --------------------------------------------------------------------------------------------

    def _lock_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Lock"))
        text = QLabel(self.tr(
            "Choose a subject and what to lock. The monitoring plan says what a lock needs (for example complete "
            "forms, no open query, data verified); if something is missing, the app says what."))
        text.setWordWrap(True)
        self.subject_box = QComboBox()
        self.subject_box.setObjectName("lock_subject")
        self.subject_box.setMinimumContentsLength(12)
        self.subject_box.currentIndexChanged.connect(lambda _i: self._fill_places())
        self.place_box = QComboBox()
        self.place_box.setObjectName("lock_place")
        self.place_box.setMaxVisibleItems(20)
        self.place_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.place_box.setMinimumContentsLength(30)
        self.lock_button = QPushButton(self.tr("Lock"))
        self.lock_button.setObjectName("lock_data")
        self.lock_button.clicked.connect(lambda _c=False: self.lock_chosen())
        row = QHBoxLayout()  # one line: a 1366 px screen has the width, and the tab keeps its height for the list
        subject_label, place_label = QLabel(self.tr("Subject")), QLabel(self.tr("What"))
        subject_label.setBuddy(self.subject_box)
        place_label.setBuddy(self.place_box)
        for widget, stretch in ((subject_label, 0), (self.subject_box, 0), (place_label, 0), (self.place_box, 1),
                                (self.lock_button, 0)):
            row.addWidget(widget, stretch)
        column = QVBoxLayout(box)
        column.addWidget(text)
        column.addLayout(row)
        return box

    def _fill_subjects(self, labels: list[str]) -> None:
        chosen = self.subject_box.currentText()
        self.subject_box.blockSignals(True)
        self.subject_box.clear()
        self.subject_box.addItems(labels)
        self.subject_box.setCurrentIndex(labels.index(chosen) if chosen in labels else 0)
        self.subject_box.blockSignals(False)
        self._fill_places()

    def _fill_places(self) -> None:
        """The whole subject, each visit with its forms under it, then log entries; what a lock covers says so."""
        label = self.subject_box.currentText()
        chosen = self.place_box.currentData()
        self.place_box.clear()
        if not label:
            self.lock_button.setEnabled(False)
            return
        try:
            places = lock_overview.lock_places(self.session, label)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_error(self, self.tr("Data locks"), dialogs.error_text(exc))
            return
        locked = [info.place for info in self.locks if info.subject == label]
        study = self.session.study
        for place in [Place()] + _with_visits(places):
            indent = INDENT if place.scope is Scope.FORM and place.visit else ""
            name = place_name(study, place)
            if any(lock.contains(place) for lock in locked):
                name = self.tr("{0} (locked)").format(name)
            self.place_box.addItem(indent + name, place)
        self.place_box.setCurrentIndex(max(0, self._index_of(chosen)))
        self.lock_button.setEnabled(True)

    def _index_of(self, place: object) -> int:
        """findData compares Python objects by identity; a place is a value."""
        return next((i for i in range(self.place_box.count()) if self.place_box.itemData(i) == place), -1)

    def choose(self, subject: str, place: Place) -> None:
        """Pick a subject and a place in the lists, as the user would."""
        self.subject_box.setCurrentText(subject)
        index = self._index_of(place)
        assert index >= 0, f"{place} is not offered for {subject}"
        self.place_box.setCurrentIndex(index)

    def lock_chosen(self) -> bool:
        label, place = self.subject_box.currentText(), self.place_box.currentData()
        if not label or not isinstance(place, Place):
            return False
        ref = FormRef(label, place.visit, place.form, place.timepoint, place.repeat)
        try:
            locks.lock(self.session, label, place.scope, visit=place.visit,
                       ref=ref if place.scope is Scope.FORM else None)
        except Exception as exc:  # noqa: BLE001 - the refusal lists what is missing
            dialogs.show_error(self, self.tr("Cannot lock"), dialogs.error_text(exc))
            return False
        self.refresh()
        return True


def _with_visits(places: list[Place]) -> list[Place]:
    """Each visit's own place before its first form."""
    out: list[Place] = []
    for place in places:
        if place.visit and Place(place.visit) not in out:
            out.append(Place(place.visit))
        out.append(place)
    return out


def place_name(study: Study, place: Place) -> str:
    """A place in words: the whole subject, a visit with its label, a form with its label (codes first, as the
    subject page and the error messages name them)."""
    lang = text_lang()
    if place.scope is Scope.SUBJECT:
        return QCoreApplication.translate("LocksTab", "The whole subject")
    if place.scope is Scope.VISIT:
        visit = next((v for v in study.visits if v.code == place.visit), None)
        label = visit.label.get(lang) if visit is not None else ""
        named = QCoreApplication.translate("LocksTab", "Visit {0}").format(place.visit)
        return named + (f" – {label}" if label else "")
    label = study.form(place.form).label.get(lang) if place.form in study.forms else ""
    return str(place) + (f" – {label}" if label else "")
