"""The form editor never swallows a fault (issue 12, robustness): a 4,301-digit paste gets a message under its
field, and any unexpected fault in a step before the service call is shown. A lone surrogate cannot reach the
editor (Qt drops it); the service refuses it (tests/test_robustness.py)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from subject_helpers import stored

from ecrf.services.subject_data import FormRef
from ecrf.ui.form_editor import saving
from ui.form_helpers import d3_subject, focus, open_page


def _vs(label: str, arm: str) -> FormRef:
    return FormRef(label, "D3", "VS", "PRE" if arm == "MSC" else "")


@pytest.mark.req("VAL-HARD")
def test_a_4301_digit_paste_is_refused_under_its_field(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label, arm = d3_subject(session)
    ref = _vs(label, arm)
    page = open_page(qtbot, session, ref)
    page.focus_item("PULSE")
    QApplication.clipboard().setText("7" * 4301)
    qtbot.keyClick(focus(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert page.save() is None
    assert "4301 digits" in page.rows["PULSE"].findings.text()
    assert page.rows["PULSE"].field.entry() == "7" * 4301  # nothing typed is lost
    assert dialogs.errors == []  # a field-level refusal, not a fault
    assert "PULSE" not in stored(session, ref)


def test_a_fault_before_the_service_call_is_shown_not_swallowed(qtbot, session, dialogs, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    label, arm = d3_subject(session)
    page = open_page(qtbot, session, _vs(label, arm))
    page.rows["PULSE"].field.set_entry("72")

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug in the checks")

    monkeypatch.setattr(saving, "live_check", broken)
    assert page.save() is None
    assert dialogs.errors and dialogs.errors[-1][0] == "Not saved"
    assert page.rows["PULSE"].field.entry() == "72"
