"""The form editor's Print… button: the blank form or the saved values as a PDF, opened for printing; with
entries not saved yet the user is told that the print shows only the saved values."""
from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton

from ecrf.services.form_print import suggested_name
from ecrf.ui import form_print
from tests.print_helpers import saved_visit_form
from tests.ui.form_helpers import focus, open_page


@pytest.fixture
def nurse(small_demo):  # type: ignore[no-untyped-def]
    session = small_demo.login("nurse")
    yield session
    session.close()


@pytest.fixture
def printed(monkeypatch, tmp_path) -> list[Path]:  # type: ignore[no-untyped-def]
    """Where the PDFs go (the file dialog answers tmp_path/<suggested name>) and which were opened."""
    opened: list[Path] = []
    monkeypatch.setattr(form_print, "ask_file", lambda parent, suggested: str(tmp_path / Path(suggested).stem))
    monkeypatch.setattr(form_print, "open_file", lambda path: opened.append(path) or True)
    return opened


@pytest.mark.req("WARD-GUIDE-2")
def test_print_saves_the_form_blank_or_filled_and_opens_it(qtbot, nurse, printed, dialogs) -> None:  # type: ignore[no-untyped-def]
    ref, _ = saved_visit_form(nurse)
    page = open_page(qtbot, nurse, ref)
    button = page.findChild(QPushButton, "print_form")
    assert button is not None and button.isVisible() and button.menu() is not None
    button.menu().findChild(QAction, "print_filled").trigger()
    button.menu().findChild(QAction, "print_blank").trigger()
    assert [p.name for p in printed] == [suggested_name(ref, filled=True),
                                         suggested_name(ref, filled=False)]
    filled, blank = (PdfReader(str(p)).pages[0].extract_text() for p in printed)
    assert f"Subject {ref.subject}" in filled and "Form with saved values" in filled
    assert "Blank form" in blank and "Filled in by" in blank
    assert dialogs.errors == [] and dialogs.questions == []


def test_unsaved_entries_are_named_before_printing_the_saved_values(qtbot, nurse, printed, dialogs) -> None:  # type: ignore[no-untyped-def]
    ref, _ = saved_visit_form(nurse)
    page = open_page(qtbot, nurse, ref)
    qtbot.keyClicks(focus(), "9")
    assert page.has_unsaved()
    dialogs.yes_no.append(False)
    page.findChild(QPushButton, "print_form").menu().findChild(QAction, "print_filled").trigger()
    assert printed == [] and "not saved" in dialogs.questions[-1]
