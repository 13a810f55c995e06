"""The app's lists (users, locks, queries, signatures, logs, audit events): whole rows selected, nothing
edited in place. Every change goes through a button and its dialog, where the services check it."""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView


def read_only_rows(view: QAbstractItemView, *, single: bool = True) -> None:
    """Rows are picked whole (one at a time when `single`) and never edited in the table itself."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
