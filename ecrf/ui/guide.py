"""Help › User guide (F1): the short guide for ward staff and monitors, in the UI language, with screenshots.

The guide is HTML with PNG screenshots under the shipped `resources/guide/<language>/` (packaged with the rest
of `resources/`: see ecrf/paths.py), shown offline in a QTextBrowser. "Save as PDF…" lays the same document out
on A4 pages with Qt's QPdfWriter, for printing: the frozen app carries no Qt print module (installer_build/plan.py
QT_KEEP), and a PDF prints anywhere. The pages can also be opened in any web browser.
Regenerate the screenshots with `python -m ecrf.ui.screenshots --guide` (see README, "User guide").
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QMarginsF, QSize, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QPixmap, QTextCursor, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from ecrf.paths import ShippedDataMissing, resource_path
from ecrf.ui import dialogs
from ecrf.ui.file_dialogs import ask_save_file, start_folder
from ecrf.ui.i18n import current_language
from ecrf.ui.screen_fit import fit_to_screen

GUIDE = "guide"  # under resources/
PAGE = "index.html"
FALLBACK = "en"  # a language without its own guide shows the English one
PREFERRED_SIZE = QSize(900, 680)  # the screenshots are 800 pixels wide


def guide_page(language: str) -> Path:
    """The guide's page for `language` ('en', 'zh_CN'), or the English one when that language has none."""
    for lang in dict.fromkeys((language, FALLBACK)):
        page = resource_path(GUIDE, lang, PAGE)
        if page.is_file():
            return page
    return resource_path(GUIDE, FALLBACK, PAGE)  # not there either: the caller says so


def fit_images(document: QTextDocument, width: float) -> None:
    """Shrink every picture wider than `width` (document pixels) to it: the screenshots are wider than an A4
    page's text column, and print_() would cut them off at the margin rather than scale them."""
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            image = fragment.charFormat().toImageFormat()
            if fragment.isValid() and image.isValid():
                natural = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(image.name()))
                size = natural.size() if isinstance(natural, (QImage, QPixmap)) else None  # Qt caches a QPixmap
                if size is not None and size.width() > width:
                    image.setWidth(width)
                    image.setHeight(size.height() * width / size.width())
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(image)
            it += 1
        block = block.next()


def ask_file(parent: QWidget, suggested: str) -> str | None:
    """Where to save the PDF; None when cancelled (tests replace this function)."""
    title = QCoreApplication.translate("GuideDialog", "Save the user guide as PDF")
    chosen = ask_save_file(parent, "export", title, Path(suggested).name, "PDF (*.pdf)")
    return str(chosen) if chosen else None


class GuideDialog(QDialog):
    """The guide, opened at its start; non-modal, so it can stay open beside the window it explains."""

    def __init__(self, parent: QWidget | None = None, language: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guide")
        self.setWindowTitle(self.tr("ecrf user guide"))
        self.browser = QTextBrowser()
        self.browser.setObjectName("guide_text")
        self.browser.setOpenExternalLinks(False)  # offline: the guide links only within itself
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.pdf_button = QPushButton(self.tr("Save as PDF…"))
        self.pdf_button.setObjectName("guide_pdf")
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button.clicked.connect(lambda _c=False: self.save_pdf())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.page: Path | None = None
        self.show_language(language or current_language())
        fit_to_screen(self, PREFERRED_SIZE)  # a ward PC's 1366×768 less its taskbar holds it whole

    def show_language(self, language: str) -> None:
        try:
            page = guide_page(language)
        except ShippedDataMissing as exc:
            self._missing(dialogs.error_text(exc))
            return
        if not page.is_file():
            self._missing(self.tr("The user guide is not installed ({0} is missing). Reinstall ecrf to get it "
                                  "back.").format(page))
            return
        self.page = page
        self.browser.setSource(QUrl.fromLocalFile(str(page)))
        self.pdf_button.setEnabled(True)

    def changeEvent(self, event: QEvent) -> None:
        """The UI language changed while the guide is open: show the guide of the new language."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange and hasattr(self, "pdf_button"):
            self.setWindowTitle(self.tr("ecrf user guide"))
            self.pdf_button.setText(self.tr("Save as PDF…"))
            self.show_language(current_language())

    def _missing(self, why: str) -> None:
        self.page = None
        self.browser.setPlainText(why)
        self.pdf_button.setEnabled(False)

    def save_pdf(self) -> Path | None:
        """The whole guide on A4 pages, images included; the path written, or None (cancelled, or not written:
        said). Written beside the target and renamed, so a failed write never leaves or keeps a wrong file."""
        suggested = str(start_folder("export") / f"ecrf-user-guide-{current_language()}.pdf")
        chosen = ask_file(self, suggested)
        if chosen is None:
            return None
        path = Path(chosen) if chosen.lower().endswith(".pdf") else Path(chosen + ".pdf")
        part = path.with_name(f".{path.name}.part")
        self._write_pdf(part)
        try:
            if part.stat().st_size == 0:
                raise OSError("nothing was written")
            os.replace(part, path)
        except OSError:  # QPdfWriter says nothing when it cannot write: the missing or empty file tells
            with contextlib.suppress(OSError):  # (in a folder that is not one, even unlink fails)
                part.unlink()
            dialogs.show_error(self, self.windowTitle(), self.tr(
                "The guide could not be saved to {0}. Choose a folder you may write to, with free space.")
                .format(path))
            return None
        dialogs.show_info(self, self.windowTitle(), self.tr("The user guide was saved to {0}.").format(path))
        return path

    def _write_pdf(self, target: Path) -> None:
        writer = QPdfWriter(str(target))
        writer.setTitle(self.windowTitle())
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                         QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
        page_inches = writer.pageLayout().paintRect(QPageLayout.Unit.Inch).width()
        document = self.browser.document().clone(self)
        fit_images(document, page_inches * self.browser.logicalDpiX() - 2 * document.documentMargin() - 4)
        document.print_(writer)
        del writer  # the file is finished when the writer goes
        document.deleteLater()
