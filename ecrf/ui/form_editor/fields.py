"""One entry widget per item type, behind one small interface (`Field`).

A field holds exactly what the user typed or picked (`entry()`, text), or a missing-data code; the page
parses nothing itself: `validate_form` turns entries into values and findings. Nothing typed is ever cut
or dropped by a widget: a too-long text stays as typed and gets a finding instead."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ecrf.study.model import Item, ItemType
from ecrf.study.values import Missing, PartialDate
from ecrf.ui.form_editor.findings_view import field_style, paint_text

# Qt's default limit (32767) would cut a huge paste silently; the study's own max_length gives a finding.
NO_CUT = 10_000_000
BADGE_COLOUR = "#37474f"
LONG_TEXT = 200  # texts allowed longer than this get a multi-line box
FRAMED_ROOM = (2, 2, 2, 2)  # margins inside a field's coloured 2 px frame
FRAME_ROOM = (4, 4, 4, 4)  # the same room without a frame


translate = QCoreApplication.translate


def entry_text(value: Any) -> str:
    """A stored (typed) value as the text a user would type for it."""
    if value is None or isinstance(value, Missing):
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (date, PartialDate)):
        return value.entry_text() if isinstance(value, PartialDate) else value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, (tuple, list)):
        return ";".join(str(v) for v in value)
    return str(value)


class Field(QFrame):
    """The entry part of one item: the editor, its unit and the missing-code badge.

    edited: the entry or missing code changed (by the user or by code).
    committed: a choice was made (radio, combo, tick) — the page re-runs skip logic at once."""

    edited = Signal()
    committed = Signal()

    def __init__(self, item: Item, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.lang = lang
        self.setObjectName(f"field_{item.code}")
        self._missing: str | None = None
        self._severity: str | None = None
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(*FRAME_ROOM)
        self.build()
        if item.unit is not None:
            unit = QLabel(item.unit.get(lang))
            unit.setObjectName("unit")
            self._row.addWidget(unit)
        self._badge: QLabel | None = None  # made at the first missing code: most fields never get one

    @property
    def badge(self) -> QLabel:
        """The missing-code label, last in the row (a bold label costs more to make than the whole field)."""
        if self._badge is None:
            self._badge = QLabel()
            self._badge.setObjectName("missing")
            paint_text(self._badge, BADGE_COLOUR, bold=True)
            self._badge.hide()
            self._row.addWidget(self._badge)
        return self._badge

    # -- the interface the page uses ------------------------------------------------------

    def build(self) -> None:
        raise NotImplementedError

    def entry(self) -> str:
        """What is typed or picked, as text ('' when empty)."""
        raise NotImplementedError

    def set_entry(self, text: str) -> None:
        raise NotImplementedError

    def focus_widgets(self) -> list[QWidget]:
        """The widgets that take keyboard focus, in tab order."""
        raise NotImplementedError

    def focus_proxy(self) -> QWidget:
        return self.focus_widgets()[0]

    def set_editable(self, editable: bool) -> None:
        for widget in self.focus_widgets():
            widget.setEnabled(editable and self._missing is None)

    def missing(self) -> str | None:
        return self._missing

    def set_missing(self, code: str | None, label: str = "") -> None:
        """Mark the item ND/UNK/NA (the typed entry stays underneath, greyed, and comes back)."""
        self._missing = code
        if code is not None or self._badge is not None:
            self.badge.setText(f"{code} – {label}" if code else "")
            self.badge.setVisible(code is not None)
        for widget in self.focus_widgets():
            widget.setEnabled(code is None)
        self.edited.emit()

    def value(self) -> str | Missing:
        """What goes to validation and to the save."""
        return Missing(self._missing) if self._missing else self.entry()

    def set_severity(self, severity: str | None) -> None:
        """Colour the frame. A field without findings has no style sheet at all: styling each of a form's
        fields costs more than building them, so only a finding's frame is styled (its 2 px border then
        takes the place of 2 px of margin, and nothing moves)."""
        if severity == self._severity:
            return
        self._severity = severity
        self.setStyleSheet(field_style(self.objectName(), severity) if severity else "")
        self._row.setContentsMargins(*(FRAMED_ROOM if severity else FRAME_ROOM))


class LineField(Field):
    """Numbers, dates, times and short texts: a line edit, parsed by the study layer (locale-free)."""

    HINTS: ClassVar[dict[ItemType, str]] = {
        ItemType.DATE: "YYYY-MM-DD", ItemType.PARTIAL_DATE: "YYYY-MM-DD / YYYY-MM-UN", ItemType.TIME: "HH:MM",
        ItemType.DATETIME: "YYYY-MM-DD HH:MM"}

    def build(self) -> None:
        self.edit = QLineEdit()
        self.edit.setObjectName(f"edit_{self.item.code}")
        self.edit.setMaxLength(NO_CUT)
        self.edit.setPlaceholderText(self.HINTS.get(self.item.value_type, ""))
        t = self.item.value_type
        width = {ItemType.INTEGER: 90, ItemType.DECIMAL: 110, ItemType.TIME: 80, ItemType.DATE: 130,
                 ItemType.PARTIAL_DATE: 200, ItemType.DATETIME: 170}.get(t)
        if width is not None:
            self.edit.setFixedWidth(width)
        else:
            self.edit.setMinimumWidth(320 if self.item.max_length > 60 else 200)
        self.edit.textChanged.connect(lambda _t: self.edited.emit())
        self._row.addWidget(self.edit, 0 if width else 1)

    def entry(self) -> str:
        return self.edit.text()

    def set_entry(self, text: str) -> None:
        self.edit.setText(text)

    def focus_widgets(self) -> list[QWidget]:
        return [self.edit]

    def set_editable(self, editable: bool) -> None:
        self.edit.setReadOnly(not editable)
        self.edit.setEnabled(self._missing is None)


class LongTextField(Field):
    """Free text longer than a line (Tab leaves the box, Enter starts a new line)."""

    def build(self) -> None:
        self.edit = QPlainTextEdit()
        self.edit.setObjectName(f"edit_{self.item.code}")
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(72)
        self.edit.setMinimumWidth(420)
        self.edit.textChanged.connect(self.edited.emit)
        self._row.addWidget(self.edit, 1)

    def entry(self) -> str:
        return self.edit.toPlainText()

    def set_entry(self, text: str) -> None:
        self.edit.setPlainText(text)

    def focus_widgets(self) -> list[QWidget]:
        return [self.edit]

    def set_editable(self, editable: bool) -> None:
        self.edit.setReadOnly(not editable)
        self.edit.setEnabled(self._missing is None)


class DerivedField(LineField):
    """A calculated value: shown, recomputed live, never typed (not in the tab order)."""

    def build(self) -> None:
        super().build()
        self.edit.setReadOnly(True)
        self.edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.edit.setPlaceholderText(translate("FormFields", "calculated"))
        palette = self.edit.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor("#eceff1"))
        self.edit.setPalette(palette)
        self.edit.setFixedWidth(160)

    def entry(self) -> str:
        return ""  # never sent: the services recompute it

    def show_value(self, value: Any) -> None:
        codelist = self.item.codelist
        if codelist is not None and value is not None:
            self.edit.setText(codelist.label_of(value, self.lang))
        elif self.item.value_type is ItemType.YES_NO and value in ("Y", "N"):
            self.edit.setText(translate("FormFields", "Yes") if value == "Y" else translate("FormFields", "No"))
        else:
            self.edit.setText(entry_text(value))

    def focus_widgets(self) -> list[QWidget]:
        return []

    def focus_proxy(self) -> QWidget:
        return self.edit

    def set_editable(self, editable: bool) -> None:
        pass
