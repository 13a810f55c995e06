"""Shared steps of the form editor tests: a subject whose Day 3 visit is open, a page on screen, and
entering answers with the keyboard only."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from subject_helpers import enrol, subject_row

from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study import clock as app_clock
from ecrf.ui.form_editor.choices import ComboField, MultiField, RadioField
from ecrf.ui.form_editor.fields import LineField, LongTextField
from ecrf.ui.form_editor.page import FormEditorPage

TODAY = app_clock.today()


def d3_subject(session: SiteSession) -> tuple[str, str]:
    """A new subject allocated three days ago, so that today is its Day 3; (subject id, arm)."""
    label = enrol(session, day0=TODAY - timedelta(days=3), consent=TODAY - timedelta(days=4))
    return label, subject_row(session, label).arm or ""


def open_page(qtbot, session: SiteSession, ref: FormRef) -> FormEditorPage:  # type: ignore[no-untyped-def]
    page = FormEditorPage(session, ref)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    if page.state is not None and page.state.editable:  # the cursor starts in the first field
        qtbot.waitUntil(lambda: any(r.owns(QApplication.focusWidget()) for r in page.rows.values()))
    return page


def focus() -> object:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def key_in(qtbot, page: FormEditorPage, answers: dict[str, str | list[str]]) -> None:  # type: ignore[no-untyped-def]
    """Answer items in form order from the keyboard: typed text for a line, a letter or digit for a choice,
    the first letters of a label for a combo box, Space for ticks; Enter moves on after each answer."""
    for code, answer in answers.items():
        row = page.rows[code]
        widget = focus()
        assert row.owns(widget), f"expected the cursor in {code}, it is in {widget.objectName()}"
        field = row.field
        if isinstance(field, (LineField, LongTextField, ComboField, RadioField)):
            qtbot.keyClicks(widget, str(answer))
        elif isinstance(field, MultiField):
            for step in answer:
                qtbot.keyClick(focus(), Qt.Key.Key_Space if step == " " else Qt.Key.Key_Tab)
        if isinstance(field, LongTextField):
            qtbot.keyClick(focus(), Qt.Key.Key_Tab)
        else:
            qtbot.keyClick(focus(), Qt.Key.Key_Return)


def save_keys(qtbot, complete: bool = True) -> None:  # type: ignore[no-untyped-def]
    modifiers = Qt.KeyboardModifier.ControlModifier
    if complete:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(focus(), Qt.Key.Key_S, modifiers)


def d3_answers(form: str, day: date = TODAY) -> dict[str, str | list[str]]:
    """Plausible Day 3 answers, typed as a nurse would (no warnings, nothing refused)."""
    iso = day.isoformat()
    return {
        "EX": {"EXDAT": iso, "EXSTTIM": "08:30", "EXENTIM": "09:15", "EXDOSE": "3.00", "EXLOT": "MSC-2020-014",
               "EXVOL": "100", "EXCOMP": "Y", "EXREACT": "N"},
        "VS": {"VSDAT": iso, "VSTIM": "08:00", "TEMP": "37.2", "PULSE": "84", "RESP": "20", "SYSBP": "125",
               "DIABP": "78", "OXYSAT": "95", "O2SUP": "Room"},
        "MB": {"MBDAT": iso, "MBSPEC": "Naso", "MBTEST": [" "], "ORF1AB_RES": "N", "MBRES": "N",
               "MBLAB": "Hospital laboratory"},
        "LB": {"LBDAT": iso, "WBC": "6.20", "LYMPH": "1.10", "NEUT": "4.30", "HGB": "132", "PLT": "210",
               "CD3": "900", "CD4": "500", "CD8": "300", "CD19": "150", "NK": "200", "CRP": "12.5", "PCT": "0.08",
               "FERRITIN": "420.0", "DDIMER": "0.80", "LDH": "260", "ALT": "32", "AST": "30", "CREAT": "70.0",
               "IL6": "8.50", "IL10": "4.20", "TNFA": "6.10", "IFNG": "3.30", "IL2": "2.90", "IL4": "2.10"},
        "AECHK": {"AEYN": "N"},
        "CS": {"CSDAT": iso, "WHOSCALE": "3", "FEVER": "N", "COUGH": "Y", "SPUTUM": "N", "DYSPNEA": "N",
               "CHESTTIG": "N", "FATIGUE": "Y", "MYALGIA": "N", "HEADACHE": "N", "SORETHR": "N", "DIARRHEA": "N",
               "ANOSMIA": "N", "ICU": "N", "O2SUP": "Room"},
    }[form]


def fill_new_site(dialog) -> int:  # type: ignore[no-untyped-def]
    """Stands in for `CreateSiteDialog.exec`: fills the new site's form (site CN07, admin boss) and accepts it."""
    from ecrf.ui import login

    for name, value in (("site_code", "CN07"), ("site_name", "Test Hospital"), ("admin_username", "boss"),
                        ("admin_full_name", "Bo Ss"), ("password", "boss-password-1"), ("again", "boss-password-1")):
        getattr(dialog, name).setText(value)
    return login.CreateSiteDialog.DialogCode.Accepted.value
