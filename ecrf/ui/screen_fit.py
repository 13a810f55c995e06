"""Fit a top-level window to the screen it opens on: a ward PC at 1366×768 with a task bar leaves about
1366×728, less than the main window's preferred 1280×800, and Qt would open it with its bottom (the form's
Save and Close buttons, the matrix legend) below the screen's edge.

The window's frame (title bar, borders) is drawn by the window manager and is known only once the window
is up, so the size is first fitted with a typical allowance and checked again after the window shows."""
from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Before the window manager has framed the window: a Windows 10/11 title bar and borders, a little generous.
FRAME_ALLOWANCE = QMargins(8, 32, 8, 8)


def fitted_size(preferred: QSize, available: QRect, frame: QMargins) -> QSize:
    """The preferred client size, made smaller where the frame would not fit into `available`."""
    room = available.marginsRemoved(frame).size()
    return preferred.boundedTo(room)


def placed_frame(frame_size: QSize, available: QRect) -> QPoint:
    """The frame's top-left corner that centres a frame of `frame_size` in `available` (never above or left
    of it, so the title bar stays reachable)."""
    x = available.left() + max(0, (available.width() - frame_size.width()) // 2)
    y = available.top() + max(0, (available.height() - frame_size.height()) // 2)
    return QPoint(x, y)


def frame_margins(window: QWidget) -> QMargins:
    """The window manager's frame around `window`: measured once it shows, else the allowance."""
    frame, inner = window.frameGeometry(), window.geometry()
    measured = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                        frame.right() - inner.right(), frame.bottom() - inner.bottom())
    if window.isVisible() and not measured.isNull():
        return measured
    return FRAME_ALLOWANCE


def available_geometry(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, preferred: QSize) -> None:
    """Size `window` to `preferred` or less so that its frame fits the screen's free area, and centre it."""
    available = available_geometry(window)
    frame = frame_margins(window)
    size = fitted_size(preferred, available, frame)
    window.resize(size)
    frame_size = size.grownBy(frame)
    window.move(placed_frame(frame_size, available))  # move() places the frame's corner


def refit_after_show(window: QWidget, preferred: QSize) -> None:
    """Once shown, fit again with the real frame if the window manager's frame is larger than allowed for."""
    def refit() -> None:
        if window.isVisible() and not available_geometry(window).contains(window.frameGeometry()):
            fit_to_screen(window, window.size().boundedTo(preferred))

    QTimer.singleShot(0, refit)
