"""On screen: an adverse event that becomes serious shows the serious criteria with the 24-hour reporting
reminder, and a grade 4 event left not serious is flagged amber on the seriousness answer."""
from __future__ import annotations

import pytest

from ecrf.services.subject_data import FormRef
from ui.form_helpers import d3_subject, open_page


@pytest.mark.req("WARD-ENTRY-2")
def test_becoming_serious_shows_the_reminder_and_grade_4_not_serious_is_flagged(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    label, _arm = d3_subject(session)
    page = open_page(qtbot, session, FormRef(label, "", "AE", "", 0))
    page.rows["AETOXGR"].field.set_entry("4")
    page.rows["AESER"].field.set_entry("N")
    page.apply_menu_choice("AESER", ("unmark", ""))  # as when the user leaves the answer
    assert not page.rows["AESCRIT"].isVisible()
    assert "grade 4" in page.rows["AESER"].findings.text()
    assert "#e69500" in page.rows["AESER"].field.styleSheet()
    page.rows["AESER"].field.set_entry("Y")
    page.apply_menu_choice("AESER", ("unmark", ""))
    assert page.rows["AESCRIT"].isVisible()
    assert "within 24 hours" in page.rows["AESCRIT"].help.text()
    assert "grade 4" not in page.rows["AESER"].findings.text()
