"""Work on a background thread (ecrf.ui.background): a job that ends after the app has let go of it (the user
quit while the study loaded) ends quietly, not with a traceback on the console."""
from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QThreadPool

from ecrf.ui.background import Operation


def test_a_job_whose_receiver_is_gone_ends_without_a_traceback(qapp, capfd) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    operation = Operation(lambda progress: release.wait(5) and "done")
    operation.start()
    shiboken6.delete(operation.signals)  # what quitting the app does to the job's receiver
    release.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    assert "Traceback" not in capfd.readouterr().err
