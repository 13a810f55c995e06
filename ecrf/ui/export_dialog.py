"""The export dialog: what will be exported, where to, and the export itself on a worker with a progress
bar and Cancel (DESIGN.md, Export bundle). Every message goes through `ecrf.ui.dialogs`."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import export, site_settings
from ecrf.services.errors import ExportCancelled
from ecrf.services.export import ExportResult, LastExport
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs, file_dialogs
from ecrf.ui.background import Operation, Progress
from ecrf.ui.clock import shown_time
from ecrf.ui.export_certificate import CertificatePanel, default_folder
from ecrf.ui.i18n import text_lang
from ecrf.ui.settings import AppSettings

OK_STYLE, FAILED_STYLE = "color: #1b5e20;", "color: #b00020;"


def ask_folder(parent: QWidget, start: str) -> str | None:
    """The folder to export into; None when cancelled (tests replace this function)."""
    title = QCoreApplication.translate("ExportDialog", "Choose the folder for the export bundle")
    chosen = file_dialogs.ask_folder(parent, "export", title, Path(start) if start else None)
    return str(chosen) if chosen else None


def when(stamp: str) -> str:
    return shown_time(stamp)


class ExportDialog(QDialog):
    def __init__(self, session: SiteSession, parent: QWidget | None = None, *,
                 settings: AppSettings | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings or AppSettings()
        self.operation: Operation | None = None
        self.exported: ExportResult | None = None  # the last bundle written here ('result' is QDialog's)
        self.values: dict[str, QLabel] = {}
        self.setWindowTitle(self.tr("Export bundle"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "The bundle is one signed zip file with all data of this site: CSV tables, CDISC ODM, a PDF casebook "
            "per subject and the annotated blank CRF. Send it to the sponsor and keep it as the site's copy of "
            "record. It gets its final name only when it is complete."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self._facts())
        layout.addWidget(self._destination())
        self.status = QLabel()
        self.status.setObjectName("export_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self._buttons())
        self.refresh()

    # -- building ------------------------------------------------------------------------

    def _facts(self) -> QGroupBox:
        box = QGroupBox(self.tr("What is exported"))
        form = QFormLayout(box)
        for key, label in (("study", self.tr("Study")), ("site", self.tr("Site")), ("subjects", self.tr("Subjects")),
                                          ("last", self.tr("Last export")), ("next", self.tr("This export"))):
            value = QLabel()
            value.setObjectName(f"export_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(label, value)
        self.certificate = CertificatePanel(self.session)
        form.addRow(self.tr("Signed with the certificate\n(SHA-256 fingerprint)"), self.certificate)
        return box

    def _destination(self) -> QGroupBox:
        box = QGroupBox(self.tr("Save into folder"))
        row = QHBoxLayout(box)
        self.folder = QLineEdit(str(file_dialogs.start_folder("export", self.settings)))
        self.folder.setObjectName("export_folder")
        self.choose_button = QPushButton(self.tr("Choose…"))
        self.choose_button.setObjectName("choose_folder")
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(lambda _c=False: self.choose_folder())
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        return box

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("export")
        self.export_button.setDefault(True)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.clicked.connect(lambda _c=False: self.start_export())
        self.close_button.clicked.connect(self.reject)
        return buttons

    # -- facts -----------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            info = site_settings.site_info(self.session)
            last = export.last_export(self.session)
        except Exception as exc:  # noqa: BLE001 - e.g. the session is locked: say why, export stays off
            self.export_button.setEnabled(False)
            self._say(dialogs.error_text(exc), FAILED_STYLE)
            return
        texts = {
            "study": f"{info.study_oid} – {self.session.study.info.short_title.get(text_lang())}",
            "site": f"{info.site_code} – {info.site_name}",
            "subjects": str(info.subjects),
            "last": self._last_text(last),
            "next": self.tr("No. {0}").format((last.sequence if last else 0) + 1),
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        self.export_button.setEnabled(self.certificate.load())

    def _last_text(self, last: LastExport | None) -> str:
        if last is None:
            return self.tr("None yet: this is the site's first export")
        return self.tr("No. {0}, {1}, by {2}\n{3}").format(last.sequence, when(last.created_at), last.created_by,
                                                          last.file_name)

    # -- exporting -------------------------------------------------------------------------

    def choose_folder(self) -> None:
        chosen = ask_folder(self, self.folder.text().strip() or str(default_folder()))
        if chosen is not None:
            self.folder.setText(chosen)

    def start_export(self) -> None:
        text = self.folder.text().strip()
        if not text:
            dialogs.show_error(self, self.tr("Export bundle"), self.tr(
                "Choose the folder to write the bundle into (e.g. a USB drive), then export again."))
            return
        folder = Path(text).expanduser()
        self.settings.export_folder = str(folder)

        def work(progress: Progress) -> ExportResult:
            def report(done: int, total: int, what: str) -> None:
                self.session.touch()  # a long export is activity: the idle lock must not end it at the last step
                progress.report(done, total, step_text(done, total, what))

            progress.report(0, 0, QCoreApplication.translate("ExportDialog", "Reading the site database…"))
            return export.export_bundle(self.session, folder, progress=report, cancelled=lambda: progress.cancelled)

        self._running(True)
        self._say(self.tr("Exporting into {0}…").format(folder), "")
        self.operation = dialogs.run_with_progress(self, self.tr("Exporting the bundle"), work, self._done,
                                                   cancellable=True, on_failure=self._failed)

    def _running(self, running: bool) -> None:
        for widget in (self.export_button, self.choose_button, self.folder):
            widget.setEnabled(not running)

    def _done(self, result: ExportResult) -> None:
        self._running(False)
        self.exported = result
        self.close_button.setDefault(True)  # a second Enter closes rather than makes another bundle
        self.refresh()
        self._say(self.tr("Export No. {0} written: {1} ({2} subjects, {3} audit events).").format(
            result.sequence, result.path, result.subjects, result.audit_events), OK_STYLE)
        text = self.tr("The bundle was written to\n{0}\n\nCheck it with:\necrf verify \"{0}\"").format(result.path)
        if result.new_key or result.sequence == 1:
            text += "\n\n" + self.tr(
                "This is the first bundle signed with this site's certificate: send the certificate to the sponsor "
                "so that they can register it (Save certificate… in this dialog), and read them its fingerprint on "
                "the phone.")
        dialogs.show_info(self, self.tr("Export finished"), text)

    def _failed(self, exc: BaseException) -> None:
        self._running(False)
        self.refresh()
        if isinstance(exc, ExportCancelled):
            message = self.tr("Export cancelled; nothing was written.")
            self._say(message, "")
            dialogs.show_info(self, self.tr("Export cancelled"), message)
            return
        message = dialogs.error_text(exc)
        self._say(self.tr("The export failed: {0}").format(message), FAILED_STYLE)
        dialogs.show_error(self, self.tr("Export failed"), message)

    def _say(self, text: str, style: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(style)
        self._fit()

    def _fit(self) -> None:
        """Grow (never shrink) when texts got longer, e.g. the last export and the result after an export;
        an open dialog does not do so by itself and would squeeze the fingerprint instead."""
        layout = self.layout()
        if layout is None:  # always set in __init__; the stubs call it optional
            return
        layout.activate()
        width = self.width()
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        if needed > self.height():
            self.resize(width, needed)

    def is_running(self) -> bool:
        return self.operation is not None and not self.operation.done

    def reject(self) -> None:
        if self.is_running():  # closing mid-export cancels it first (the progress dialog says when it stopped)
            self.operation.cancel()  # type: ignore[union-attr]  # is_running() says it is set
            return
        super().reject()


def step_text(done: int, total: int, what: str) -> str:
    """The progress label for the exporter's step (runs on the worker: translate() is thread-safe)."""
    if what == "audit trail":
        return QCoreApplication.translate("ExportDialog", "Writing the audit trail…")
    if what == "manifest and signature":
        return QCoreApplication.translate("ExportDialog", "Signing and packing the bundle…")
    return QCoreApplication.translate("ExportDialog", "Writing subject {0} ({1} of {2})…").format(
        what, done + 1, max(total - 2, done + 1))
