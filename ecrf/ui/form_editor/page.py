"""The form editor: one form instance of a subject, generated from the study definition.

Findings show as the user leaves a field, skip logic and derived values follow at once, Ctrl+S saves
(in progress), Ctrl+Shift+S saves as complete, Enter moves on like Tab, Ctrl+M opens the item menu."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import audit_trail, sdv
from ecrf.services.editing import FormState, open_form
from ecrf.services.form_monitoring import form_monitoring
from ecrf.services.forms import SaveResult
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study.findings import Finding, Severity
from ecrf.study.status import FormStatus, Scope, SdvState
from ecrf.study.validate import FormCheck
from ecrf.study.values import Missing
from ecrf.trail.esign import Place
from ecrf.ui import dialogs
from ecrf.ui.audit_names import role_name
from ecrf.ui.esign.dialog import sign_with_dialogs
from ecrf.ui.form_editor import saving
from ecrf.ui.form_editor.fields import DerivedField
from ecrf.ui.form_editor.findings_view import Banner
from ecrf.ui.form_editor.header import Header, status_text
from ecrf.ui.form_editor.history import HistoryDialog
from ecrf.ui.form_editor.keys import FieldKeys
from ecrf.ui.form_editor.layout import ItemRow, form_help
from ecrf.ui.form_editor.live import Entry, changed, live_check, loaded_entries
from ecrf.ui.form_editor.missing_menu import choice_of, item_menu
from ecrf.ui.form_editor.sdv_marks import SdvMarker
from ecrf.ui.form_print import print_button
from ecrf.ui.i18n import text_lang
from ecrf.ui.monitoring_symbols import describe, symbols
from ecrf.ui.page import Page
from ecrf.ui.queries.panel import QueryPanel
from ecrf.ui.reason_dialog import Reasons


class FormEditorPage(Page):
    closed = Signal()
    saved = Signal(object)  # SaveResult

    def __init__(self, session: SiteSession, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.ref, self.lang = ref, text_lang()
        self.state: FormState | None = None
        self.initial: dict[str, Entry] = {}
        self.confirmed_now: set[str] = set()
        self.rows: dict[str, ItemRow] = {}
        self.touched: set[str] = set()
        self.last_check: FormCheck | None = None  # the latest live check: what the banner's cause is read from
        self._show_all = self._show_required = self._shown_once = False
        self.can_verify = may(session.actor.role, Do.VERIFY_SOURCE)
        self.sdv_markers: dict[str, SdvMarker] = {}  # only items the monitoring plan asks to verify
        self.start_at: str | None = None  # the item the cursor starts in (opened from a query), else the first
        self._build()
        self._load()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.header = Header()
        self.banner = Banner()
        self.monitoring_line = QLabel()
        self.monitoring_line.setObjectName("form_monitoring")
        self.monitoring_line.setWordWrap(True)
        self.query_panel = QueryPanel(self.session, self.ref, self.initial.get)
        self.query_panel.changed.connect(self._queries_changed)
        layout.addWidget(self.header)
        layout.addWidget(self.monitoring_line)
        layout.addWidget(self.banner)
        layout.addWidget(self.query_panel)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("form_scroll")
        self.scroll_area.setWidgetResizable(True)
        layout.addWidget(self.scroll_area, 1)
        bar = QHBoxLayout()
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("close")
        self.close_button.clicked.connect(self.close_page)
        self.save_button = QPushButton(self.tr("Save (Ctrl+S)"))
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(lambda: self.save(False))
        self.complete_button = QPushButton(self.tr("Save as complete (Ctrl+Shift+S)"))
        self.complete_button.setObjectName("save_complete")
        self.complete_button.clicked.connect(lambda: self.save(True))
        bar.addWidget(self.close_button)
        bar.addWidget(print_button(self, self.session, self.ref, self.has_unsaved))
        bar.addStretch(1)
        self.verify_button = QPushButton(self.tr("Verify form"))
        self.verify_button.setObjectName("verify_form")
        self.verify_button.clicked.connect(self.verify_form)
        self.unverify_button = QPushButton(self.tr("Un-verify ticked items…"))
        self.unverify_button.setObjectName("unverify")
        self.unverify_button.clicked.connect(self.unverify_all)
        for button in (self.verify_button, self.unverify_button):
            button.setVisible(False)
            bar.addWidget(button)
        self.sign_button: QPushButton | None = None
        if may(self.session.actor.role, Do.SIGN):
            self.sign_button = QPushButton(self.tr("Sign form…"))
            self.sign_button.setObjectName("sign_form")
            self.sign_button.clicked.connect(self.sign_form)
            bar.addWidget(self.sign_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.complete_button)
        layout.addLayout(bar)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (("Ctrl+S", lambda: self.save(False)), ("Ctrl+Shift+S", lambda: self.save(True)),
                           ("Ctrl+M", self._menu_for_focus)):
            QShortcut(QKeySequence(keys), self, slot, context=context)

    def _build_rows(self, state: FormState) -> None:
        body = QWidget()
        body.setObjectName("form_body")
        column = QVBoxLayout(body)
        help_label = form_help(state.form, self.lang)
        if help_label is not None:
            column.addWidget(help_label)
        keys = FieldKeys(self)
        for item in state.form.items:
            row = ItemRow(item, self.lang)
            row.menuRequested.connect(self._show_menu)
            row.field.committed.connect(lambda code=item.code: self._left(code))
            row.field.edited.connect(self._edited)
            row.queryClicked.connect(self.open_query_at)
            for widget in row.field.focus_widgets():
                widget.installEventFilter(keys)
            self.rows[item.code] = row
            column.addWidget(row)
        column.addStretch(1)
        self.scroll_area.setWidget(body)

    def _load(self) -> None:
        try:
            state = open_form(self.session, self.ref)
        except Exception as exc:  # noqa: BLE001 - the page says why it cannot show the form
            self.header.show_error(self.ref.form, dialogs.error_text(exc))
            self.save_button.hide()
            self.complete_button.hide()
            return
        if not self.rows:
            self._build_rows(state)
        self._apply(state)

    def _apply(self, state: FormState) -> None:
        """Show a freshly read state: stored values in the fields, read-only or not, header, findings."""
        self.state, self.ref = state, state.ref
        self.initial = loaded_entries(state)
        missing_labels = self.session.study.missing_codes
        for code, row in self.rows.items():
            entry = self.initial.get(code, "")
            row.field.blockSignals(True)
            if isinstance(entry, Missing):
                row.field.set_missing(entry.code, missing_labels[entry.code].get(self.lang)
                                      if entry.code in missing_labels else "")
            else:
                row.field.set_missing(None)
                row.field.set_entry(entry)
            row.field.set_editable(state.editable)
            row.field.blockSignals(False)
            row.more.setVisible(state.editable or state.exists)
        self.touched |= {code for code, entry in self.initial.items() if entry != ""}
        self.show_queries()
        self.save_button.setVisible(state.editable)
        self.complete_button.setVisible(state.editable)
        if self.sign_button is not None:  # only a complete form is signed on its own
            self.sign_button.setEnabled(state.status == FormStatus.COMPLETE)
        self.header.show_state(state, self.title(), self.lang)
        self.show_monitoring()
        if not state.editable:
            why_not = state.refusal.text(self.lang) if state.refusal is not None else state.why_not
            self.banner.say(self.tr("Read only: {0}").format(why_not), "incomplete",
                            holds=lambda: self.state is not None and not self.state.editable)
        self.refresh_live()

    def sign_form(self) -> bool:
        """The investigator signs this form (saved first: a signature covers what is stored)."""
        if self.has_unsaved():
            dialogs.show_info(self, self.tr("Sign form"), self.tr("Save your changes first: a signature covers "
                                                                  "the data as stored."))
            return False
        ref = self.ref
        place = Place(ref.visit, ref.form, ref.timepoint, ref.repeat)
        return sign_with_dialogs(self, self.session, ref.subject, Scope.FORM, ref=place)

    # -- the page contract -------------------------------------------------------------------

    def title(self) -> str:
        state, study = self.state, self.session.study
        label = state.form.label.get(self.lang) if state else self.ref.form
        if self.ref.visit:
            text = f"{self.ref.visit} · {label}"
            if self.ref.timepoint and self.ref.timepoint in study.timepoints:
                text += f" ({study.timepoints[self.ref.timepoint].get(self.lang)})"
            return text
        if self.ref.repeat:
            return f"{label} #{self.ref.repeat}"
        return self.tr("{0} · new entry").format(label)

    def has_unsaved(self) -> bool:
        return self.state is not None and self.state.editable and bool(changed(self.initial, self.entries()))

    def unsaved_entries(self) -> dict[str, Entry]:
        """What the user changed and did not save, by item (carried over when the window is rebuilt)."""
        entries = self.entries()
        return {code: entries[code] for code in changed(self.initial, entries)}

    def restore_entries(self, entries: dict[str, Entry]) -> None:
        """Put unsaved entries back into this freshly opened form (a language switch rebuilt the window)."""
        if self.state is None or not self.state.editable:
            return
        missing_labels = self.session.study.missing_codes
        for code, entry in entries.items():
            if code not in self.rows:
                continue
            field = self.rows[code].field
            if isinstance(entry, Missing):
                field.set_missing(entry.code, missing_labels[entry.code].get(self.lang)
                                  if entry.code in missing_labels else "")
            else:
                field.set_missing(None)
                field.set_entry(entry)
            self.touched.add(code)
        self._edited()
        self.refresh_live()

    def maybe_leave(self) -> bool:
        if not self.has_unsaved():
            return True
        answer = dialogs.ask_save_discard(self, self.tr("Unsaved entries"), self.tr(
            "{0} has entries that are not saved yet. Save them before leaving?").format(self.title()))
        if answer == "save":
            return self.save(False) is not None
        return answer == "discard"

    def refresh(self) -> None:
        """Reread the form (after a save elsewhere), unless the user has typed something not saved."""
        if not self.has_unsaved():
            self._load()

    def close_page(self) -> None:
        if self.maybe_leave():
            self.initial = self.entries()  # asked once: the window does not ask again
            self.closed.emit()

    # -- entries and live checks ---------------------------------------------------------------

    def entries(self) -> dict[str, Entry]:
        return {code: row.field.value() for code, row in self.rows.items() if not row.item.is_calculated}

    def _edited(self) -> None:
        if self.state is not None and self.state.form.derive_order:
            self._update_derived(live_check(self.state, self.initial, self.entries(), self.confirmed_now))
        self.header.set_dirty(self.has_unsaved())
        self.banner.follow()

    def _left(self, code: str) -> None:
        self.touched.add(code)
        self.refresh_live()

    def refresh_live(self) -> FormCheck | None:
        if self.state is None:
            return None
        check = live_check(self.state, self.initial, self.entries(), self.confirmed_now)
        self.last_check = check
        self.show_check(check)
        self.header.set_dirty(self.has_unsaved())
        self.banner.follow()
        return check

    def count_findings(self, kind: str) -> int:
        """How many findings of this kind ("hard", "incomplete") the latest live check still has."""
        check = self.last_check
        return 0 if check is None else len(check.hard if kind == "hard" else check.incomplete)

    def unchanged(self) -> Callable[[], bool]:
        """True while the entries on screen are still those of now (a message about this attempt holds)."""
        snapshot = self.entries()
        return lambda: self.entries() == snapshot

    def _update_derived(self, check: FormCheck) -> None:
        for code, value in check.derived.items():
            field = self.rows[code].field
            if isinstance(field, DerivedField):
                field.show_value(value)

    def reveal(self, required: bool) -> None:
        """After a save attempt every finding shows, not only those of fields left already."""
        self._show_all = True
        self._show_required = self._show_required or required

    def show_check(self, check: FormCheck) -> None:
        for code, row in self.rows.items():
            if row.isHidden() != (code in check.hidden):  # only a change: each call re-lays the form out
                row.setVisible(code not in check.hidden)
        self._update_derived(check)
        shown = [f for f in check.findings if self._shows(f)]
        for code, row in self.rows.items():
            row.show_findings([f for f in shown if f.item == code], [f for f in shown if code in f.items],
                              self.lang, self.tr("(confirmed)"))

    def _shows(self, finding: Finding) -> bool:
        if finding.severity is Severity.INCOMPLETE:
            return self._show_required
        return self._show_all or any(code in self.touched for code in finding.items)

    def show_refused(self, findings: list[Finding]) -> None:
        """Findings the service refused with (they may differ from the live ones: another form changed)."""
        self.reveal(required=any(f.severity is Severity.INCOMPLETE for f in findings))
        check = self.refresh_live()
        for code, row in self.rows.items():
            own = [f for f in findings if f.item == code]
            if own and check is not None:
                row.show_findings(own + [f for f in check.findings if f.item == code and f not in own],
                                  [f for f in findings if code in f.items], self.lang, self.tr("(confirmed)"))

    # -- saving -------------------------------------------------------------------------------

    def save(self, complete: bool = False) -> SaveResult | None:
        self.touched |= set(self.rows)
        result = saving.save(self, complete)
        if result is None:
            return None
        self.confirmed_now = set()
        self._load()
        self.banner.say(self.tr("Saved. The form is now: {0}.").format(status_text(result.status)), "ok",
                        holds=lambda: not self.has_unsaved())
        self.saved.emit(result)
        return result

    def item_labels(self, codes: list[str]) -> str:
        return "\n".join(f"• {self.rows[c].item.label.get(self.lang)}" for c in codes if c in self.rows)

    def focus_item(self, code: str | None) -> None:
        row = self.rows.get(code or "")
        if row is not None and row.isVisible() and row.field.focus_widgets():
            row.field.focus_proxy().setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll_area.ensureWidgetVisible(row)

    # -- monitoring ---------------------------------------------------------------------------

    def show_monitoring(self) -> None:
        """The form's verification per item, and its monitoring state under the header."""
        state = self.state
        if state is None or not state.exists:
            self.monitoring_line.hide()
            return
        try:
            found = form_monitoring(self.session, self.ref)
        except Exception as exc:  # noqa: BLE001 - the form stays usable; the line says why it is missing
            self.monitoring_line.setText(dialogs.error_text(exc))
            return
        form_sdv, here = found.sdv, found.state
        for code in self.rows:
            item_state = form_sdv.items.get(code, SdvState.NOT_REQUIRED)
            marker = self.sdv_markers.get(code)
            if marker is None and item_state is not SdvState.NOT_REQUIRED:
                marker = self._add_sdv_marker(code)
            if marker is not None:
                marker.show_state(item_state, form_sdv.complete)
        text = f"{symbols(here)}  {describe(here)}".strip() if here is not None else ""
        self.monitoring_line.setText(text)
        self.monitoring_line.setVisible(bool(text))
        needs = form_sdv.summary.required > 0
        self.verify_button.setVisible(self.can_verify and needs)
        self.verify_button.setEnabled(form_sdv.complete and form_sdv.summary.state is not SdvState.VERIFIED)
        self.unverify_button.setVisible(self.can_verify and needs)
        self.unverify_button.setEnabled(form_sdv.summary.verified + form_sdv.summary.changed > 0)

    def _add_sdv_marker(self, code: str) -> SdvMarker:
        """The SDV mark of an item the plan asks to verify (made only for those: most items need none)."""
        marker = SdvMarker(code, self.can_verify)
        marker.toggled.connect(self._sdv_ticked)
        self.rows[code].add_marker(marker)
        self.sdv_markers[code] = marker
        return marker

    def verify_form(self) -> None:
        self._monitoring_step(lambda: sdv.verify_form(self.session, self.ref))

    def _sdv_ticked(self, code: str, ticked: bool) -> None:
        if ticked:
            self._monitoring_step(lambda: sdv.verify_items(self.session, self.ref, [code]))
        else:
            self._unverify([code])

    def unverify_all(self) -> None:
        self._unverify([code for code, marker in self.sdv_markers.items()
                        if marker.state in (SdvState.VERIFIED, SdvState.CHANGED)])

    def _unverify(self, codes: list[str]) -> None:
        reason = dialogs.ask_reason(self, self.tr("Un-verify"), self.tr(
            "Why is the verification of these items taken back?\n{0}").format(self.item_labels(codes)),
            kind=Reasons.UNVERIFY)
        if reason is None:
            self.show_monitoring()  # the tick goes back
            return
        self._monitoring_step(lambda: sdv.unverify(self.session, self.ref, codes, reason))

    def _monitoring_step(self, step) -> None:  # type: ignore[no-untyped-def]
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - refusals are shown, never raised to the user
            dialogs.show_error(self, self.tr("Source data verification"), dialogs.error_text(exc))
        self.show_monitoring()

    # -- item menu ----------------------------------------------------------------------------

    def _menu_for_focus(self) -> None:
        focus = QApplication.focusWidget()
        row = next((r for r in self.rows.values() if r.owns(focus)), None)
        if row is not None:
            row.request_menu()

    def _show_menu(self, code: str, where: QPoint) -> None:
        state = self.state
        if state is None:
            return
        row = self.rows[code]
        menu = item_menu(self, row.item, self.session.study.missing_codes, self.lang, current=row.field.missing(),
                         editable=state.editable, has_history=state.exists,
                         can_query=may(self.session.actor.role, Do.RAISE_QUERY))
        choice = choice_of(menu.exec(where))
        if choice is not None:
            self.apply_menu_choice(code, choice)

    def apply_menu_choice(self, code: str, choice: tuple[str, str]) -> None:
        what, missing = choice
        field = self.rows[code].field
        if what == "missing":
            labels = self.session.study.missing_codes
            field.set_missing(missing, labels[missing].get(self.lang) if missing in labels else "")
        elif what == "unmark":
            field.set_missing(None)
        elif what == "clear":
            field.set_missing(None)
            field.set_entry("")
        elif what == "history":
            self.show_history(code)
            return
        elif what == "query":
            self.query_panel.raise_on(code)
            return
        self._left(code)

    def show_history(self, code: str) -> None:
        try:
            events = audit_trail.item_history(self.session, self.ref, code)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_error(self, self.tr("History"), dialogs.error_text(exc))
            return
        dialog = HistoryDialog(self.rows[code].item.label.get(self.lang), events, self,
                               lambda role: role_name(self.session, role))
        self.history_dialog = dialog  # kept for tests and so that it is not collected while shown
        dialog.open()

    # -- queries (ecrf.ui.queries) --------------------------------------------------------------

    def show_queries(self) -> None:
        self.query_panel.current = self.initial.get
        self.query_panel.load(self.ref)
        marks = self.query_panel.markers()
        for code, row in self.rows.items():
            row.set_query_mark(marks.get(code))

    def _queries_changed(self) -> None:
        """A query step was stored, perhaps with a corrected value: reread the form unless typing is unsaved."""
        if self.has_unsaved():
            self.show_queries()
        else:
            self._load()

    def open_query_at(self, code: str) -> None:
        query_id = self.query_panel.thread_for(code)
        if query_id is not None:
            self.query_panel.open_thread(query_id)

    # -- keyboard -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, self, self.focus_first)

    def focus_first(self) -> None:
        """The cursor starts in the first field the user can type in (or at the item a query is about)."""
        if self.start_at in self.rows and self.rows[self.start_at].isVisible():
            self.focus_item(self.start_at)
            self.scroll_area.ensureWidgetVisible(self.rows[self.start_at])
            return
        for code, row in self.rows.items():
            if row.isVisible() and any(w.isEnabled() for w in row.field.focus_widgets()):
                self.focus_item(code)
                return

    def advance_from(self, widget: QWidget) -> None:
        """Enter moves to the next field (the first entry widget of the next visible, editable item)."""
        codes = list(self.rows)
        current = next((i for i, c in enumerate(codes) if self.rows[c].owns(widget)), -1)
        for code in codes[current + 1:]:
            row = self.rows[code]
            targets = [w for w in row.field.focus_widgets() if w.isEnabled()]
            if row.isVisible() and targets:
                self.focus_item(code)
                return
        target = self.save_button if self.save_button.isVisible() else self.close_button
        target.setFocus(Qt.FocusReason.TabFocusReason)

    def field_left(self, widget: QWidget) -> None:
        """Focus went elsewhere: if it left the item, its findings show now."""
        row = next((r for r in self.rows.values() if r.owns(widget)), None)
        if row is not None and not row.owns(QApplication.focusWidget()):
            self._left(row.item.code)
