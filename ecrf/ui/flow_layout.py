"""A layout that places its widgets in a row and wraps to the next row when the width runs out.

A row of filters or legend chips in a QHBoxLayout demands the sum of its widths: at 125 % scaling a ward
PC's 1366×768 screen is 1093×614 logical pixels, and such a row made the main window wider (and its bottom
cut) instead of taking a second line. Qt has no flow layout of its own; this is the one from Qt's examples,
with the height for a width so the page above gives it the rows it needs."""
from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # Qt asks past the end: None
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        """Everything in one row, when there is room for it."""
        visible = [item for item in self._items if not item.isEmpty()]
        width = sum(item.sizeHint().width() for item in visible) + self._spacing * max(0, len(visible) - 1)
        height = max((item.sizeHint().height() for item in visible), default=0)
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:
        """As wide as the widest item: everything else can go to another row."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _place(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in rows inside `rect` (only measured unless `move`), each item centred in its
        row's height; returns the height used."""
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        rows: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        x = area.x()
        for item in self._items:
            if item.isEmpty():  # a hidden widget takes no place
                continue
            size = _size_within(item, area.width())
            if rows[-1] and x + size.width() > area.right() + 1:
                rows.append([])
                x = area.x()
            rows[-1].append((item, size))
            x += size.width() + self._spacing
        y = area.y()
        for row in filter(None, rows):
            height = max(size.height() for _item, size in row)
            x = area.x()
            for item, size in row:
                if move:
                    item.setGeometry(QRect(QPoint(x, y + (height - size.height()) // 2), size))
                x += size.width() + self._spacing
            y += height + self._spacing
        used = y - self._spacing if any(rows) else area.y()
        return used - rect.y() + margins.bottom()


def _size_within(item: QLayoutItem, width: int) -> QSize:
    """The item's preferred size, narrowed to `width` when wider (a word-wrapped label then grows taller)."""
    hint = item.sizeHint()
    if width <= 0 or hint.width() <= width:
        return hint
    height = item.heightForWidth(width) if item.hasHeightForWidth() else hint.height()
    return QSize(width, max(height, hint.height()))


def flow_of(widgets: list[QWidget], spacing: int = 6) -> QWidget:
    """A widget holding `widgets` in a FlowLayout."""
    holder = QWidget()
    layout = FlowLayout(holder, spacing)
    for widget in widgets:
        layout.addWidget(widget)
    return holder

