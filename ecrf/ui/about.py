"""Help › About: which ecrf this is, which study definition it runs (version and fingerprint, so a monitor
can compare two sites), where the data is, and the licences of what the app bundles.

The versions are read at run time (importlib.metadata, Qt's own version), so the dialog tells the truth
about this copy, whichever wheel or build it came from. The licence notices themselves are the shipped
resources/licenses/THIRD-PARTY.txt, shown in the dialog.
"""
from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib import metadata

from PySide6 import __version__ as pyside_version
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
from ecrf.paths import ShippedDataMissing, data_dir, resource_path
from ecrf.services.session import SiteSession
from ecrf.ui.i18n import text_lang

NOTICES = ("licenses", "THIRD-PARTY.txt")  # under resources/


@dataclass(frozen=True)
class Component:
    name: str
    version: str  # "" when it cannot be read (not installed the usual way)
    licence: str


# (name shown, distribution whose version is read, licence); Qt's version comes from Qt itself.
BUNDLED = (
    ("SQLCipher (sqlcipher3)", "sqlcipher3", "BSD-3-Clause; binding: zlib"),
    ("SQLAlchemy", "SQLAlchemy", "MIT"),
    ("Alembic", "alembic", "MIT"),
    ("ReportLab", "reportlab", "BSD-3-Clause"),
    ("pyHanko", "pyhanko", "MIT"),
    ("pyhanko-certvalidator", "pyhanko-certvalidator", "MIT"),
    ("cryptography", "cryptography", "Apache-2.0 OR BSD-3-Clause"),
    ("lxml", "lxml", "BSD-3-Clause"),
    ("argon2-cffi", "argon2-cffi", "MIT"),
    ("PyYAML", "PyYAML", "MIT"),
    ("Lark", "lark", "MIT"),
    ("platformdirs", "platformdirs", "MIT"),
    ("filelock", "filelock", "MIT"),
    ("odmlib", "odmlib", "MIT"),
    ("psycopg", "psycopg", "LGPL-3.0-only"),
)


def bundled_components() -> list[Component]:
    """Every bundled component with the version this copy runs."""
    found = [Component("Qt", qVersion(), "LGPL-3.0-only"),
             Component("Qt for Python (PySide6)", pyside_version, "LGPL-3.0-only"),
             Component("Python", platform.python_version(), "PSF-2.0")]
    found += [Component(name, _version(dist), licence) for name, dist, licence in BUNDLED]
    found.append(Component("Droid Sans Fallback (font)", "", "Apache-2.0"))
    return found


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:  # a frozen build without the metadata: the name and licence still hold
        return ""


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
        layout.addWidget(self.components, 1)
        self.notices = QPlainTextEdit(notices_text())
        self.notices.setObjectName("about_notices")
        self.notices.setReadOnly(True)
        layout.addWidget(self.notices, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 620)

    def _facts(self, session: SiteSession) -> str:
        info = session.study.info
        lines = [
            self.tr("ecrf version {0}").format(__version__),
            self.tr("Study: {0} ({1}), definition version {2}").format(info.title.get(text_lang()), info.oid,
                                                                      info.version),
            self.tr("Definition fingerprint (SHA-256): {0}").format(grouped(session.study.fingerprint)),
            self.tr("Site {0}; database: {1}").format(session.site_code, session.database.paths.db),
            self.tr("Data folder: {0}").format(data_dir()),
        ]
        return "\n".join(lines)

    def _table(self, components: list[Component]) -> QTableWidget:
        table = QTableWidget(len(components), 3)
        table.setObjectName("about_components")
        table.setHorizontalHeaderLabels([self.tr("Component"), self.tr("Version"), self.tr("Licence")])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, component in enumerate(components):
            for column, text in enumerate((component.name, component.version, component.licence)):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        return table
