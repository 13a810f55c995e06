"""Help › About: which ecrf this is, which study definition it runs (version and fingerprint, so a monitor
can compare two sites), where the data is, and the licences of what the app bundles.

The versions are read at run time (importlib.metadata, Qt's own version), so the dialog tells the truth
about this copy, whichever wheel or build it came from; the built app carries the metadata for it. The
notices on what metadata does not tell (Qt's terms, the C libraries inside the wheels, the fonts) are the
shipped resources/licenses/THIRD-PARTY.txt, shown in the dialog.
"""
from __future__ import annotations

import platform

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ecrf import __version__
from ecrf.components import Component, licence_folder, python_components
from ecrf.paths import ShippedDataMissing, data_dir, resource_path
from ecrf.services.session import SiteSession
from ecrf.ui.i18n import text_lang

NOTICES = ("licenses", "THIRD-PARTY.txt")  # under resources/
# What is not a Python distribution: the fonts (their licence files are in resources/fonts) have no version.
FONTS = (Component("Droid Sans Fallback (font)", "", "Apache-2.0"),
         Component("DejaVu Sans Condensed (font)", "", "Bitstream Vera Fonts licence"))


def bundled_components() -> list[Component]:
    """Every bundled component with the version this copy runs: Qt and Python as they report themselves,
    then every Python distribution the app runs on (ecrf.components: the same list the build's LICENSES has)."""
    return [Component("Qt", qVersion(), "LGPL-3.0-only"),
            Component("Python", platform.python_version(), "PSF-2.0"),
            *python_components(), *FONTS]


def grouped(fingerprint: str) -> str:
    """A SHA-256 in groups of eight, easier to read out over the phone."""
    return " ".join(fingerprint[i:i + 8] for i in range(0, len(fingerprint), 8))


def notices_text() -> str:
    try:
        return resource_path(*NOTICES).read_text(encoding="utf-8")
    except (ShippedDataMissing, OSError) as exc:
        return f"{'/'.join(NOTICES)}: {exc}"


class AboutDialog(QDialog):
    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about")
        self.setWindowTitle(self.tr("About ecrf"))
        layout = QVBoxLayout(self)
        self.facts = QLabel(self._facts(session))
        self.facts.setObjectName("about_facts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.facts)
        layout.addWidget(QLabel(self.tr("Bundled software and its licences:")))
        self.components = self._table(bundled_components())
        layout.addWidget(self.components, 3)
        self.notices = QPlainTextEdit(notices_text())
        self.notices.setObjectName("about_notices")
        self.notices.setReadOnly(True)
        self.notices.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # the file is laid out in lines already
        layout.addWidget(self.notices, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 680)

    def _facts(self, session: SiteSession) -> str:
        info = session.study.info
        lines = [
            self.tr("ecrf version {0}").format(__version__),
            self.tr("Study: {0} ({1}), definition version {2}").format(info.title.get(text_lang()), info.oid,
                                                                      info.version),
            self.tr("Definition fingerprint (SHA-256): {0}").format(grouped(session.study.fingerprint)),
            self.tr("Site {0}; database: {1}").format(session.site_code, session.database.paths.db),
            self.tr("Data folder: {0}").format(data_dir()),
            self._licence_texts(),
        ]
        return "\n".join(lines)

    def _licence_texts(self) -> str:
        folder = licence_folder()
        if folder is None:  # from source or a wheel: pip keeps each one's licence files with its metadata
            return self.tr("Licence texts: in each component's *.dist-info/licenses folder in site-packages")
        return self.tr("Licence texts: {0}").format(folder)

    def _table(self, components: list[Component]) -> QTableWidget:
        table = QTableWidget(len(components), 3)
        table.setObjectName("about_components")
        table.setHorizontalHeaderLabels([self.tr("Component"), self.tr("Version"), self.tr("Licence")])
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)  # some 50 rows: keep them tight
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, component in enumerate(components):
            for column, text in enumerate((component.name, component.version or "–", component.licence)):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        return table
