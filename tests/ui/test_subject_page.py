"""The subject view: what each role may do, screening → eligibility with reasons → allocation, the schedule
and log tabs asking for forms, removing a log entry with a reason, and ending participation."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton
from subject_helpers import save_confirming, screen

from ecrf.services import overview
from ecrf.services.errors import NotFound
from ecrf.services.subject_data import FormRef
from ecrf.study import clock as app_clock
from ecrf.study.status import SubjectStatus
from ecrf.ui.reason_dialog import Reasons
from ecrf.ui.subject import actions
from ecrf.ui.subject.page import SubjectPage


def _page(qtbot, session, label: str) -> SubjectPage:  # type: ignore[no-untyped-def]
    page = SubjectPage(session)
    qtbot.addWidget(page)
    page.show_subject(label)
    return page


def _with_entries(session, log: str, count: int = 2) -> str:  # type: ignore[no-untyped-def]
    """An enrolled subject with `count` or more entries in a log and none removed (the demo's story decides who)."""
    for row in overview.subject_rows(session):
        enough = row.status is SubjectStatus.ENROLLED and row.log_counts.get(log, 0) >= count
        if enough and not any(e.deleted for e in overview.subject_detail(session, row.label).logs[log]):
            return row.label
    raise AssertionError(f"the demo has no enrolled subject with {count} {log} entries")


def _shown(page: SubjectPage, name: str) -> bool:
    button = page.findChild(QPushButton, name)
    return button is not None and not button.isHidden()


@pytest.mark.parametrize(("user", "allowed"), [
    ("monitor", set()), ("reader", set()),
    ("nurse", {"allocate", "screen_failure", "add_AE", "remove_AE"}),
    ("investigator", {"allocate", "manual_allocation", "screen_failure", "add_AE", "remove_AE"})])
def test_each_role_sees_only_what_it_may_do(qtbot, demo, user, allowed) -> None:  # type: ignore[no-untyped-def]
    session = demo.login(user)
    try:
        page = _page(qtbot, session, "DEMO-S020")  # in screening
        buttons = {"allocate", "manual_allocation", "screen_failure", "add_AE", "remove_AE", "end_participation"}
        assert {name for name in buttons if _shown(page, name)} == allowed
        assert _shown(page, "eligibility_form") and _shown(page, "open_AE") and _shown(page, "home")
        page.show_subject("DEMO-015")  # enrolled: the screening panel goes, ending participation may come
        assert page.screening.isHidden()
        assert _shown(page, "end_participation") == (user in ("nurse", "investigator"))
    finally:
        session.close()


@pytest.mark.req("ELIG-REASONS")
def test_screening_eligibility_reasons_then_allocation(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label = screen(session, ie={"IEEX02": "Y"})
    page = _page(qtbot, session, label)
    assert not page.screening.isHidden() and page.heading.text() == label
    assert page.screening.verdict.text().startswith("✗ Not eligible")
    assert "Exclusion 2" in page.screening.reasons.text() and "answered Yes" in page.screening.reasons.text()
    allocate = page.screening.buttons["allocate"]
    assert not allocate.isEnabled()
    save_confirming(session, FormRef(label, "SCR", "IE"), {"IEEX02": "N"}, complete=True,
                    reason="misread the history: no malignancy")
    page.refresh()
    assert page.screening.verdict.text().startswith("✓ Eligible") and allocate.isEnabled()
    dialogs.yes_no.append(False)
    allocate.click()
    assert overview.subject_detail(session, label).row.status is SubjectStatus.SCREENING  # said no
    allocate.click()
    row = overview.subject_detail(session, label).row
    assert row.status is SubjectStatus.ENROLLED and row.subject_id == page.heading.text()
    title, text = dialogs.infos[-1]
    assert title == "Allocated" and f"Arm: {row.arm}" in text and f"Allocation number: {row.rand_no}" in text
    assert page.screening.isHidden() and f"Day 0 {app_clock.today().isoformat()}" in page.facts.text()


def test_investigator_allocates_manually_with_a_reason(qtbot, demo, monkeypatch, dialogs) -> None:  # type: ignore[no-untyped-def]
    session = demo.login("investigator")
    try:
        label = screen(session)
        page = _page(qtbot, session, label)
        monkeypatch.setattr(actions, "ask_manual_allocation",
                            lambda parent, study, subject: actions.ManualAllocation("MSC", "ENV-07", "power cut"))
        page.screening.buttons["manual_allocation"].click()
        assert "Arm: MSC" in dialogs.infos[-1][1] and "ENV-07" in dialogs.infos[-1][1]
        assert "allocation no. ENV-07" in page.facts.text()
    finally:
        session.close()


def test_manual_allocation_dialog_needs_number_and_reason(qtbot, study) -> None:  # type: ignore[no-untyped-def]
    dialog = actions.ManualAllocationDialog(None, study, "DEMO-S020")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.rand_no.setText("ENV-07")
    assert not ok.isEnabled()
    dialog.reason.setPlainText("envelope opened during the outage")
    assert ok.isEnabled()
    dialog.arm.setCurrentIndex(dialog.arm.findData("CTRL"))
    assert dialog.value() == actions.ManualAllocation("CTRL", "ENV-07", "envelope opened during the outage")


def test_schedule_and_logs_ask_for_forms(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, session, "DEMO-015")
    schedule = page.schedule
    index = schedule.form_index("D28", "VS")
    assert index.isValid() and schedule.tree.isExpanded(index.parent())  # the overdue visit starts unfolded
    with qtbot.waitSignal(page.formRequested) as asked:
        schedule.tree.activated.emit(index)
    assert asked.args == [FormRef("DEMO-015", "D28", "VS", "")]
    label = _with_entries(session, "CM")
    page = _page(qtbot, session, label)
    cm = page.log_tabs["CM"]
    with qtbot.waitSignal(page.formRequested) as asked:
        cm.add_button.click()
    assert asked.args == [FormRef(label, "", "CM", "", 0)]
    cm.select_repeat(2)
    with qtbot.waitSignal(page.formRequested) as asked:
        cm.open_button.click()
    assert asked.args == [FormRef(label, "", "CM", "", 2)]


@pytest.mark.req("DATA-NO-ERASE")
def test_removing_a_log_entry_needs_a_reason_and_keeps_it(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    label = _with_entries(session, "CM")
    entries = len(overview.subject_detail(session, label).logs["CM"])
    page = _page(qtbot, session, label)
    cm = page.log_tabs["CM"]
    assert page.tabs.tabText(2) == f"Concomitant medications ({entries})"
    cm.select_repeat(1)
    dialogs.reasons.append(None)  # cancelled: nothing happens
    cm.remove_button.click()
    assert not any(e.deleted for e in overview.subject_detail(session, label).logs["CM"])
    dialogs.reasons.append("entered for the wrong subject")
    cm.remove_button.click()
    assert f"entry #1 of {label}" in dialogs.questions[-1]
    assert dialogs.reason_kinds[-1] is Reasons.REMOVE_ENTRY
    assert page.tabs.tabText(2) == f"Concomitant medications ({entries - 1})"
    removed = cm.model.item(0, cm.model.columnCount() - 1)
    assert removed.text() == "Removed: entered for the wrong subject"
    assert cm.model.item(0, 1).font().strikeOut() and cm.model.item(0, 1).text()  # shown, struck through
    cm.select_repeat(1)
    assert not cm.remove_button.isEnabled()
    entry = overview.subject_detail(session, label).logs["CM"][0]
    assert entry.deleted and entry.deleted_reason == "entered for the wrong subject"


def test_ending_participation(qtbot, session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, session, "DEMO-015")
    asked: list[tuple] = []  # type: ignore[type-arg]

    def answer(parent, subject, screening, today, earliest):  # type: ignore[no-untyped-def]
        asked.append((subject, screening, earliest))
        return actions.EndOfParticipation(SubjectStatus.WITHDRAWN, today, "moved to another city")

    monkeypatch.setattr(actions, "ask_end_participation", answer)
    page.end_button.click()
    assert asked == [("DEMO-015", False, page.row.day0)]
    assert page.facts.text().startswith("Withdrawn") and "moved to another city" in page.facts.text()
    assert page.end_button.isHidden()


def test_unknown_subject_raises_and_charts_tab_builds(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    page = SubjectPage(session)
    qtbot.addWidget(page)
    with pytest.raises(NotFound):
        page.show_subject("NOBODY")
    page.show_subject("DEMO-015")
    page.tabs.setCurrentWidget(page.charts_holder)
    assert page.charts is not None
