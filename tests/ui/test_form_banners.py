"""The form editor's banner follows the form's state: a refusal disappears once its cause is fixed (and
never shows over the next attempt's dialogs), "Saved" goes at the next edit, "Read only" while it is."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from ecrf.services.subject_data import FormRef
from ecrf.ui import dialogs as dialogs_module
from ui.form_helpers import TODAY, d3_subject, focus, open_page


def _vs_page(qtbot, session):  # type: ignore[no-untyped-def]
    label, arm = d3_subject(session)
    page = open_page(qtbot, session, FormRef(label, "D3", "VS", "PRE" if arm == "MSC" else ""))
    page.rows["VSDAT"].field.set_entry(TODAY.isoformat())
    return page


def _retype(qtbot, page, code: str, text: str) -> None:  # type: ignore[no-untyped-def]
    page.focus_item(code)
    focus().selectAll()
    qtbot.keyClicks(focus(), text)


@pytest.mark.req("WARD-ENTRY-1")
def test_a_refusal_banner_is_gone_when_the_confirm_dialog_of_the_fixed_form_opens(
        qtbot, session, dialogs, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = _vs_page(qtbot, session)
    _retype(qtbot, page, "TEMP", "60")
    assert page.save() is None
    assert page.banner.isVisible() and "1 answer" in page.banner.text()
    _retype(qtbot, page, "TEMP", "42.0")  # fixed, but outside the expected range: the save asks to confirm
    banner_during_question: list[bool] = []

    def ask_yes_no(parent, title, text):  # type: ignore[no-untyped-def]
        banner_during_question.append(page.banner.isVisible())
        return False

    monkeypatch.setattr(dialogs_module, "ask_yes_no", ask_yes_no)
    save = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(focus(), Qt.Key.Key_S, save)  # Ctrl+S with the cursor still in the fixed field
    assert banner_during_question == [False]
    assert not page.banner.isVisible()


@pytest.mark.req("WARD-ENTRY-1")
def test_a_refusal_banner_goes_as_the_user_leaves_the_fixed_field(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    page = _vs_page(qtbot, session)
    _retype(qtbot, page, "TEMP", "60")
    assert page.save() is None and page.banner.isVisible()
    _retype(qtbot, page, "TEMP", "50")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "50" in page.rows["TEMP"].findings.text())  # the field was left and checked
    assert page.banner.isVisible(), "still refused: the banner stays"
    _retype(qtbot, page, "TEMP", "37.2")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not page.banner.isVisible())


@pytest.mark.req("WARD-ENTRY-1")
def test_the_refusal_banner_counts_what_is_still_refused(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    page = _vs_page(qtbot, session)
    _retype(qtbot, page, "TEMP", "60")
    _retype(qtbot, page, "PULSE", "900")
    assert page.save() is None and "2 answer(s)" in page.banner.text()
    _retype(qtbot, page, "PULSE", "80")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "1 answer(s)" in page.banner.text())
    assert page.banner.isVisible()


@pytest.mark.req("WARD-ENTRY-1")
def test_saved_banner_goes_at_the_next_edit_and_is_never_beside_not_saved(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    page = _vs_page(qtbot, session)
    _retype(qtbot, page, "TEMP", "37.2")
    assert page.save() is not None
    assert page.banner.isVisible() and page.banner.text().startswith("Saved")
    assert "(not saved)" not in page.header.title.text()
    _retype(qtbot, page, "PULSE", "8")  # the first key press
    assert "(not saved)" in page.header.title.text()
    assert not page.banner.isVisible()


@pytest.mark.req("WARD-ENTRY-1")
def test_no_changes_banner_goes_at_the_next_edit(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    page = _vs_page(qtbot, session)
    assert page.save() is not None
    assert page.save() is None and "no changes" in page.banner.text()
    _retype(qtbot, page, "PULSE", "8")
    assert not page.banner.isVisible()


def test_an_error_in_the_header_goes_when_the_form_is_read_again(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    page = open_page(qtbot, session, FormRef(label, "D3", "AECHK"))
    page.header.show_error("AECHK", "The site database could not be read.")
    assert "#9b0000" in page.header.details.styleSheet()
    page.refresh()
    assert page.header.details.styleSheet() == "" and "Subject" in page.header.details.text()
