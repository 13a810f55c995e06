"""The whole monitoring round through the real widgets, as the issue "Monitoring" asks: a monitor verifies a
form and raises a query on an item; the nurse answers it and corrects the value with a reason (the item's SDV
becomes "changed since verified"); the monitor closes the query; the investigator signs the casebook; an edit
breaks the signature; signing again restores it; the exported bundle verifies with all of it inside."""
from __future__ import annotations

import csv
import io
import zipfile

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from subject_helpers import password_of, save_confirming

from ecrf.export.verify.bundle import verify_bundle
from ecrf.services import esign, export, queries, sdv
from ecrf.services.subject_data import FormRef
from ecrf.study.status import QueryState, ResponseCode, SdvState, SignatureState
from ecrf.ui.esign import dialog as esign_dialog
from ecrf.ui.esign.dialog import SignatureAnswer
from ecrf.ui.form_editor.page import FormEditorPage
from ecrf.ui.queries.thread import QueryDialog, RaiseQueryDialog
from ecrf.ui.subject.page import SubjectPage
from tests.monitoring.query_helpers import vital_signs_site

pytestmark = [pytest.mark.req("P11.10f"), pytest.mark.req("P11.50"), pytest.mark.req("MON-ROUND")]
PASSWORD = password_of("investigator")


@pytest.fixture
def signing(monkeypatch):  # type: ignore[no-untyped-def]
    """The certification and signing dialogs answered as the investigator would."""
    monkeypatch.setattr(esign_dialog, "ask_certification", lambda parent, session: PASSWORD)
    monkeypatch.setattr(esign_dialog, "ask_signature", lambda parent, session, preview: SignatureAnswer(
        "investigator" if esign.needs_username(session) else None, PASSWORD, bool(preview.warnings)))


def _editor(qtbot, session, ref: FormRef) -> FormEditorPage:  # type: ignore[no-untyped-def]
    page = FormEditorPage(session, ref)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    return page


def test_verify_query_answer_close_sign_break_resign_export(qtbot, sites, study, dialogs, signing, tmp_path):
    desk, ref = vital_signs_site(sites, study)
    save_confirming(desk("investigator"), ref, {"VSTIM": "08:30", "OXYSAT": "95", "RESP": "18", "O2SUP": "RA",
                                                "SYSBP": "120", "DIABP": "80"}, complete=True)

    # The monitor verifies the form and raises a query on the temperature.
    monitor_page = _editor(qtbot, desk("monitor"), ref)
    qtbot.mouseClick(monitor_page.verify_button, Qt.MouseButton.LeftButton)
    assert dialogs.errors == [] and monitor_page.sdv_markers["TEMP"].state is SdvState.VERIFIED
    monitor_page.apply_menu_choice("TEMP", ("query", ""))
    raising = monitor_page.query_panel.dialog
    assert isinstance(raising, RaiseQueryDialog)
    raising.text.setPlainText("The nursing chart says 37.8.")
    raising.submit()
    monitor_page.close()

    # The nurse answers and corrects the value with a reason: the verified item is now changed.
    nurse_page = _editor(qtbot, desk("nurse"), ref)
    nurse_page.open_query_at("TEMP")
    answer = nurse_page.query_panel.dialog
    assert isinstance(answer, QueryDialog)
    answer.response.setCurrentIndex(answer.response.findData(ResponseCode.TYPING_ERROR.value))
    answer.answer_text.setPlainText("Typed 37.0 for 37.8.")
    answer.change_value.setChecked(True)
    answer.new_value.set_entry("37.8")
    answer.change_reason.setText("corrected from the nursing chart")
    assert answer.answer(), dialogs.errors
    nurse_page.close()
    monitor = desk("monitor")
    assert sdv.form_sdv(monitor, ref).items["TEMP"] is SdvState.CHANGED

    # The monitor closes the query from the same form.
    monitor_page = _editor(qtbot, monitor, ref)
    monitor_page.open_query_at("TEMP")
    closing = monitor_page.query_panel.dialog
    assert isinstance(closing, QueryDialog)
    closing.decision_text.setPlainText("Correction checked against the chart.")
    qtbot.mouseClick(closing.close_button, Qt.MouseButton.LeftButton)
    assert dialogs.errors == []
    [thread] = queries.queries_at(monitor, ref)
    assert thread.query.state is QueryState.CLOSED
    monitor_page.close()

    # The investigator signs the casebook; an edit breaks it; signing again restores it.
    investigator = desk("investigator")
    subject_page = SubjectPage(investigator)
    qtbot.addWidget(subject_page)
    subject_page.show_subject(ref.subject)
    subject_page.findChild(QAction, "sign_casebook").trigger()
    assert dialogs.errors == [] and subject_page.signature_state.text().startswith("✓")
    save_confirming(investigator, ref, {"PULSE": "84"}, reason="pulse re-read from the monitor strip")
    subject_page.refresh()
    assert subject_page.signature_state.text().startswith("✗")
    subject_page.findChild(QAction, "sign_casebook").trigger()
    subject_page.refresh()
    assert dialogs.errors == [] and subject_page.signature_state.text().startswith("✓")

    # The bundle carries it all, and verifies.
    (tmp_path / "out").mkdir()
    bundle = export.export_bundle(investigator, tmp_path / "out").path
    verdict = verify_bundle(bundle)
    assert verdict.ok, verdict.problems
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
        member = next(n for n in names if n.endswith("signatures.csv"))
        states = [row["state"] for row in csv.DictReader(io.StringIO(z.read(member).decode("utf-8-sig")))]
    assert SignatureState.BROKEN in states and SignatureState.VALID in states
    assert any(n.endswith("sdv.csv") for n in names) and any(n.endswith("query_messages.csv") for n in names)
