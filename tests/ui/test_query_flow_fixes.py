"""What a tester found in the query flow: a correction made in the answer shows in the open form at once (the
user's unsaved typing kept), the missing-reason message names the item by its label, the monitor's thread shows
what value the site corrected, the site chooses the response code itself, and the form header says what its
query count counts. In both languages where words are involved."""
from __future__ import annotations

from decimal import Decimal

import pytest
from subject_helpers import save_confirming, stored

from ecrf.services import audit_trail, queries
from ecrf.services.queries import QueryPlace
from ecrf.study.status import QueryState, ResponseCode
from ecrf.ui.form_editor.page import FormEditorPage
from ecrf.ui.i18n import install_language
from ecrf.ui.queries.thread import QueryDialog
from tests.monitoring.query_helpers import vital_signs_site

pytestmark = pytest.mark.req("P11.10f")
COMPLETE_VS = {"VSTIM": "08:30", "OXYSAT": "95", "RESP": "18", "O2SUP": "RA", "SYSBP": "120", "DIABP": "80"}


@pytest.fixture
def site(sites, study):  # type: ignore[no-untyped-def]
    desk, ref = vital_signs_site(sites, study)
    yield desk, ref
    desk.close()


def _page(qtbot, session, ref) -> FormEditorPage:  # type: ignore[no-untyped-def]
    page = FormEditorPage(session, ref)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    return page


def _open(page: FormEditorPage, item: str = "PULSE") -> QueryDialog:
    page.open_query_at(item)
    dialog = page.query_panel.dialog
    assert isinstance(dialog, QueryDialog)
    return dialog


def _correct(dialog: QueryDialog, value: str, reason: str = "corrected from the ECG printout") -> None:
    dialog.response.setCurrentIndex(dialog.response.findData(ResponseCode.TYPING_ERROR.value))
    dialog.answer_text.setPlainText("Typed 80 for 88.")
    dialog.change_value.setChecked(True)
    dialog.new_value.set_entry(value)
    dialog.change_reason.setText(reason)


def test_a_correction_shows_in_the_form_at_once_and_other_typing_stays(qtbot, site, dialogs):
    desk, ref = site
    queries.raise_query(desk("monitor"), QueryPlace.on_item(ref, "PULSE"), "The ECG printout says 88.")
    nurse = desk("nurse")
    page = _page(qtbot, nurse, ref)
    page.rows["TEMP"].field.set_entry("37.5")  # typed in another field, not saved
    dialog = _open(page)
    _correct(dialog, "88")
    assert dialog.answer(), dialogs.errors
    assert stored(nurse, ref)["PULSE"] == 88
    assert page.rows["PULSE"].field.entry() == "88"  # the stored correction, at once
    assert page.rows["TEMP"].field.entry() == "37.5"  # the typing is kept...
    assert page.unsaved_entries() == {"TEMP": "37.5"}  # ...and is all that is unsaved: 88 is the stored state
    assert "(not saved)" in page.header.title.text()

    assert page.save(False) is not None, dialogs.errors
    values = stored(nurse, ref)
    assert values["PULSE"] == 88 and values["TEMP"] == Decimal("37.5")
    pulse = [e for e in audit_trail.item_history(nurse, ref, "PULSE") if e.action == "value"]
    assert [e.new_value for e in pulse][-1] == "88"  # the save did not write 80 back
    assert not page.has_unsaved()


def test_a_correction_of_a_field_typed_over_keeps_the_typing_and_says_so(qtbot, site, dialogs):
    desk, ref = site
    queries.raise_query(desk("monitor"), QueryPlace.on_item(ref, "PULSE"), "The ECG printout says 88.")
    nurse = desk("nurse")
    page = _page(qtbot, nurse, ref)
    page.rows["PULSE"].field.set_entry("85")
    dialog = _open(page)
    _correct(dialog, "88")
    assert dialog.answer(), dialogs.errors
    assert stored(nurse, ref)["PULSE"] == 88
    assert page.initial["PULSE"] == "88"  # what is stored now
    assert page.rows["PULSE"].field.entry() == "85"  # never lose what was typed
    assert page.unsaved_entries() == {"PULSE": "85"}
    assert not page.banner.isHidden()
    assert "Heart rate: stored now 88, your unsaved entry 85" in page.banner.text()
    page.rows["PULSE"].field.set_entry("88")
    page.banner.follow()
    assert page.banner.isHidden()  # the cause is gone


def test_the_missing_reason_names_the_item_by_its_chinese_label(qtbot, site, dialogs):
    desk, ref = site
    qid = queries.raise_query(desk("monitor"), QueryPlace.on_item(ref, "PULSE"), "Check the pulse.")
    install_language("zh_CN")
    page = _page(qtbot, desk("nurse"), ref)
    dialog = page.query_panel.open_thread(qid)
    _correct(dialog, "88", reason="")
    assert not dialog.answer()
    assert "心率" in dialogs.last_error() and "PULSE" not in dialogs.last_error()
    assert stored(desk("nurse"), ref)["PULSE"] == 80


@pytest.mark.req("P11.10e")
def test_the_monitor_reads_the_corrected_value_and_reason_in_the_thread(qtbot, site, dialogs):
    desk, ref = site
    qid = queries.raise_query(desk("monitor"), QueryPlace.on_item(ref, "PULSE"), "The ECG printout says 88.")
    queries.answer_query(desk("nurse"), qid, "Typed 80 for 88.", ResponseCode.TYPING_ERROR, values={"PULSE": "88"},
                         reason="transcription error")
    monitor = desk("monitor")
    page = _page(qtbot, monitor, ref)
    text = page.query_panel.open_thread(qid).thread_view.toPlainText()
    assert "Value corrected: 80 → 88. Reason: transcription error" in text
    install_language("zh_CN")
    text = page.query_panel.open_thread(qid).thread_view.toPlainText()
    assert "80 → 88" in text and "transcription error" in text and "数值已更正" in text


@pytest.mark.req("P11.10e")
def test_an_answer_without_a_correction_claims_none_even_if_the_value_is_saved_just_after(qtbot, site, dialogs):
    desk, ref = site
    nurse = desk("nurse")
    save_confirming(nurse, ref, COMPLETE_VS, complete=True)  # a change of complete data has a reason, as a
    # correction has
    qid = queries.raise_query(desk("monitor"), QueryPlace.on_item(ref, "PULSE"), "Check the pulse.")
    queries.answer_query(desk("nurse"), qid, "The source says 80.", ResponseCode.CONFIRMED_CORRECT)
    desk.time.move(minutes=1)
    save_confirming(nurse, ref, {"PULSE": "84"}, reason="re-measured")  # the trail's next event, by the same user
    assert [e.action for e in audit_trail.item_history(nurse, ref, "PULSE")][-2:] == ["query_answered", "value"]
    page = _page(qtbot, desk("monitor"), ref)
    text = page.query_panel.open_thread(qid).thread_view.toPlainText()
    assert "The source says 80." in text and "→" not in text


def test_the_site_chooses_the_response_code(qtbot, site, dialogs):
    desk, ref = site
    qid = queries.raise_query(desk("monitor"), QueryPlace.on_item(ref, "PULSE"), "Check the pulse.")
    nurse = desk("nurse")
    page = _page(qtbot, nurse, ref)
    dialog = page.query_panel.open_thread(qid)
    assert dialog.response.currentIndex() == -1 and dialog.response.placeholderText()  # nothing preselected
    assert not dialog.send_answer.isEnabled()
    dialog.answer_text.setPlainText("The source says 80.")
    assert not dialog.answer()  # even if called without the button
    assert "Choose the response" in dialogs.last_error()
    assert queries.query_thread(nurse, qid).query.state == QueryState.OPEN
    assert dialog.answer_text.toPlainText() == "The source says 80."  # nothing typed is lost
    dialog.response.setCurrentIndex(dialog.response.findData(ResponseCode.CONFIRMED_CORRECT.value))
    assert dialog.send_answer.isEnabled()
    dialog.send_answer.click()
    thread = queries.query_thread(nurse, qid)
    assert thread.query.state == QueryState.ANSWERED
    assert thread.messages[-1].response == ResponseCode.CONFIRMED_CORRECT
    assert not dialog.send_answer.isEnabled()  # answered: nothing more to send


def test_the_header_counts_queries_not_closed_in_words_that_say_so(qtbot, site, dialogs):
    desk, ref = site
    first = queries.raise_query(desk("monitor"), QueryPlace.on_item(ref, "PULSE"), "Check the pulse.")
    queries.answer_query(desk("nurse"), first, "The source says 80.", ResponseCode.CONFIRMED_CORRECT)
    page = _page(qtbot, desk("nurse"), ref)
    line = page.monitoring_line.text()
    assert "1 query not closed" in line and "open" not in line  # an answered query is not open
    queries.raise_query(desk("monitor"), QueryPlace.on_item(ref, "TEMP"), "Check the temperature.")
    install_language("zh_CN")
    page = _page(qtbot, desk("nurse"), ref)
    assert "2 条未关闭质疑" in page.monitoring_line.text()
    install_language("en")
    page = _page(qtbot, desk("nurse"), ref)
    assert "2 queries not closed" in page.monitoring_line.text()


def test_the_overdue_run_at_login_is_quiet_for_a_site_administrator(caplog) -> None:  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from ecrf.ui.queries.inbox import raise_overdue_quietly

    admin = SimpleNamespace(actor=SimpleNamespace(role="site_admin"))
    assert raise_overdue_quietly(admin) == 0  # type: ignore[arg-type]
    assert "not raised" not in caplog.text
