"""The form editor: a whole visit by keyboard, refusals and warnings, reasons and history, a new adverse
event, bad input, and the unsaved-entries guard."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from subject_helpers import stored

from ecrf.services import forms
from ecrf.services.editing import open_form
from ecrf.services.subject_data import FormRef
from ecrf.study.status import FormStatus
from ui.form_helpers import (
    TODAY,
    d3_answers,
    d3_subject,
    focus,
    key_in,
    open_page,
    save_keys,
)


def _d3_refs(session, label: str, arm: str) -> list[FormRef]:  # type: ignore[no-untyped-def]
    visit = session.study.visit("D3")
    return [FormRef(label, "D3", vf.form, tp) for vf in visit.forms_for(arm) for tp in vf.timepoints or ("",)]


@pytest.mark.req("VAL-SKIP")
def test_whole_d3_visit_by_keyboard_only(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label, arm = d3_subject(session)
    refs = _d3_refs(session, label, arm)
    assert {r.form for r in refs} >= {"VS", "MB", "LB", "AECHK", "CS"}
    for ref in refs:
        page = open_page(qtbot, session, ref)
        answers = d3_answers(ref.form)
        key_in(qtbot, page, answers)
        with qtbot.waitSignal(page.saved, timeout=5000):
            save_keys(qtbot, complete=True)
        assert not dialogs.errors, dialogs.errors
        assert open_form(session, ref).status == FormStatus.COMPLETE, ref
        assert not page.has_unsaved()
        page.close()
    mb = stored(session, FormRef(label, "D3", "MB"))
    assert mb["MBTEST"] == ("ORF1AB",) and mb["ORF1AB_RES"] == "NEG" and "N_RES" not in mb
    assert str(stored(session, FormRef(label, "D3", "LB"))["WBC"]) == "6.20"


def test_enter_moves_to_the_next_field_and_skips_hidden_items(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    page = open_page(qtbot, session, FormRef(label, "D3", "MB"))
    assert page.rows["MBDAT"].owns(focus())
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    assert page.rows["MBSPEC"].owns(focus())
    assert not page.rows["ORF1AB_RES"].isVisible()
    page.rows["MBTEST"].field.boxes[0].setChecked(True)
    assert page.rows["ORF1AB_RES"].isVisible()  # skip logic follows the tick at once


@pytest.mark.req("VAL-HARD")
def test_hard_finding_shows_red_and_refuses_the_save(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label, arm = d3_subject(session)
    ref = FormRef(label, "D3", "VS", "PRE" if arm == "MSC" else "")
    page = open_page(qtbot, session, ref)
    page.rows["VSDAT"].field.set_entry(TODAY.isoformat())
    page.focus_item("TEMP")
    qtbot.keyClicks(focus(), "60")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)  # leaving the field shows the finding
    qtbot.waitUntil(lambda: page.rows["TEMP"].findings.isVisible())
    assert "highest possible value 45" in page.rows["TEMP"].findings.text()
    assert "#c62828" in page.rows["TEMP"].field.styleSheet()
    assert page.save() is None
    assert page.rows["TEMP"].field.entry() == "60"  # kept as typed
    assert "Not saved" in page.banner.text()
    assert stored(session, ref) == {}


@pytest.mark.req("VAL-SOFT")
def test_soft_finding_is_amber_and_the_save_asks_to_confirm(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label, arm = d3_subject(session)
    ref = FormRef(label, "D3", "VS", "PRE" if arm == "MSC" else "")
    page = open_page(qtbot, session, ref)
    page.rows["VSDAT"].field.set_entry(TODAY.isoformat())
    page.rows["TEMP"].field.set_entry("42.0")
    page.field_left(page.rows["TEMP"].field.edit)
    assert "expected range" in page.rows["TEMP"].findings.text()
    assert "#e69500" in page.rows["TEMP"].field.styleSheet()
    dialogs.yes_no.append(False)  # first time: no, go back
    assert page.save() is None
    assert "42.0" in dialogs.questions[-1]
    assert stored(session, ref) == {}
    dialogs.yes_no.append(True)
    assert page.save() is not None
    assert str(stored(session, ref)["TEMP"]) == "42.0"
    assert "confirmed" in page.rows["TEMP"].findings.text()


@pytest.mark.req("DATA-REASON")
def test_changing_completed_data_asks_a_reason_shown_in_the_history(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    ref = FormRef(label, "D3", "AECHK")
    forms.save_form(session, ref, {"AEYN": "N"}, complete=True)
    page = open_page(qtbot, session, ref)
    qtbot.keyClicks(focus(), "Y")
    dialogs.reasons.append("transcription error corrected from the nursing notes")
    with qtbot.waitSignal(page.saved):
        save_keys(qtbot, complete=False)
    assert stored(session, ref)["AEYN"] == "Y"
    page.show_history("AEYN")
    model = page.history_dialog.table.model()
    last = model.rowCount() - 1
    cells = [model.index(last, c).data() for c in range(model.columnCount())]
    assert cells[3:] == ["N", "Y", "transcription error corrected from the nursing notes"]
    role = session.study.roles["nurse"].get("en")
    assert cells[1] == f"nurse ({role})" and role != "nurse", "the role's name, not its code"


def test_a_new_adverse_event_through_the_editor(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    page = open_page(qtbot, session, FormRef(label, "", "AE", "", 0))
    assert page.title() == "Adverse events · new entry"
    onset = (TODAY - timedelta(days=1)).isoformat()
    key_in(qtbot, page, {"AETERM": "Infusion-related fever", "AESTDAT": onset, "AEONGO": "N"})
    assert page.rows["AEENDAT"].owns(focus())  # shown now that the event has ended
    key_in(qtbot, page, {"AEENDAT": TODAY.isoformat(), "AETOXGR": "1", "AESER": "N", "AEREL": "Not app",
                         "AEACN": "Not app", "AECONTRT": "N", "AEOUT": "Recovered / r"})
    with qtbot.waitSignal(page.saved):
        save_keys(qtbot, complete=True)
    assert page.ref.repeat >= 1 and page.title().startswith("Adverse events #")
    entry = stored(session, page.ref)
    assert entry["AETERM"] == "Infusion-related fever" and entry["AETOXGR"] == 1
    page.rows["AETERM"].field.set_entry("Infusion-related fever, grade 1")
    dialogs.reasons.append("wording")
    assert page.save() is not None  # the second save changes the same entry
    assert stored(session, page.ref)["AETERM"].endswith("grade 1")


def test_tab_moves_from_item_to_item_through_choices(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    page = open_page(qtbot, session, FormRef(label, "D3", "CS"))
    page.focus_item("FEVER")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert page.rows["COUGH"].owns(focus())
    qtbot.keyClicks(focus(), "Y")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    assert page.rows["SPUTUM"].owns(focus())
    assert page.rows["COUGH"].field.entry() == "Y"


def test_item_labels_wrap_only_when_too_long_for_one_line(qtbot, study) -> None:  # type: ignore[no-untyped-def]
    """A wrapped label is laid out again for every width Qt tries: only labels too long for a line wrap,
    and none is cut (its one line fits the label column)."""
    from ecrf.ui.form_editor.layout import HELP_ONE_LINE, LABEL_WIDTH, ItemRow

    rows = [ItemRow(item, "en") for item in study.form("IE").items + study.form("VS").items]
    for row in rows:
        qtbot.addWidget(row)
        assert row.label.wordWrap() is not row.label.one_line
        if row.label.one_line:  # plain text (its * painted beside it), and not cut
            assert row.label.textFormat() is Qt.TextFormat.PlainText and row.label.text() == row.item.label.get("en")
            assert row.label.sizeHint().width() <= LABEL_WIDTH
    wrapped = {row.item.code for row in rows if row.label.wordWrap()}
    assert "TEMP" not in wrapped and "IEEX01" in wrapped  # "Temperature"; a three-line exclusion criterion
    helps = {row.item.code: row.help for row in rows if hasattr(row, "help")}
    assert not helps["TEMP"].wordWrap() and helps["TEMP"].sizeHint().width() <= HELP_ONE_LINE  # one short line
    long_helps = [h for h in helps.values() if h.fontMetrics().horizontalAdvance(h.text()) > HELP_ONE_LINE]
    assert long_helps and all(h.wordWrap() for h in long_helps)  # IEIN02's RT-PCR note, for one


def _validated_as_sent(state, initial, entries):  # type: ignore[no-untyped-def]
    """The rule live_check follows: validate what a save would send (hidden items cleared), with the
    confirmations that survive those changes."""
    from ecrf.study.validate import validate_form
    from ecrf.ui.form_editor.live import carried, changed

    hidden = validate_form(state.form, entries, subject=state.subject, where=state.where).hidden
    outgoing = {code: ("" if code in hidden else entry) for code, entry in entries.items()}
    return validate_form(state.form, outgoing, subject=state.subject, where=state.where,
                         confirmed=carried(state, changed(initial, outgoing)))


@pytest.mark.parametrize(("sex", "pregnancy"), [("M", ""), ("M", "POS"), ("F", "POS"), ("F", "")])
def test_live_check_is_the_check_of_what_a_save_sends(session, sex, pregnancy) -> None:  # type: ignore[no-untyped-def]
    """Checked once when nothing hidden holds text, twice when it does (the pregnancy status of a man):
    either way the findings, hidden items and values are those of the entries a save would send."""
    from ecrf.ui.form_editor.live import live_check, loaded_entries

    label, _arm = d3_subject(session)
    state = open_form(session, FormRef(label, "SCR", "DM"))
    initial = loaded_entries(state)
    entries = {**initial, "SEX": sex, "PREGST": pregnancy}
    check = live_check(state, initial, entries)
    assert check == _validated_as_sent(state, initial, entries)
    assert ("PREGST" in check.hidden) is (sex == "M")
    assert check.values.get("PREGST") == (pregnancy if sex == "F" and pregnancy else None)
