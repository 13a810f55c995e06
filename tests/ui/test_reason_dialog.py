"""The reason prompt offers the usual reasons of its kind plus "Other" with free text; what is stored is
text (the chosen label in the language on screen, then the details), audited as before."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from subject_helpers import stored

from ecrf.services import forms
from ecrf.services.subject_data import FormRef
from ecrf.ui import dialogs as dialogs_module
from ecrf.ui.i18n import install_language
from ecrf.ui.reason_dialog import ReasonDialog, Reasons
from ui.form_helpers import d3_subject, open_page


def _dialog(qtbot, kind: Reasons | None) -> ReasonDialog:  # type: ignore[no-untyped-def]
    dialog = ReasonDialog(None, "Reason for change", "Why?", kind)
    qtbot.addWidget(dialog)
    return dialog


def _ok(dialog: ReasonDialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


@pytest.mark.req("WARD-ENTRY-3")
def test_a_usual_reason_alone_or_with_details(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, Reasons.DATA_CHANGE)
    assert not _ok(dialog), "nothing picked yet"
    labels = [b.text() for b in dialog.choices.buttons()]
    assert any("Transcription error" in t for t in labels) and any("Data entered in error" in t for t in labels)
    assert any("Source document corrected" in t for t in labels) and "Other" in labels[-1]
    dialog.findChild(type(dialog.other), "reason_0").setChecked(True)
    assert _ok(dialog) and dialog.reason() == "Transcription error"
    dialog.edit.setPlainText("  copied from the wrong line of the nursing notes ")
    assert dialog.reason() == "Transcription error: copied from the wrong line of the nursing notes"


@pytest.mark.req("WARD-ENTRY-3")
def test_other_needs_the_free_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, Reasons.UNVERIFY)
    assert dialog.other is not None
    dialog.other.setChecked(True)
    assert not _ok(dialog)
    dialog.edit.setPlainText("   ")
    assert not _ok(dialog)
    dialog.edit.setPlainText("monitor visit moved")
    assert _ok(dialog) and dialog.reason() == "monitor visit moved"


def test_without_a_kind_the_prompt_is_free_text_as_before(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, None)
    assert dialog.choices.buttons() == [] and dialog.other is None
    assert not _ok(dialog)
    dialog.edit.setPlainText("password forgotten, identity checked in person")
    assert dialog.reason() == "password forgotten, identity checked in person"


@pytest.mark.req("WARD-ENTRY-3")
def test_the_usual_reasons_in_chinese(qtbot) -> None:  # type: ignore[no-untyped-def]
    assert install_language("zh_CN")
    dialog = _dialog(qtbot, Reasons.REMOVE_ENTRY)
    dialog.findChild(type(dialog.other), "reason_1").setChecked(True)
    assert dialog.reason() == "重复录入"
    assert "其他" in dialog.other.text()


@pytest.mark.req("WARD-ENTRY-3")
def test_a_completed_form_change_stores_the_chosen_reason(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    ref = FormRef(label, "D3", "AECHK")
    forms.save_form(session, ref, {"AEYN": "N"}, complete=True)
    page = open_page(qtbot, session, ref)
    offered: list[Reasons | None] = []

    def answer(parent, title, prompt, kind=None):  # type: ignore[no-untyped-def]
        offered.append(kind)
        dialog = _dialog(qtbot, kind)
        dialog.findChild(type(dialog.other), "reason_0").setChecked(True)
        dialog.edit.setPlainText("ticked the wrong box")
        return dialog.reason()

    monkeypatch.setattr(dialogs_module, "ask_reason", answer)
    page.rows["AEYN"].field.set_entry("Y")
    assert page.save() is not None
    assert offered == [Reasons.DATA_CHANGE] and stored(session, ref)["AEYN"] == "Y"
    page.show_history("AEYN")
    model = page.history_dialog.table.model()
    reason = model.index(model.rowCount() - 1, model.columnCount() - 1).data()
    assert reason == "Transcription error: ticked the wrong box"


@pytest.mark.req("WARD-ENTRY-3")
def test_a_usual_reason_is_picked_from_the_keyboard(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, Reasons.DATA_CHANGE)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_3)
    assert dialog.reason() == "Data entered in error"
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_0)  # Other: the cursor goes to the details
    assert dialog.edit.hasFocus() and not _ok(dialog)
    qtbot.keyClicks(dialog.edit, "lab report 2 replaced report 1")
    assert dialog.reason() == "lab report 2 replaced report 1"
