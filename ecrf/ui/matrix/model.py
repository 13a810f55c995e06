"""The subject matrix: one row per subject, one column per visit (plus arm, status, Day 0 and log counts).

Everything a cell shows comes from the `SubjectRow` objects handed in by `set_rows` (one read service
call for the whole site), so `data()` never touches the database and 2,000 subjects stay smooth."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from ecrf.services.forms import COMPLETED
from ecrf.services.monitoring_view import MonitoringState
from ecrf.services.overview import CellState, SubjectRow, VisitCell
from ecrf.study.model import Study
from ecrf.study.schedule import VisitStatus
from ecrf.study.status import ENDED_STATUSES, FormStatus, SubjectStatus
from ecrf.ui.i18n import text_lang
from ecrf.ui.matrix.search import MatchedBy, matched_by, search_key
from ecrf.ui.monitoring_symbols import describe, symbols
from ecrf.ui.subject_words import status_names

COL_SUBJECT, COL_ARM, COL_STATUS, COL_DAY0 = range(4)
FIXED_COLUMNS = 4  # then one column per visit, then one per log form

SortRole = Qt.ItemDataRole.UserRole + 1
StateRole = Qt.ItemDataRole.UserRole + 2  # CellState value (str) of a visit cell
ScheduleRole = Qt.ItemDataRole.UserRole + 3  # VisitStatus value (str) of a visit cell
RowRole = Qt.ItemDataRole.UserRole + 4  # the SubjectRow (any column)
LabelRole = Qt.ItemDataRole.UserRole + 5  # the subject's label (any column)

# Colour *and* symbol, so the matrix reads the same for colour-blind users and on a black-and-white print.
STATE_SYMBOL = {CellState.COMPLETE: "✓", CellState.IN_PROGRESS: "◐", CellState.NOT_STARTED: "○",
                CellState.ATTENTION: "!", CellState.NOT_DUE: "·"}
STATE_BACKGROUND = {CellState.COMPLETE: QColor("#d4ecd6"), CellState.IN_PROGRESS: QColor("#ffedb3"),
                    CellState.NOT_STARTED: QColor("#d6e6f7"), CellState.ATTENTION: QColor("#f7c9c4"),
                    CellState.NOT_DUE: QColor("#f2f2f2")}
STATE_FOREGROUND = {CellState.COMPLETE: QColor("#1b5e20"), CellState.IN_PROGRESS: QColor("#5d4300"),
                    CellState.NOT_STARTED: QColor("#0d3c75"), CellState.ATTENTION: QColor("#8e1c12"),
                    CellState.NOT_DUE: QColor("#6e6e6e")}
CANCELLED_SYMBOL = "–"
MATCHED_BACKGROUND = QColor("#fff3c4")  # a subject found by a number other than its label
STATE_RANK = {CellState.ATTENTION: 0, CellState.NOT_STARTED: 1, CellState.IN_PROGRESS: 2,
              CellState.COMPLETE: 3, CellState.NOT_DUE: 4}  # sorting a visit column puts work to do first
STATUS_RANK = {s: n for n, s in enumerate(SubjectStatus)}
DONE_FORMS = COMPLETED


class SubjectMatrixModel(QAbstractTableModel):
    def __init__(self, study: Study, parent: Any = None) -> None:
        super().__init__(parent)
        self.study = study
        self._given: list[SubjectRow] = []  # in the order set_rows had them
        self._rows: list[SubjectRow] = []  # in the order shown (sorted)
        self._search_keys: list[str] = []
        self._order: tuple[int, Qt.SortOrder] | None = None  # the column and direction last sorted on
        self._search = ""  # normalised search text (see set_search)
        self._visits = study.visits
        self._logs = study.logs
        self._monitoring: dict[tuple[str, str], MonitoringState] = {}
        self._texts()

    def _texts(self) -> None:
        """Translated names, looked up once rather than on every paint."""
        self.status_names = status_names()
        self.state_names = {
            CellState.COMPLETE: self.tr("complete"), CellState.IN_PROGRESS: self.tr("in progress"),
            CellState.NOT_STARTED: self.tr("not started"), CellState.ATTENTION: self.tr("needs attention"),
            CellState.NOT_DUE: self.tr("not due")}
        self.form_status_names = {
            FormStatus.NOT_STARTED: self.tr("not started"), FormStatus.IN_PROGRESS: self.tr("in progress"),
            FormStatus.COMPLETE: self.tr("complete")}
        self.schedule_names = {
            VisitStatus.NOT_SCHEDULED: self.tr("no Day 0 yet"),
            VisitStatus.UPCOMING: self.tr("upcoming"), VisitStatus.DUE: self.tr("due now"),
            VisitStatus.OVERDUE: self.tr("overdue (window closed)"),
            VisitStatus.DONE: self.tr("done in window"), VisitStatus.OUT_OF_WINDOW: self.tr("done outside the window"),
            VisitStatus.CANCELLED: self.tr("cancelled (participation ended)")}
        self.late_text = self.tr("late")
        self.days_off_text = self.tr("{0:+d}d")  # a visit done this many days outside its window
        self.matched_names = {MatchedBy.SCREENING_NO: self.tr("screening no."),
                              MatchedBy.SUBJECT_ID: self.tr("subject ID"),
                              MatchedBy.RAND_NO: self.tr("allocation no.")}

    # -- contents ---------------------------------------------------------------------------

    def set_rows(self, rows: list[SubjectRow]) -> None:
        self.beginResetModel()
        self._given = list(rows)
        self._arrange()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows on `column` (its SortRole values), stable as Qt's own sort.

        The model sorts itself rather than leaving it to the proxy: the proxy's C++ sort calls data()
        twice per comparison (~40,000 calls into Python for 2,000 subjects, at every search keystroke);
        here each row's key is computed once and Python's `sorted` does the rest."""
        self._order = (column, order) if 0 <= column < self.columnCount() else None
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before = [self._rows[index.row()] for index in persistent]
        self._arrange()
        where = {id(row): n for n, row in enumerate(self._rows)}
        self.changePersistentIndexList(persistent, [self.index(where[id(row)], index.column())
                                                    for row, index in zip(before, persistent, strict=True)])
        self.layoutChanged.emit()

    def _arrange(self) -> None:
        """Order the given rows by the last sort, and key each for the search."""
        rows = self._given
        if self._order is not None:
            column, order = self._order
            keys = [self.sort_value(row, column) for row in rows]
            # reverse=True keeps rows with equal keys in their given order too, as Qt's stable sort does
            positions = sorted(range(len(rows)), key=keys.__getitem__,
                               reverse=order == Qt.SortOrder.DescendingOrder)
            rows = [rows[n] for n in positions]
        self._rows = rows
        self._search_keys = [search_key(row) for row in rows]

    def set_search(self, text: str) -> None:
        """The search typed (normalised): a row found by a number other than its label says which."""
        self._search = text

    def widest_subject_text(self, width_of: Callable[[str], int]) -> int:
        """Width of the widest subject cell among the rows the search finds (`width_of` measures text)."""
        if not self._search:
            return 0
        return max((width_of(self.subject_text(row)) for row, key in zip(self._rows, self._search_keys, strict=True)
                    if self._search in key), default=0)

    def subject_text(self, row: SubjectRow) -> str:
        """The label, and while searching the number the search found this subject by, when not the label."""
        found = matched_by(row, self._search)
        if found is None:
            return row.label
        return self.tr("{0} · {1} {2}").format(row.label, self.matched_names[found[0]], found[1])

    def set_monitoring(self, states: dict[tuple[str, str], MonitoringState]) -> None:
        """SDV, query, signature and lock states per (subject, visit), shown as symbols in the visit cells."""
        self.beginResetModel()
        self._monitoring = states
        self.endResetModel()

    def rows(self) -> list[SubjectRow]:
        return self._rows

    def row_at(self, row: int) -> SubjectRow:
        return self._rows[row]

    def search_key(self, row: int) -> str:
        return self._search_keys[row]

    def visit_column(self, visit: str) -> int:
        return FIXED_COLUMNS + next(n for n, v in enumerate(self._visits) if v.code == visit)

    def log_column(self, form: str) -> int:
        return FIXED_COLUMNS + len(self._visits) + self._logs.index(form)

    def is_visit_column(self, column: int) -> bool:
        return FIXED_COLUMNS <= column < FIXED_COLUMNS + len(self._visits)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIXED_COLUMNS + len(self._visits) + len(self._logs)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if index.isValid() else Qt.ItemFlag.NoItemFlags

    # -- data -------------------------------------------------------------------------------

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == RowRole:
            return row
        if role == LabelRole:
            return row.label
        visit_at = column - FIXED_COLUMNS
        if 0 <= visit_at < len(self._visits):
            return self._visit_data(row.cells[visit_at], role, row.label)
        if column >= FIXED_COLUMNS:
            return self._log_data(row, self._logs[visit_at - len(self._visits)], role)
        return self._fixed_data(row, column, role)

    def sort_value(self, row: SubjectRow, column: int) -> Any:
        """What data(SortRole) gives for this row's cell in `column`."""
        visit_at = column - FIXED_COLUMNS
        if 0 <= visit_at < len(self._visits):
            return self._visit_data(row.cells[visit_at], SortRole)
        if column >= FIXED_COLUMNS:
            return self._log_data(row, self._logs[visit_at - len(self._visits)], SortRole)
        return self._fixed_data(row, column, SortRole)

    def _fixed_data(self, row: SubjectRow, column: int, role: int) -> Any:
        if column == COL_SUBJECT and role == Qt.ItemDataRole.DisplayRole:
            return self.subject_text(row)
        if column == COL_SUBJECT and role == Qt.ItemDataRole.BackgroundRole and self._search:
            return MATCHED_BACKGROUND if matched_by(row, self._search) else None
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            if column == COL_SUBJECT:
                return row.label
            if column == COL_ARM:
                return row.arm or ("" if role == SortRole else "—")
            if column == COL_STATUS:
                return STATUS_RANK[row.status] if role == SortRole else self.status_names[row.status]
            return row.day0.isoformat() if row.day0 else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._subject_tip(row)
        if role == Qt.ItemDataRole.ForegroundRole and row.status in ENDED_STATUSES:
            return QColor("#6e6e6e")  # ended participation: still listed, visibly in the background
        return None

    def _subject_tip(self, row: SubjectRow) -> str:
        lines = [row.label, self.tr("Screening number: {0}").format(row.screening_no)]
        found = matched_by(row, self._search)
        if found is not None:
            lines.insert(1, self.tr("Found by its {0} {1}").format(self.matched_names[found[0]], found[1]))
        if row.arm:
            lines.append(self.tr("Arm: {0}").format(self.study.arm(row.arm).label.get(text_lang())))
        if row.rand_no:
            lines.append(self.tr("Allocation number: {0}").format(row.rand_no))
        if row.ended_on:
            lines.append(self.tr("{0} on {1}").format(self.status_names[row.status], row.ended_on.isoformat()))
        return "\n".join(lines)

    def _visit_data(self, cell: VisitCell, role: int, label: str = "") -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(cell, label)
        # Plain strings, not the enums: Python objects inside QVariants are slow and fragile in PySide.
        if role == StateRole:
            return cell.state.value
        if role == ScheduleRole:
            return cell.schedule.status.value
        if role == SortRole:
            return STATE_RANK[cell.state] * 10 + (0 if cell.overdue else 1)
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATE_BACKGROUND[cell.state]
        if role == Qt.ItemDataRole.ForegroundRole:
            return STATE_FOREGROUND[cell.state]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.cell_tip(cell, label)
        return None

    def cell_text(self, cell: VisitCell, label: str = "") -> str:
        """Symbol, forms done / forms to do while work is open, the overdue / out-of-window mark, and the
        monitoring symbols (verified, changed, queries, signed, locked)."""
        text = self._entry_text(cell)
        monitoring = self._monitoring.get((label, cell.code))
        marks = symbols(monitoring) if monitoring is not None else ""
        return f"{text} {marks}" if marks else text

    def _entry_text(self, cell: VisitCell) -> str:
        if cell.schedule.status is VisitStatus.CANCELLED and cell.state is CellState.NOT_DUE:
            return CANCELLED_SYMBOL
        text = STATE_SYMBOL[cell.state]
        if cell.state in (CellState.IN_PROGRESS, CellState.NOT_STARTED, CellState.ATTENTION) and cell.forms:
            done = sum(f.status in DONE_FORMS for f in cell.forms)
            if done < len(cell.forms):
                text += f" {done}/{len(cell.forms)}"
        if cell.overdue:
            text += " " + self.late_text
        elif cell.out_of_window and cell.schedule.days_off:
            text += " " + self.days_off_text.format(cell.schedule.days_off)
        return text

    def cell_tip(self, cell: VisitCell, label: str = "") -> str:
        lang, schedule = text_lang(), cell.schedule
        lines = [f"{cell.code} – {schedule.visit.label.get(lang)}", self.state_names[cell.state]]
        monitoring = self._monitoring.get((label, cell.code))
        if monitoring is not None and describe(monitoring):
            lines.append(describe(monitoring))
        if schedule.target is not None:
            lines.append(self.tr("Target {0}, window {1} – {2}").format(
                schedule.target.isoformat(), schedule.earliest.isoformat() if schedule.earliest else "",
                schedule.latest.isoformat() if schedule.latest else ""))
        if schedule.actual is not None:
            lines.append(self.tr("Visit date {0}").format(schedule.actual.isoformat()))
        lines.append(self.tr("Schedule: {0}").format(self.schedule_names[schedule.status]))
        lines.append("")
        for form in cell.forms:
            name = self.study.form(form.form).label.get(lang)
            if form.timepoint:
                name += f" ({self.study.timepoints[form.timepoint].get(lang)})"
            lines.append(f"{form_symbol(form.status)} {name}: {self.form_status_names[form.status]}")
        return "\n".join(lines)

    def _log_data(self, row: SubjectRow, form: str, role: int) -> Any:
        count = row.log_counts.get(form, 0)
        if role in (Qt.ItemDataRole.DisplayRole, SortRole):
            return count
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ForegroundRole and not count:
            return QColor("#9e9e9e")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("{0}: {1} entries").format(self.study.form(form).label.get(text_lang()), count)
        return None

    # -- headers ----------------------------------------------------------------------------

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.header_text(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.header_tip(section)
        return None

    def header_text(self, section: int) -> str:
        fixed = [self.tr("Subject"), self.tr("Arm"), self.tr("Status"), self.tr("Day 0")]
        if section < FIXED_COLUMNS:
            return fixed[section]
        visit_at = section - FIXED_COLUMNS
        if visit_at < len(self._visits):
            visit = self._visits[visit_at]
            day = self.tr("screening") if visit.before_day0 else self.tr("Day {0}").format(visit.day)
            return f"{visit.code}\n{day}"
        return self._logs[visit_at - len(self._visits)]

    def header_tip(self, section: int) -> str | None:
        visit_at = section - FIXED_COLUMNS
        if 0 <= visit_at < len(self._visits):
            visit = self._visits[visit_at]
            return self.tr("{0}: Day {1}, window −{2} / +{3} days").format(
                visit.label.get(text_lang()), visit.day, visit.window_before, visit.window_after)
        if visit_at >= len(self._visits):
            form = self.study.form(self._logs[visit_at - len(self._visits)])
            return self.tr("{0}: entries (removed ones not counted)").format(form.label.get(text_lang()))
        return None


def form_symbol(status: FormStatus) -> str:
    if status in DONE_FORMS:
        return STATE_SYMBOL[CellState.COMPLETE]
    return STATE_SYMBOL[CellState.IN_PROGRESS if status is FormStatus.IN_PROGRESS else CellState.NOT_STARTED]
