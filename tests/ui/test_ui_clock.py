"""One clock on screen: every time the UI shows is the local time with its UTC offset, formatted by
`ecrf.ui.clock` and nowhere else (issue 16, item 8: local time without a zone next to UTC made 27 minutes look
like 8 hours)."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from ecrf.export.records import AuditRecord
from ecrf.ui.clock import offset_label, shown_date, shown_time

pytestmark = pytest.mark.req("WARD-AUDIT-1")

UI = Path(__file__).resolve().parents[2] / "ecrf" / "ui"
PLUS_8 = timezone(timedelta(hours=8))
MINUS_230 = timezone(-timedelta(hours=2, minutes=30))
# Ways the UI used to format times by hand: a clock format, a stored UTC text cut and patched, "UTC" glued on.
HAND_MADE = (re.compile(r"strftime\([^)]*%H"), re.compile(r'\.replace\("T", " "\)'),
             re.compile(r"_(utc|at)\[:\d+\]"), re.compile(r"\{\d?\} UTC\b|\" UTC\"|\(UTC\)\""))
NOT_SHOWN = "# clock:"  # a line that says why it is no time on screen (a file name; the stored UTC text itself)
ALLOWED = {
    "admin/backup_tab.py": "the time stamp in the backup's suggested file name",
    "form_editor/fields.py": "an entered date-time value is data as typed (no zone), not a moment of the clock",
}


def test_stored_utc_is_shown_in_the_local_zone_with_its_offset() -> None:
    stored = "2026-12-03T13:05:12.123456Z"
    assert shown_time(stored, zone=PLUS_8) == "2026-12-03 21:05 (UTC+08:00)"
    assert shown_time(stored, zone=MINUS_230, seconds=True) == "2026-12-03 10:35:12 (UTC-02:30)"
    assert shown_time("2026-12-03T13:05:12+00:00", zone=UTC) == "2026-12-03 13:05 (UTC+00:00)"
    assert shown_time(datetime(2026, 12, 3, 23, 30, tzinfo=UTC), zone=PLUS_8) == "2026-12-04 07:30 (UTC+08:00)"
    assert shown_date("2026-12-03T20:00:00Z", zone=PLUS_8) == "2026-12-04"


def test_27_minutes_look_like_27_minutes() -> None:
    """The item history's complaint: two events 27 minutes apart, one shown local and one UTC."""
    first, second = "2026-12-03T13:05:00.000000Z", "2026-12-03T13:32:00.000000Z"
    shown = [shown_time(t, zone=PLUS_8) for t in (first, second)]
    assert shown == ["2026-12-03 21:05 (UTC+08:00)", "2026-12-03 21:32 (UTC+08:00)"]


def test_each_moment_carries_the_offset_in_force_then() -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database on this machine")
    assert shown_time("2026-01-15T12:00:00Z", zone=berlin) == "2026-01-15 13:00 (UTC+01:00)"
    assert shown_time("2026-07-15T12:00:00Z", zone=berlin) == "2026-07-15 14:00 (UTC+02:00)"


def test_nothing_and_unreadable_text_are_not_hidden() -> None:
    assert shown_time(None) == "" and shown_time("") == ""
    assert shown_time("yesterday") == "yesterday"
    assert offset_label(-150) == "UTC-02:30" and offset_label(330) == "UTC+05:30"


def test_the_ui_formats_times_only_through_the_clock_module() -> None:
    found = []
    for path in sorted(UI.rglob("*.py")):
        if path.name == "clock.py" or path.relative_to(UI).as_posix() in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if NOT_SHOWN not in line and any(p.search(line) for p in HAND_MADE):
                found.append(f"{path.relative_to(UI)}:{number}: {line.strip()}")
    assert found == [], "format shown times with ecrf.ui.clock.shown_time:\n" + "\n".join(found)


def _event(seq: int, at_utc: str, action: str, offset: int) -> AuditRecord:
    return AuditRecord(seq, at_utc, offset, "ward-pc", "nurse", "nurse", action, "DEMO-001", "D1", "VS", None, None,
                       "TEMP", "37.0", None, "37.5", None, "typo", None, "0" * 64, "1" * 64)


def test_the_item_history_shows_one_clock_whatever_offset_each_pc_had(qapp) -> None:
    """Two saves 27 minutes apart from PCs with different offsets read 27 minutes apart, both labelled."""
    from ecrf.ui.form_editor.history import history_model

    events = [_event(1, "2026-12-03T13:05:00.000000Z", "value", 480),
              _event(2, "2026-12-03T13:32:00.000000Z", "query_raised", 0)]
    model = history_model(events)
    times = [model.item(row, 0).text() for row in range(2)]
    assert times == [shown_time(e.at_utc) for e in events]
    first, second = (datetime.strptime(t[:16], "%Y-%m-%d %H:%M") for t in times)
    assert second - first == timedelta(minutes=27) and all(t.endswith(")") and "(UTC" in t for t in times)
    assert model.item(1, 2).text() == "Query raised", "no raw action code"


def test_the_item_history_calls_a_first_value_entered_and_a_later_one_changed(qapp) -> None:
    from dataclasses import replace

    from ecrf.ui.form_editor.history import history_model

    first = replace(_event(1, "2026-12-03T13:05:00.000000Z", "value", 0), old_value=None)
    later = _event(2, "2026-12-03T13:32:00.000000Z", "value", 0)
    model = history_model([first, later])
    assert [model.item(row, 2).text() for row in range(2)] == ["Entered", "Changed"]
