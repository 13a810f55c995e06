"""The entries of the form editor and their live checks: what is on screen and whether it differs from what
is stored, skip logic and derived values as the user types, findings as the user leaves an item (all of them
after a save attempt), and the findings a save was refused with."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from ecrf.study.findings import Finding, Severity
from ecrf.study.validate import FormCheck
from ecrf.study.values import Missing
from ecrf.ui.form_editor.fields import DerivedField
from ecrf.ui.form_editor.live import Entry, changed, live_check
from ecrf.ui.form_editor.part import EditorPart

translate = QCoreApplication.translate


class EntryChecks(EditorPart):
    """The entry state and live checks of FormEditorPage."""

    def entries(self) -> dict[str, Entry]:
        return {code: row.field.value() for code, row in self.rows.items() if not row.item.is_calculated}

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

    def item_labels(self, codes: list[str]) -> str:
        return "\n".join(f"• {self.rows[c].item.label.get(self.lang)}" for c in codes if c in self.rows)

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
                              self.lang, translate("FormEditorPage", "(confirmed)"))

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
                                  [f for f in findings if code in f.items], self.lang,
                                  translate("FormEditorPage", "(confirmed)"))
