"""What the user does with one item of the form editor besides typing: the item menu ("Item ▾", Ctrl+M) with
its missing marks, clearing, the item's history and raising a query; and the queries of the form (the
panel above the items, a mark beside each item with a query, a click on the mark opens its thread)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint
from PySide6.QtWidgets import QApplication

from ecrf.services import audit_trail
from ecrf.services.permissions import Do, may
from ecrf.study.values import Missing
from ecrf.ui import dialogs
from ecrf.ui.audit_names import role_name
from ecrf.ui.form_editor.history import HistoryDialog
from ecrf.ui.form_editor.live import Entry
from ecrf.ui.form_editor.missing_menu import choice_of, item_menu
from ecrf.ui.form_editor.part import EditorPart

translate = QCoreApplication.translate


class ItemActions(EditorPart):
    """The item menu, item history and queries of FormEditorPage."""

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
            dialogs.show_error(self, translate("FormEditorPage", "History"), dialogs.error_text(exc))
            return
        dialog = HistoryDialog(self.rows[code].item.label.get(self.lang), events, self,
                               lambda role: role_name(self.session, role))
        self.history_dialog = dialog  # kept for tests and so that it is not collected while shown
        dialog.open()

    def show_queries(self) -> None:
        self.query_panel.current_value = self.initial.get  # the dict is replaced at every load
        self.query_panel.load(self.ref)
        marks = self.query_panel.markers()
        for code, row in self.rows.items():
            row.set_query_mark(marks.get(code))

    def _queries_changed(self) -> None:
        """A query step was stored, perhaps with a corrected value: show the form as stored now (so a later save
        neither writes the old value back nor counts the correction as unsaved), with the unsaved typing put
        back on top of it (nothing typed is lost)."""
        before, unsaved = dict(self.initial), self.unsaved_entries()
        self._load()
        if not unsaved:
            return
        self.restore_entries(unsaved)
        overtyped = [code for code, entry in unsaved.items()
                     if self.initial.get(code, "") != before.get(code, "") and entry != self.initial.get(code, "")]
        if overtyped:
            self._say_overtyped(overtyped)

    def _say_overtyped(self, codes: list[str]) -> None:
        """The answer corrected an item the user had typed over and not saved: their typing stays in the field
        (it may be what they meant), and the banner says the stored value changed under it."""
        typed = self.unsaved_entries()
        lines = "\n".join(translate("FormEditorPage", "• {0}: stored now {1}, your unsaved entry {2}").format(
            self.rows[code].item.label.get(self.lang), _words(self.initial.get(code, "")),
            _words(typed.get(code, ""))) for code in codes)
        self.banner.say(translate("FormEditorPage", "The answer to the query stored a new value where you have "
                                                    "typed something not saved yet. Your entry is still in the "
                                                    "field: save to replace the stored value, or change it back.\n"
                                                    "{0}").format(lines), "soft",
                        holds=lambda: any(code in self.unsaved_entries() for code in codes))

    def open_query_at(self, code: str) -> None:
        query_id = self.query_panel.thread_for(code)
        if query_id is not None:
            self.query_panel.open_thread(query_id)


def _words(entry: Entry) -> str:
    return entry.code if isinstance(entry, Missing) else entry or translate("FormEditorPage", "(empty)")
