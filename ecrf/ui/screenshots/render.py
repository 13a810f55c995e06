"""Drawing screens into 1280×800 images (the guide's at 1366×768): windows centred under a plain title bar,
dialogs over their dimmed parent, and the bookkeeping of what was made, skipped or failed."""
from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QImage, QPainter, QPixmap
    from PySide6.QtWidgets import QWidget

    from ecrf.study.model import Study
    from ecrf.ui.main_window import MainWindow

SIZE = (1280, 800)
BACKDROP = "#d5dce3"
TITLE_BAR = 28


@dataclass
class Shooter:
    out: Path
    lang: str
    made: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def shot(self, name: str, make: Callable[[], QImage | None]) -> None:
        """Render one screen: `make` returns a QImage (or None when it saved nothing)."""
        try:
            image = make()
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("ecrf.ui"):
                raise
            self.skip(name, f"{exc.name} is not written yet")
            return
        except Exception:  # noqa: BLE001 - report, go on with the other screens
            traceback.print_exc()
            self.failed.append(f"{self.lang}-{name}")
            print(f"FAILED  {self.lang}-{name}")
            return
        if image is not None:
            path = self.path_for(name)
            if not self.save(self.finish(image), path):
                raise OSError(f"cannot write {path}")
            self.made.append(path)
            print(f"made    {path.name}")

    def path_for(self, name: str) -> Path:
        return self.out / f"{self.lang}-{name}.png"

    def save(self, image: QImage, path: Path) -> bool:
        return bool(image.save(str(path)))

    def finish(self, image: QImage) -> QImage:
        """The image as saved (the guide's shooter scales and reduces it)."""
        return image

    def section(self, name: str, run: Callable[[], None]) -> None:
        """Several screens made by `run`: skipped together while their module is not written."""
        try:
            run()
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("ecrf.ui"):
                raise
            self.skip(name, f"{exc.name} is not written yet")
        except Exception:  # noqa: BLE001 - report, go on with the other screens
            traceback.print_exc()
            self.failed.append(f"{self.lang}-{name}")
            print(f"FAILED  {self.lang}-{name}")

    def skip(self, name: str, why: str) -> None:
        self.skipped.append(f"{self.lang}-{name}")
        print(f"skipped {self.lang}-{name}: {why}")


def settle(rounds: int = 3) -> None:
    """Let layouts, deferred loads and deletions run."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(rounds):
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def framed(widget: QWidget, backdrop: QImage | None = None, size: tuple[int, int] = SIZE) -> QImage:
    """`widget` shown and drawn on an image of `size` (1280×800): full size for main windows, else centred."""
    from PySide6.QtGui import QColor, QImage, QPainter

    widget.show()
    settle()
    pixmap = widget.grab()
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor(BACKDROP))
    painter = QPainter(image)
    if backdrop is not None:
        painter.drawImage(0, 0, backdrop)
        painter.fillRect(image.rect(), QColor(0, 0, 0, 80))
    if pixmap.width() >= size[0] and pixmap.height() >= size[1]:
        painter.drawPixmap(0, 0, pixmap)
    else:
        _window_frame(painter, pixmap, widget.windowTitle(), size)
    painter.end()
    return image


def _window_frame(painter: QPainter, pixmap: QPixmap, title: str, size: tuple[int, int]) -> None:
    """The window centred under a plain title bar (offscreen windows have no decorations)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor

    bar = TITLE_BAR
    w, h = pixmap.width(), pixmap.height() + bar
    x, y = max(0, (size[0] - w) // 2), max(0, (size[1] - h) // 2)
    painter.fillRect(x, y, w, bar, QColor("#3c4b5c"))
    painter.setPen(QColor("white"))
    painter.drawText(QRect(x + 10, y, w - 20, bar), Qt.AlignmentFlag.AlignVCenter, title)
    painter.drawPixmap(x, y + bar, pixmap)
    painter.setPen(QColor("#3c4b5c"))
    painter.drawRect(x - 1, y - 1, w + 1, h + 1)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def tab_name(widget: QWidget | None, index: int) -> str:
    """A file-name part for a tab, the same in every language: its object or class name, else its number."""
    if widget is None:
        return f"tab{index + 1}"
    name = widget.objectName()
    if name and not name.startswith("qt_"):
        return slug(name)
    cls = widget.metaObject().className()
    return slug(re.sub(r"(?<=[a-z])(?=[A-Z])", "-", cls)) if not cls.startswith("Q") else f"tab{index + 1}"


@dataclass
class Demo:
    db_path: Path
    study: Study

    @contextmanager
    def window(self, username: str, size: tuple[int, int] = SIZE) -> Iterator[MainWindow]:
        """The main window of `username` logged in to the demo, closed (with its session) after."""
        from ecrf.services.auth import login
        from ecrf.ui.main_window import MainWindow

        session = login(self.db_path, self.study, username, f"demo-{username}-2020")
        main = None
        try:
            main = MainWindow(session, idle_check_ms=24 * 3600 * 1000)
            main.resize(*size)
            main.show()
            settle()
            main.resize(*size)  # the refit after showing fits the offscreen screen: draw the size asked for
            settle()
            yield main
        finally:
            if main is not None:
                main.watcher.stop()
                main.hide()
                main.deleteLater()
                settle()
            session.close()
