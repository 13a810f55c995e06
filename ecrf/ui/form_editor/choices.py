"""Choice items: radio buttons for short lists and yes/no, a combo box for long lists, tick boxes for
several answers. Keys pick answers (a code, a digit, the start of a label); Delete clears one."""
from __future__ import annotations

from time import monotonic

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ecrf.study.model import Item, ItemType
from ecrf.ui.form_editor.date_picker import DATE_TYPES, DateField
from ecrf.ui.form_editor.fields import (
    LONG_TEXT,
    DerivedField,
    Field,
    LineField,
    LongTextField,
)

RADIO_MAX = 5  # a choice list this short is shown as radio buttons, a longer one as a combo box
RADIO_LINE = 60  # choices whose labels are longer together than this are listed one under the other


def _width(text: str) -> int:
    """Roughly how many Latin letters wide a label is (a Chinese character counts two)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


class _KeyPicker(QObject):
    """Letters pick a choice: its code (Y, N, 3…) or the first letter of its label."""

    def __init__(self, field: RadioField) -> None:
        super().__init__(field)
        self.field = field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            text = event.text().strip().upper()
            if text and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
                return self.field.pick_by_key(text)
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.field.set_entry("")
                return True
        return False


class RadioField(Field):
    """A short choice list (or yes/no) as radio buttons; Delete clears the answer."""

    def build(self) -> None:
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # exclusive by hand, so that an answer can be cleared again
        self.buttons: list[QRadioButton] = []
        picker = _KeyPicker(self)
        codelist = self.item.codelist
        choices = codelist.items if codelist else ()
        labels = [ci.label.get(self.lang) for ci in choices]
        # Short answers side by side (Yes  No); long ones one under the other, so nothing is cut off.
        box = QWidget()
        layout = QHBoxLayout(box) if sum(_width(t) for t in labels) <= RADIO_LINE else QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12 if isinstance(layout, QHBoxLayout) else 2)
        self._row.addWidget(box)
        for ci, label in zip(choices, labels, strict=True):
            button = QRadioButton(label)
            button.setObjectName(f"choice_{self.item.code}_{ci.code}")
            button.setProperty("code", str(ci.code))
            button.setAutoExclusive(False)
            button.installEventFilter(picker)
            button.toggled.connect(lambda on, b=button: self._toggled(b, on))
            self.group.addButton(button)
            self.buttons.append(button)
            layout.addWidget(button)

    def _toggled(self, button: QRadioButton, on: bool) -> None:
        if not on:  # a click on the chosen answer keeps it; Delete or the item menu clears it
            button.blockSignals(True)
            button.setChecked(True)
            button.blockSignals(False)
            return
        for other in self.buttons:
            if other is not button and other.isChecked():
                other.blockSignals(True)
                other.setChecked(False)
                other.blockSignals(False)
        self.edited.emit()
        self.committed.emit()

    def pick_by_key(self, key: str) -> bool:
        exact = [b for b in self.buttons if str(b.property("code")).upper() == key]
        by_label = [b for b in self.buttons if b.text().upper().startswith(key)]
        chosen = next(iter(exact or by_label), None)
        if chosen is None:
            return False
        chosen.setChecked(True)
        chosen.setFocus()
        return True

    def entry(self) -> str:
        return next((str(b.property("code")) for b in self.buttons if b.isChecked()), "")

    def set_entry(self, text: str) -> None:
        for button in self.buttons:
            button.blockSignals(True)
            button.setChecked(str(button.property("code")) == text)
            button.blockSignals(False)
        self.edited.emit()
        self.committed.emit()

    def focus_widgets(self) -> list[QWidget]:
        return list(self.buttons)

    def focus_proxy(self) -> QWidget:
        return next((b for b in self.buttons if b.isChecked()), self.buttons[0])


class _ComboSearch(QObject):
    """Typing picks a choice by the start of its label, spaces included ("Not app"), or by its code;
    a pause of a second starts a new search. Space with nothing typed opens the list; Delete clears."""

    PAUSE = 1.0

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo)
        self.combo = combo
        self.typed, self.last = "", 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() == Qt.Key.Key_Delete:
            self.combo.setCurrentIndex(0)
            return True
        text = event.text()
        if not text or not text.isprintable() or event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False
        now = monotonic()
        self.typed = (self.typed if now - self.last < self.PAUSE else "") + text
        self.last = now
        if self.typed == " ":
            self.typed = ""
            return False  # Space alone: Qt opens the list
        self._pick(self.typed.casefold())
        return True

    def _pick(self, typed: str) -> None:
        for index in range(1, self.combo.count()):
            if str(self.combo.itemData(index)).casefold() == typed.strip() or \
                    self.combo.itemText(index).casefold().startswith(typed):
                self.combo.setCurrentIndex(index)
                return


class ComboField(Field):
    """A long choice list as a combo box (type to jump to a choice; the first line is 'no answer')."""

    def build(self) -> None:
        self.combo = QComboBox()
        self.combo.setObjectName(f"combo_{self.item.code}")
        self.combo.addItem("", "")
        codelist = self.item.codelist
        for ci in codelist.items if codelist else ():
            self.combo.addItem(ci.label.get(self.lang), str(ci.code))
        self.combo.setMinimumWidth(260)
        self.combo.installEventFilter(_ComboSearch(self.combo))
        self.combo.currentIndexChanged.connect(self._changed)
        self._row.addWidget(self.combo)

    def _changed(self, _index: int) -> None:
        self.edited.emit()
        self.committed.emit()

    def entry(self) -> str:
        return str(self.combo.currentData() or "")

    def set_entry(self, text: str) -> None:
        index = self.combo.findData(text)
        if index < 0 and text:  # a stored code the definition no longer knows: show it, do not lose it
            self.combo.addItem(text, text)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))

    def focus_widgets(self) -> list[QWidget]:
        return [self.combo]


class MultiField(Field):
    """Several choices as tick boxes in two columns (Space ticks, Tab moves on)."""

    def build(self) -> None:
        self.boxes: list[QCheckBox] = []
        column = QWidget()
        grid = QGridLayout(column)
        grid.setContentsMargins(0, 0, 0, 0)
        codelist = self.item.codelist
        for n, ci in enumerate(codelist.items if codelist else ()):
            box = QCheckBox(ci.label.get(self.lang))
            box.setObjectName(f"choice_{self.item.code}_{ci.code}")
            box.setProperty("code", str(ci.code))
            box.toggled.connect(self._changed)
            self.boxes.append(box)
            grid.addWidget(box, n // 2, n % 2)
        self._row.addWidget(column)

    def _changed(self, _on: bool) -> None:
        self.edited.emit()
        self.committed.emit()

    def entry(self) -> str:
        return ";".join(str(b.property("code")) for b in self.boxes if b.isChecked())

    def set_entry(self, text: str) -> None:
        chosen = {part.strip() for part in text.split(";") if part.strip()}
        for box in self.boxes:
            box.blockSignals(True)
            box.setChecked(str(box.property("code")) in chosen)
            box.blockSignals(False)
        self.edited.emit()
        self.committed.emit()

    def focus_widgets(self) -> list[QWidget]:
        return list(self.boxes)


def make_field(item: Item, lang: str) -> Field:
    """The widget for an item's type (and the definition's radio/combo hint, else by list size)."""
    t = item.type
    if t is ItemType.CALCULATED:
        return DerivedField(item, lang)
    if t is ItemType.YES_NO:
        return RadioField(item, lang)
    if t is ItemType.SINGLE_CHOICE:
        size = len(item.codelist.items) if item.codelist else 0
        radio = item.widget == "radio" or (item.widget != "combo" and size <= RADIO_MAX)
        return RadioField(item, lang) if radio else ComboField(item, lang)
    if t is ItemType.MULTI_CHOICE:
        return MultiField(item, lang)
    if t is ItemType.TEXT and item.max_length > LONG_TEXT:
        return LongTextField(item, lang)
    if item.value_type in DATE_TYPES:
        return DateField(item, lang)
    return LineField(item, lang)
