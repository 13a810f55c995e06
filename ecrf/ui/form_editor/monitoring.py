"""The monitoring side of the form editor: the line with the form's monitoring state under the header, an
SDV mark beside each item the plan asks to verify, and for the monitor "Verify form" and "Un-verify ticked
items…" (taking a verification back asks the reason). A refused step is shown, and the marks reread."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QPushButton

from ecrf.services import sdv
from ecrf.services.form_monitoring import form_monitoring
from ecrf.study.status import SdvState
from ecrf.ui import dialogs
from ecrf.ui.form_editor.part import EditorPart
from ecrf.ui.form_editor.sdv_marks import SdvMarker
from ecrf.ui.monitoring_symbols import describe, symbols
from ecrf.ui.reason_dialog import Reasons

translate = QCoreApplication.translate


class MonitoringControls(EditorPart):
    """Source data verification and the monitoring line of FormEditorPage."""

    def _build_monitoring(self) -> None:
        """The monitoring line and the monitor's buttons (hidden until show_monitoring finds work for them)."""
        self.monitoring_line = QLabel()
        self.monitoring_line.setObjectName("form_monitoring")
        self.monitoring_line.setWordWrap(True)
        self.verify_button = QPushButton(translate("FormEditorPage", "Verify form"))
        self.verify_button.setObjectName("verify_form")
        self.verify_button.clicked.connect(self.verify_form)
        self.unverify_button = QPushButton(translate("FormEditorPage", "Un-verify ticked items…"))
        self.unverify_button.setObjectName("unverify")
        self.unverify_button.clicked.connect(self.unverify_all)
        for button in (self.verify_button, self.unverify_button):
            button.setVisible(False)

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
        reason = dialogs.ask_reason(self, translate("FormEditorPage", "Un-verify"), translate(
            "FormEditorPage", "Why is the verification of these items taken back?\n{0}").format(
            self.item_labels(codes)), kind=Reasons.UNVERIFY)
        if reason is None:
            self.show_monitoring()  # the tick goes back
            return
        self._monitoring_step(lambda: sdv.unverify(self.session, self.ref, codes, reason))

    def _monitoring_step(self, step: Callable[[], object]) -> None:
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - refusals are shown, never raised to the user
            dialogs.show_error(self, translate("FormEditorPage", "Source data verification"),
                               dialogs.error_text(exc))
        self.show_monitoring()
