"""The audit trail screen as a monitor or inspector uses it: actions and roles in words (English and Chinese),
filters by subject, user, action and dates, the whole trail reachable by scrolling, the filtered view exported to
CSV (and the export audited), and columns that fit a 1366 px screen."""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from ecrf.services import audit_trail
from ecrf.services.audit_trail import TrailFilter
from ecrf.ui.admin import audit_browser
from ecrf.ui.admin.audit_events import ACTION, ROLE, SEQ, TIME, USER, WHERE
from ecrf.ui.admin.audit_tab import AuditTab
from ecrf.ui.audit_names import ACTIONS, action_name
from ecrf.ui.clock import offset_label
from ecrf.ui.i18n import install_language

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def admin(small_demo):  # type: ignore[no-untyped-def]
    s = small_demo.login("admin")
    yield s
    s.close()


@pytest.fixture
def tab(qtbot, admin) -> AuditTab:  # type: ignore[no-untyped-def]
    t = AuditTab(admin)
    qtbot.addWidget(t)
    return t


def column(tab: AuditTab, number: int) -> list[str]:
    model = tab.browser.model
    return [model.index(r, number).data() for r in range(model.rowCount())]


def read_all(tab: AuditTab) -> None:
    while tab.browser.model.canFetchMore():
        tab.browser.model.fetchMore()


def test_every_action_a_service_writes_has_a_name() -> None:
    written = set()
    for path in (REPO / "ecrf").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'Change\(\s*"([a-z_]+)"', text))
        written |= set(re.findall(r'_set_site_state\([^)]*"([a-z_]+)"', text))
        written |= {f"query_{kind}" for kind in re.findall(r'step\(tx, \w+, \w+, "([a-z_]+)"', text)}
    from ecrf.services import audit_trail_export, integrity, sponsor_queries
    from ecrf.trail import esign, keys
    written |= {integrity.FOUND, integrity.ACKNOWLEDGED, sponsor_queries.SPONSOR_CERTIFICATE,
                sponsor_queries.QUERY_BUNDLE_IMPORTED, esign.SIGNED_EVENT, audit_trail_export.EXPORTED,
                "query_raised", "key_issued", "seals_started", *keys.RECORDED_ACTIONS}
    assert len(written) > 40 and written - set(ACTIONS) == set()


@pytest.mark.req("WARD-AUDIT-1")
def test_actions_and_roles_are_words_in_english_and_chinese(tab) -> None:
    assert column(tab, ACTION)[0] == "Logged in" and "Site administrator" in column(tab, ROLE)
    assert not {"login", "form_status", "site_admin"} & set(column(tab, ACTION) + column(tab, ROLE))
    assert tab.browser.model.index(0, ACTION).data(3) == "Logged in (login)"  # the code stays in the tooltip
    assert install_language("zh_CN")
    tab.refresh()
    assert column(tab, ACTION)[0] == action_name("login") == "登录"
    assert "中心管理员" in column(tab, ROLE) and "site_admin" not in column(tab, ROLE)
    assert tab.browser.model.headerData(ACTION, Qt.Orientation.Horizontal) == "操作"


@pytest.mark.req("WARD-AUDIT-1")
def test_times_show_the_local_clock_with_its_offset(tab) -> None:
    shown = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(UTC[+-]\d{2}:\d{2}\)")
    assert all(shown.fullmatch(t) for t in column(tab, TIME))
    tip = tab.browser.model.index(0, TIME).data(3)
    assert "(UTC)" in tip and re.search(r"UTC[+-]\d{2}:\d{2}", tip)


@pytest.mark.req("WARD-AUDIT-2")
def test_scrolling_reaches_every_event(qtbot, tab, admin) -> None:
    total = audit_trail.count(admin, TrailFilter())
    assert tab.browser.model.rowCount() == audit_trail.PAGE < total
    assert re.search(rf"\b{audit_trail.PAGE} of {total} events", tab.browser.caption.text())
    tab.resize(1200, 700)
    tab.show()
    qtbot.waitExposed(tab)
    for _ in range(total // audit_trail.PAGE + 1):  # the view asks for more when it reaches the end
        tab.browser.table.scrollToBottom()
        qtbot.wait(1)
    assert tab.browser.model.rowCount() == total
    assert [int(s) for s in column(tab, SEQ)] == list(range(total, 0, -1))
    assert tab.browser.caption.text().startswith(f"{total} events")


@pytest.mark.req("WARD-AUDIT-2")
def test_filters_by_subject_user_action_and_dates(qtbot, tab, admin) -> None:
    browser, bar = tab.browser, tab.browser.filters
    allocated = next(e.subject for e in audit_trail.events(admin) if e.action == "allocated")
    bar.subject.setText(allocated)
    qtbot.keyClick(bar.subject, "\r")
    read_all(tab)
    assert column(tab, WHERE) and all(w.startswith(("DEMO-", allocated)) for w in column(tab, WHERE))
    assert browser.model.rowCount() == audit_trail.count(admin, TrailFilter(subject=allocated))
    bar.user.setCurrentIndex(bar.user.findData("investigator"))
    bar.action.setCurrentIndex(bar.action.findData("value"))
    read_all(tab)
    assert set(column(tab, USER)) == {"investigator"} and set(column(tab, ACTION)) == {"Value changed"}
    assert browser.model.rowCount() == audit_trail.count(
        admin, TrailFilter(subject=allocated, username="investigator", action="value"))
    bar.use_to.setChecked(True)
    bar.date_to.setDate(QDate(2000, 1, 1))
    assert browser.model.rowCount() == 0 and "No event matches" in browser.caption.text()
    assert not browser.export_button.isEnabled()
    qtbot.mouseClick(bar.clear_button, Qt.MouseButton.LeftButton)
    assert browser.model.rowCount() == audit_trail.PAGE and bar.subject.text() == "" and not bar.date_to.isEnabled()


def test_a_date_span_is_whole_local_days(tab) -> None:
    bar = tab.browser.filters
    bar.use_from.setChecked(True)
    bar.use_to.setChecked(True)
    bar.date_from.setDate(QDate(2026, 3, 1))
    bar.date_to.setDate(QDate(2026, 3, 2))
    where = bar.value()
    assert where.since is not None and where.until is not None
    assert (where.since.date(), where.until.date()) == (date(2026, 3, 1), date(2026, 3, 3))
    assert where.since.hour == where.until.hour == 0 and where.since.tzinfo is not None
    assert bar.words() == "from 2026-03-01, to 2026-03-02"


@pytest.mark.req("WARD-AUDIT-3")
def test_export_saves_the_filtered_view_for_excel_and_is_audited(qtbot, tab, admin, dialogs, tmp_path,
                                                                  monkeypatch) -> None:
    install_language("zh_CN")
    tab.refresh()
    bar = tab.browser.filters
    bar.user.setCurrentIndex(bar.user.findData("nurse"))
    expected = audit_trail.count(admin, TrailFilter(username="nurse"))
    target = tmp_path / "trail.csv"
    monkeypatch.setattr(audit_browser, "ask_export_target", lambda parent, suggested: target)
    qtbot.mouseClick(tab.browser.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs.infos or dialogs.errors), timeout=10000)
    assert not dialogs.errors and str(expected) in dialogs.infos[-1][1]
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["序号", "时间", "用户", "角色", "操作"]
    assert rows[0][-5:] == ["存储时间（UTC）", "电脑的UTC偏移", "操作代码", "角色代码", "时钟说明"]
    assert len(rows) == expected + 1 and {r[2] for r in rows[1:]} == {"nurse"} and rows[1][3] == "研究护士"
    newest = audit_trail.page(admin, TrailFilter(username="nurse"), size=1)[0]
    assert rows[1][-5:-1] == [newest.at_utc, offset_label(newest.utc_offset_min), newest.action, "nurse"]
    event = audit_trail.page(admin, TrailFilter(), size=1)[0]
    assert (event.action, event.item, event.reason) == ("audit_trail_exported", "trail.csv", "user nurse")
    assert column(tab, ACTION)[0] != "audit_trail_exported" and bar.user.currentData() == "nurse"


@pytest.mark.req("WARD-AUDIT-2")
def test_columns_fit_a_1366_screen_and_the_last_one_stretches(qtbot, tab) -> None:
    tab.resize(1340, 640)  # the administration page inside the window at 1366×768
    tab.show()
    qtbot.waitExposed(tab)
    table = tab.browser.table
    header = table.horizontalHeader()
    last = header.count() - 1
    widths = [header.sectionSize(c) for c in range(header.count())]
    assert sum(widths[:last]) + 80 <= table.viewport().width(), widths
    assert sum(widths) <= table.viewport().width() and not table.horizontalScrollBar().isVisible()
