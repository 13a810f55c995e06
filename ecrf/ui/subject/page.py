"""One subject: header, screening (eligibility → allocation), visit schedule with its forms and the queries on
the visit chosen, logs, charts."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import monitoring_view, overview, subjects
from ecrf.services.overview import SubjectRow
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.services.subjects import Allocation
from ecrf.study.status import SubjectStatus
from ecrf.ui import dialogs
from ecrf.ui.esign.panel import BROKEN, SignaturesTab, state_line
from ecrf.ui.i18n import text_lang
from ecrf.ui.monitoring_symbols import describe, symbols
from ecrf.ui.page import Page
from ecrf.ui.queries.thread import QueryDialog
from ecrf.ui.queries.visit_panel import VisitQueryPanel
from ecrf.ui.subject import actions
from ecrf.ui.subject.lock_actions import LockButtons
from ecrf.ui.subject.logs import LogTab
from ecrf.ui.subject.schedule import ScheduleTab
from ecrf.ui.subject.screening import ScreeningPanel


class SubjectPage(Page):
    formRequested = Signal(object)  # FormRef
    homeRequested = Signal()

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.key = ""  # the screening number: stays the same when allocation gives the subject its id
        self.row: SubjectRow | None = None
        self.role = session.actor.role
        layout = QVBoxLayout(self)
        layout.addLayout(self._header())
        self.screening = ScreeningPanel(self.role)
        self.screening.eligibilityFormRequested.connect(self._open_eligibility_form)
        self.screening.allocateRequested.connect(self.allocate)
        self.screening.manualAllocationRequested.connect(self.allocate_manually)
        self.screening.screenFailureRequested.connect(self.end_participation)
        self.screening.hide()
        layout.addWidget(self.screening)
        layout.addWidget(self._tabs(), 1)

    def _header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        texts = QVBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.facts = QLabel()
        self.facts.setObjectName("facts")
        self.facts.setWordWrap(True)
        self.signature_state = QLabel()
        self.signature_state.setObjectName("signature_state")
        texts.addWidget(self.heading)
        texts.addWidget(self.facts)
        texts.addWidget(self.signature_state)
        header.addLayout(texts, 1)
        if may(self.role, Do.END_PARTICIPATION):
            self.end_button: QPushButton | None = QPushButton(self.tr("End participation…"))
            self.end_button.setObjectName("end_participation")
            self.end_button.clicked.connect(self.end_participation)
            header.addWidget(self.end_button)
        else:
            self.end_button = None
        if may(self.role, Do.LOCK):
            self.lock_buttons: LockButtons | None = LockButtons(
                self.session, lambda: self.key, lambda: self.schedule.current_ref(),
                lambda: self.schedule.current_visit())
            self.lock_buttons.changed.connect(self.refresh)
            header.addWidget(self.lock_buttons)
        else:
            self.lock_buttons = None
        home = QPushButton(self.tr("All subjects"))
        home.setObjectName("home")
        home.clicked.connect(self.homeRequested.emit)
        header.addWidget(home)
        return header

    def _tabs(self) -> QTabWidget:
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.schedule = ScheduleTab(self.session.study)
        self.schedule.formRequested.connect(self.formRequested.emit)
        self.visit_queries = VisitQueryPanel(self.session)
        self.visit_queries.changed.connect(self.refresh)  # the monitoring column counts the visit's queries
        self.schedule.add_below_tree(self.visit_queries)
        self.schedule.can_raise_query = self.visit_queries.may_raise
        self.schedule.visitChanged.connect(self._show_visit_queries)
        self.schedule.visitQueryRequested.connect(self.raise_visit_query)
        self.tabs.addTab(self.schedule, self.tr("Visits and forms"))
        self.log_tabs: dict[str, LogTab] = {}
        for form in self.session.study.logs:
            tab = LogTab(self.session, form)
            tab.formRequested.connect(self.formRequested.emit)
            tab.changed.connect(self.refresh)
            self.log_tabs[form] = tab
            self.tabs.addTab(tab, self.session.study.form(form).label.get(text_lang()))
        self.signatures = SignaturesTab(self.session)
        self.signatures.signed.connect(self.refresh)
        self.tabs.addTab(self.signatures, self.tr("Signatures"))
        self.charts: QWidget | None = None
        self.charts_holder = QWidget()
        QVBoxLayout(self.charts_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.charts_holder, self.tr("Charts"))
        self.tabs.currentChanged.connect(self._tab_changed)
        return self.tabs

    def title(self) -> str:
        return self.row.label if self.row else self.tr("Subject")

    # -- loading ----------------------------------------------------------------------------

    def show_subject(self, label: str) -> None:
        """Load `label` (subject id or screening number); raises ServiceError when it cannot be read."""
        self.key = label
        self._load()

    def refresh(self) -> None:
        if not self.key:
            return
        try:
            self._load()
        except Exception as exc:  # noqa: BLE001 - keep what is shown, say why it is not current
            dialogs.show_error(self, self.tr("Cannot show the subject"), dialogs.error_text(exc))

    def _load(self) -> None:
        detail = overview.subject_detail(self.session, self.key)
        row = self.row = detail.row
        self.key = row.screening_no
        self._show_header(row, detail.end_reason)
        self.titleChanged.emit()
        if row.status is SubjectStatus.SCREENING:
            self.screening.show_eligibility(subjects.eligibility(self.session, self.key))
        self.screening.setVisible(row.status is SubjectStatus.SCREENING)
        try:
            monitoring = monitoring_view.form_states(self.session, self.key)
        except Exception as exc:  # noqa: BLE001 - the schedule still shows entry progress
            dialogs.show_error(self, self.tr("Cannot show the monitoring states"), dialogs.error_text(exc))
            monitoring = None
        self.schedule.show_row(row, monitoring)
        self._show_visit_queries(self.schedule.current_visit())
        if monitoring is not None and describe(monitoring.subject):
            self.facts.setText(self.facts.text() + "\n" + f"{symbols(monitoring.subject)}  "
                               f"{describe(monitoring.subject)}".strip())
        for n, (form, tab) in enumerate(self.log_tabs.items(), start=1):
            entries = detail.logs.get(form, [])
            tab.show_entries(row.label, entries)
            count = sum(not e.deleted for e in entries)
            self.tabs.setTabText(n, f"{self.session.study.form(form).label.get(text_lang())} ({count})")
        self._show_signatures(row.label)
        if self.charts is not None and hasattr(self.charts, "refresh"):
            self.charts.refresh()

    def _show_signatures(self, label: str) -> None:
        """The Signatures tab, and a line in the header that flags broken signatures (✗, not colour alone)."""
        line = state_line(self.signatures.show_subject(label))
        self.signature_state.setText(line)
        self.signature_state.setVisible(bool(line))
        self.signature_state.setStyleSheet("color: #9b0000;" if line.startswith(BROKEN) else "")

    def _show_header(self, row: SubjectRow, end_reason: str | None) -> None:
        names = self.schedule.names
        self.heading.setText(row.label)
        facts = [names.status_names[row.status]]
        if row.subject_id:
            facts.append(self.tr("screening no. {0}").format(row.screening_no))
        if row.arm:
            arm_label = self.session.study.arm(row.arm).label.get(text_lang())
            facts.append(self.tr("arm {0} ({1})").format(row.arm, arm_label))
        if row.rand_no:
            facts.append(self.tr("allocation no. {0}").format(row.rand_no))
        facts.append(self.tr("Day 0 {0}").format(row.day0.isoformat()) if row.day0 else self.tr("not allocated yet"))
        text = "  ·  ".join(facts)
        if row.ended_on:
            text += "\n" + self.tr("Participation ended {0}: {1}").format(row.ended_on.isoformat(), end_reason or "")
        self.facts.setText(text)
        if self.end_button is not None:
            self.end_button.setVisible(row.status is SubjectStatus.ENROLLED)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.charts_holder and self.charts is None and self.row is not None:
            self.charts = self._make_charts()
            self.charts_holder.layout().addWidget(self.charts)  # type: ignore[union-attr]  # set in __init__

    def _make_charts(self) -> QWidget:
        try:
            from ecrf.ui.charts.widget import ChartsWidget
        except ImportError:
            return QLabel(self.tr("Charts are not available in this version."))
        return ChartsWidget(self.session, self.key, self.charts_holder)

    def _show_visit_queries(self, visit: str | None) -> None:
        if self.row is not None:
            self.visit_queries.show_visit(self.row.label, visit)

    # -- actions ----------------------------------------------------------------------------

    def open_visit_query(self, visit: str, query_id: int) -> QueryDialog:
        """The visit chosen in the schedule, its queries shown and this one's thread open (from the inbox)."""
        self.tabs.setCurrentWidget(self.schedule)
        if not self.schedule.select_visit(visit):  # not in the schedule shown: the thread still opens
            self._show_visit_queries(visit)
        return self.visit_queries.open_thread(query_id)

    def raise_visit_query(self, visit: str) -> None:
        self._show_visit_queries(visit)
        self.visit_queries.raise_on(None)

    def _open_eligibility_form(self) -> None:
        study = self.session.study
        if self.row is not None and study.eligibility_form:
            visit = (study.visits_of_form(study.eligibility_form) or ("",))[0]
            self.formRequested.emit(FormRef(self.row.label, visit, study.eligibility_form))

    def allocate(self) -> None:
        assert self.row is not None
        today = self.session.clock.now().date().isoformat()
        if not dialogs.ask_yes_no(self, self.tr("Allocate"), self.tr(
                "Allocate {0} now? The next entry of the allocation list gives the arm and the allocation "
                "number, and today ({1}) becomes Day 0. This cannot be undone.").format(self.row.label, today)):
            return
        self._allocation(lambda: subjects.allocate(self.session, self.key))

    def allocate_manually(self) -> None:
        assert self.row is not None
        choice = actions.ask_manual_allocation(self, self.session.study, self.row.label)
        if choice is not None:
            self._allocation(lambda: subjects.allocate_manually(self.session, self.key, choice.arm, choice.rand_no,
                                                                choice.reason))

    def _allocation(self, work: Callable[[], Allocation]) -> None:
        screening_no = self.key
        try:
            result = work()
        except Exception as exc:  # noqa: BLE001
            dialogs.show_error(self, self.tr("Allocation"), dialogs.error_text(exc))
            self.refresh()
            return
        self.refresh()
        arm = self.session.study.arm(result.arm).label.get(text_lang())
        dialogs.show_info(self, self.tr("Allocated"), self.tr(
            "{0} is allocated and is now subject {1}.\n\nArm: {2} ({3})\nAllocation number: {4}\nDay 0: {5}").format(
            screening_no, result.subject_id, result.arm, arm, result.rand_no, result.day0.isoformat()))

    def end_participation(self) -> None:
        row = self.row
        assert row is not None
        choice = actions.ask_end_participation(self, row.label, row.status is SubjectStatus.SCREENING,
                                               self.session.clock.now().date(), row.day0)
        if choice is None:
            return
        try:
            subjects.end_participation(self.session, self.key, choice.status, choice.on, choice.reason)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_error(self, self.tr("End participation"), dialogs.error_text(exc))
            return
        self.refresh()
