"""Electronic signatures on screen: the investigator certifies once and signs the casebook from the subject
page; an edit in the form editor breaks the signature (flagged ✗ in the header and the Signatures tab);
signing again from the "Ready for signature" list restores it. The dialogs themselves: what they show."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from subject_helpers import enrol, password_of

from ecrf.services import esign, esign_views
from ecrf.services.subject_data import FormRef
from ecrf.study.status import Scope, SignatureState
from ecrf.ui.esign import dialog as esign_dialog
from ecrf.ui.esign.dialog import SignatureAnswer, SigningDialog
from ecrf.ui.esign.ready import ReadyDialog
from ecrf.ui.form_editor.page import FormEditorPage
from ecrf.ui.subject.page import SubjectPage

PASSWORD = password_of("investigator")


@pytest.fixture
def answers(monkeypatch):  # type: ignore[no-untyped-def]
    """The certification and signing dialogs answered as a user would: what they were shown is kept."""
    seen: dict[str, list] = {"certified": [], "signed": []}

    def certify(parent, session):  # type: ignore[no-untyped-def]
        seen["certified"].append(session.actor.username)
        return PASSWORD

    def sign(parent, session, preview):  # type: ignore[no-untyped-def]
        seen["signed"].append(preview)
        first = esign.needs_username(session)
        return SignatureAnswer("investigator" if first else None, PASSWORD, bool(preview.warnings))

    monkeypatch.setattr(esign_dialog, "ask_certification", certify)
    monkeypatch.setattr(esign_dialog, "ask_signature", sign)
    return seen


@pytest.mark.req("P11.50")
@pytest.mark.req("ESIGN-DATA")
def test_sign_the_casebook_an_edit_breaks_it_signing_again_restores_it(qtbot, investigator, answers, dialogs):
    label = enrol(investigator, manual=("CTRL", "M001"))
    page = SubjectPage(investigator)
    qtbot.addWidget(page)
    page.show_subject(label)
    assert page.signature_state.isHidden()
    page.findChild(QAction, "sign_casebook").trigger()
    assert dialogs.errors == []
    assert answers["certified"] == ["investigator"] and len(answers["signed"]) == 1
    assert page.signature_state.text().startswith("✓ Casebook signed by Investigator Tester")
    assert page.signatures.table.rowCount() == len(answers["signed"][0].forms) + 1

    editor = FormEditorPage(investigator, FormRef(label, "SCR", "DM"))
    qtbot.addWidget(editor)
    assert editor.sign_button is not None and editor.sign_button.isEnabled()
    editor.rows["WEIGHT"].field.set_entry("69.0")
    editor._edited()
    dialogs.reasons.append("weight copied from the wrong line")
    with qtbot.waitSignal(editor.saved):
        editor.save(True)
    page.refresh()
    assert page.signature_state.text().startswith("✗")
    assert "signature(s) broken" in page.signature_state.text()
    broken = [page.signatures.table.item(r, 0).text() for r in range(page.signatures.table.rowCount())]
    assert "✗ broken" in broken

    ready = ReadyDialog(investigator)
    qtbot.addWidget(ready)
    mine = [n for n, entry in enumerate(ready.entries) if entry.subject == label and entry.scope is Scope.SUBJECT]
    assert mine and ready.entries[mine[0]].broken
    ready.table.selectRow(mine[0])
    ready.sign_selected()
    assert dialogs.errors == []
    assert answers["certified"] == ["investigator"]  # once
    page.refresh()
    assert page.signature_state.text().startswith("✓ Casebook signed")
    casebook = [v for v in esign_views.signatures_of(investigator, label) if v.scope == Scope.SUBJECT]
    assert [v.state for v in casebook] == [SignatureState.BROKEN, SignatureState.VALID]


@pytest.mark.req("P11.50")
@pytest.mark.req("P11.200")
def test_the_signing_dialog_shows_name_meaning_time_forms_and_asks_for_the_username_first(qtbot, investigator):
    label = enrol(investigator, manual=("CTRL", "M001"))
    preview = esign.preview(investigator, label, Scope.VISIT, visit="SCR")
    dialog = SigningDialog(investigator, preview)
    qtbot.addWidget(dialog)
    shown = {w.objectName(): w.text() for w in dialog.findChildren(QLabel) if w.objectName()}
    meaning = investigator.study.monitoring.signature.meaning
    assert shown["printed_name"] == "Investigator Tester (investigator)"
    assert meaning.get("en") in shown["meaning"] and meaning.get("zh") in shown["meaning"]
    assert "UTC" in shown["time"] and "SCR" in shown["what"]
    assert dialog.forms.count() == len(preview.forms) >= 2
    assert dialog.findChild(QLineEdit, "username") is not None
    assert not dialog.sign_button.isEnabled()
    dialog.password.setText(PASSWORD)
    assert not dialog.sign_button.isEnabled()  # the username too, at the first signature of a session
    assert dialog.username is not None
    dialog.username.setText("investigator")
    assert dialog.sign_button.isEnabled()
    assert dialog.answer() == SignatureAnswer("investigator", PASSWORD, False)
    QApplication.processEvents()
