"""One row per item: label (with a red * when required), the entry field with its unit (and a calendar for
dates), an "Item ▾" button for the item menu (missing codes, history), the help text in grey and the
findings under it."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ecrf.study.findings import Finding
from ecrf.study.model import Form, Item, Text
from ecrf.ui.form_editor.choices import make_field
from ecrf.ui.form_editor.fields import Field
from ecrf.ui.form_editor.findings_view import FindingLabel, paint_text, worst

LABEL_WIDTH = 300
# A help text up to this wide stays on one line: the form is then at least ~900 px wide, which it is on a
# 1366×768 screen at 125 % scaling (1093 px); longer help texts wrap to any width.
HELP_ONE_LINE = 560
REQUIRED_MARK = ' <span style="color:#c62828; font-weight:bold">*</span>'
REQUIRED_COLOUR = QColor("#c62828")


def grey_label(text: str, one_line_up_to: int = 0) -> QLabel:
    """Help text, a little smaller, in grey. It wraps unless it fits in `one_line_up_to` pixels: a wrapped
    label costs Qt a layout for every width it tries, and most help texts are one short line."""
    label = QLabel(text)
    paint_text(label, "#5f6b73")
    font = QFont(label.font())
    font.setPointSizeF(max(font.pointSizeF() * 0.9, 7.0))
    label.setFont(font)
    label.setWordWrap(label.fontMetrics().horizontalAdvance(text) > one_line_up_to)
    return label


class ItemLabel(QLabel):
    """The item's name, with a red * when an answer is required.

    A name that fits on one line is plain text and its * is painted beside it; a longer one wraps, as rich
    text with the * in it. Rich text, and wrapping even more (Qt lays a wrapped label out again for every
    width it tries), are most of the time a form takes to appear; most names are short."""

    def __init__(self, text: str, required: bool) -> None:
        super().__init__()
        self.setFixedWidth(LABEL_WIDTH)
        self.one_line = self.fontMetrics().horizontalAdvance(f"{text} **") <= LABEL_WIDTH - 12
        self._paint_mark = required and self.one_line
        if self.one_line:
            self.setTextFormat(Qt.TextFormat.PlainText)
            self.setText(text)
        else:
            self.setTextFormat(Qt.TextFormat.RichText)
            self.setWordWrap(True)
            self.setText(escape(text) + (REQUIRED_MARK if required else ""))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._paint_mark:
            return
        painter = QPainter(self)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(REQUIRED_COLOUR)
        area = self.contentsRect()
        area.setLeft(area.left() + self.fontMetrics().horizontalAdvance(self.text() + " "))
        painter.drawText(area, int(self.alignment()), "*")
        painter.end()


class ItemRow(QWidget):
    """menuRequested(item code, where to pop the menu up, in global coordinates); queryClicked(item code)."""

    menuRequested = Signal(str, QPoint)
    queryClicked = Signal(str)  # item code: its query mark was clicked

    def __init__(self, item: Item, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName(f"row_{item.code}")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 3, 0, 3)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(1)
        self.label = ItemLabel(item.label.get(lang), item.required)
        self.label.setObjectName(f"label_{item.code}")
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.label.setContentsMargins(0, 5, 0, 0)  # level with the text of the field beside it
        self.field: Field = make_field(item, lang)
        self.field.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.label.setBuddy(self.field.focus_proxy())
        self.more = QToolButton()
        self.more.setObjectName(f"more_{item.code}")
        self.more.setText(self.tr("Item"))  # with a down arrow: a menu, not a "browse…" button
        self.more.setArrowType(Qt.ArrowType.DownArrow)
        self.more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.more.setToolTip(self.tr("Item menu (Ctrl+M): missing value (ND / UNK / NA), clear the answer, "
                                     "history of this item"))
        self.more.setAccessibleName(self.tr("Item menu: {0}").format(item.label.get(lang)))
        self.more.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field; Ctrl+M opens the menu
        self.more.clicked.connect(self._menu_from_button)
        below = QVBoxLayout()
        below.setContentsMargins(4, 0, 0, 0)
        below.setSpacing(1)
        if item.help is not None:
            self.help = grey_label(item.help.get(lang), HELP_ONE_LINE)
            below.addWidget(self.help)
            self.label.setToolTip(item.help.get(lang))
        self._below = below
        self._findings: FindingLabel | None = None  # made at the first finding (see findings)
        entry = QHBoxLayout()
        entry.setSpacing(4)
        entry.addWidget(self.field)
        entry.addWidget(self.more, 0, Qt.AlignmentFlag.AlignTop)
        self._query_mark: QToolButton | None = None  # made for the first query (see query_mark)
        entry.addStretch(1)
        self._entry = entry
        grid.addWidget(self.label, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(entry, 0, 1)
        grid.addLayout(below, 1, 1)
        grid.setColumnStretch(1, 1)

    # Most items never get a finding or a query: their labels are made when first needed, which halves the
    # widgets a form is built from (and opening a form is what users wait for).
    @property
    def findings(self) -> FindingLabel:
        """The messages under the item."""
        if self._findings is None:
            self._findings = FindingLabel()
            self._findings.setObjectName(f"findings_{self.item.code}")
            self._below.addWidget(self._findings)
        return self._findings

    @property
    def query_mark(self) -> QToolButton:
        """A query on this item: its state's symbol, after the "…" button and the SDV mark; a click emits
        queryClicked."""
        if self._query_mark is None:
            self._query_mark = QToolButton()
            self._query_mark.setObjectName(f"query_mark_{self.item.code}")
            self._query_mark.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self._query_mark.hide()
            self._query_mark.clicked.connect(lambda _c=False: self.queryClicked.emit(self.item.code))
            self._entry.insertWidget(self._entry.count() - 1, self._query_mark, 0, Qt.AlignmentFlag.AlignTop)
        return self._query_mark

    def add_marker(self, widget: QWidget) -> None:
        """A mark beside the field's item menu button (source data verification)."""
        self._entry.insertWidget(2, widget, 0, Qt.AlignmentFlag.AlignTop)

    def _menu_from_button(self) -> None:
        self.menuRequested.emit(self.item.code, self.more.mapToGlobal(self.more.rect().bottomLeft()))

    def request_menu(self) -> None:
        self._menu_from_button()

    def set_query_mark(self, mark: tuple[str, str] | None) -> None:
        """(symbol, tooltip) of the item's most pressing query, or None."""
        if mark is None and self._query_mark is None:
            return
        self.query_mark.setVisible(mark is not None)
        if mark is not None:
            self.query_mark.setText(mark[0])
            self.query_mark.setToolTip(mark[1])

    def owns(self, widget: QWidget | None) -> bool:
        return widget is not None and (widget is self or self.isAncestorOf(widget))

    def show_findings(self, own: list[Finding], marked: list[Finding], lang: str, confirmed_note: str) -> None:
        """`own`: messages shown under this item; `marked`: all findings that colour its frame."""
        if own or self._findings is not None:
            self.findings.show_findings(own, lang, confirmed_note)
        severity = worst(marked)
        self.field.set_severity(severity.value if severity else None)


def form_help(form: Form, lang: str) -> QLabel | None:
    return grey_label(form.help.get(lang)) if isinstance(form.help, Text) else None
