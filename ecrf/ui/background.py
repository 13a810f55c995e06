"""Work that may take more than ~100 ms (demo, backup, restore, login's key derivation) runs on a
worker thread; its callbacks run on the GUI thread (anki's CollectionOp pattern). The operation gets a
`Progress` it may report to and poll for cancellation; it never touches a widget."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Cancelled(Exception):
    """Raised inside an operation that saw `progress.cancelled`."""


class Progress:
    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit, self._cancel = emit, threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        self._emit(done, total, text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Runner(QRunnable):
    def __init__(self, op: Callable[[Progress], Any], signals: _Signals, progress: Progress) -> None:
        super().__init__()
        self.op, self.signals, self.progress = op, signals, progress

    def run(self) -> None:
        try:
            result = self.op(self.progress)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which shows a message
            self._tell(self.signals.failed, exc)
        else:
            self._tell(self.signals.succeeded, result)

    @staticmethod
    def _tell(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # "Signal source has been deleted": the app quit while this ran; nobody is left
            pass


class Operation:
    """`Operation(op).on_success(cb).on_failure(cb).on_progress(cb).start()`; keep a reference until done."""

    _running: ClassVar[set[Operation]] = set()

    def __init__(self, op: Callable[[Progress], Any]) -> None:
        self.signals = _Signals()
        self.progress = Progress(self.signals.progressed.emit)
        self._op = op
        self.done = False
        self.signals.succeeded.connect(self._finish)
        self.signals.failed.connect(self._finish)

    def on_success(self, callback: Callable[[Any], None]) -> Operation:
        self.signals.succeeded.connect(callback)
        return self

    def on_failure(self, callback: Callable[[BaseException], None]) -> Operation:
        self.signals.failed.connect(callback)
        return self

    def on_progress(self, callback: Callable[[int, int, str], None]) -> Operation:
        self.signals.progressed.connect(callback)
        return self

    def start(self) -> Operation:
        Operation._running.add(self)
        QThreadPool.globalInstance().start(_Runner(self._op, self.signals, self.progress))
        return self

    def cancel(self) -> None:
        self.progress.cancel()

    def _finish(self, _result: object) -> None:
        self.done = True
        Operation._running.discard(self)
