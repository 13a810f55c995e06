"""The audit trail screen's service: filters done in SQL (subject, user, action, time span), paging that
reaches every event, and the CSV export of a filtered view (UTF-8 with BOM, itself audited)."""
from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest

from ecrf.services import audit_trail, audit_trail_export
from ecrf.services.audit_trail import EventView, TrailFilter
from ecrf.services.errors import ExportFailed
from ecrf.store.clock import parse_utc


@pytest.fixture
def admin(small_demo):  # type: ignore[no-untyped-def]
    s = small_demo.login("admin")
    yield s
    s.close()


def every(session, where: TrailFilter, size: int = 97) -> list[EventView]:  # type: ignore[no-untyped-def]
    """All events of a filter, read page by page as the screen does."""
    found: list[EventView] = []
    while batch := audit_trail.page(session, where, found[-1].seq if found else None, size):
        found += batch
    return found


@pytest.mark.req("WARD-AUDIT-2")
def test_pages_reach_every_event_once_newest_first(admin) -> None:  # type: ignore[no-untyped-def]
    everything = audit_trail.events(admin)
    paged = every(admin, TrailFilter())
    assert [e.seq for e in paged] == [e.seq for e in reversed(everything)]
    assert audit_trail.count(admin, TrailFilter()) == len(everything) > 500


@pytest.mark.req("WARD-AUDIT-2")
def test_subject_filter_covers_screening_number_and_subject_id(admin) -> None:  # type: ignore[no-untyped-def]
    allocated = next(e.subject for e in audit_trail.events(admin) if e.action == "allocated")
    shown = every(admin, TrailFilter(subject=allocated))
    labels = {e.subject for e in shown}
    assert allocated in labels and len(labels) == 2, "its events before allocation are under its screening number"
    assert audit_trail.count(admin, TrailFilter(subject=allocated)) == len(shown)


def test_part_of_a_label_finds_every_subject_containing_it(admin) -> None:  # type: ignore[no-untyped-def]
    subjects = {e.subject for e in audit_trail.events(admin) if e.subject}
    shown = {e.subject for e in every(admin, TrailFilter(subject="s00"))}
    assert shown and shown <= subjects
    assert {s for s in subjects if "S00" in s} <= shown
    assert every(admin, TrailFilter(subject="no such %_ subject")) == []


@pytest.mark.req("WARD-AUDIT-2")
def test_user_action_and_time_filters_combine(admin) -> None:  # type: ignore[no-untyped-def]
    everything = audit_trail.events(admin)
    mine = every(admin, TrailFilter(username="investigator", action="value"))
    assert mine and mine == [e for e in reversed(everything) if e.username == "investigator" and e.action == "value"]
    middle = everything[len(everything) // 2]
    since = parse_utc(middle.at_utc)
    later = every(admin, TrailFilter(since=since))
    assert later and all(e.at_utc >= middle.at_utc for e in later)
    earlier = every(admin, TrailFilter(until=since))
    assert len(later) + len(earlier) == len(everything)
    assert every(admin, TrailFilter(since=since, until=since - timedelta(seconds=1))) == []


def test_choices_list_the_users_and_actions_that_occur(admin) -> None:  # type: ignore[no-untyped-def]
    everything = audit_trail.events(admin)
    choices = audit_trail.choices(admin)
    assert set(choices.usernames) == {e.username for e in everything if e.username}
    assert set(choices.actions) == {e.action for e in everything}


def _row(e: EventView) -> list[str]:
    return [str(e.seq), e.username, e.action, e.reason or ""]


@pytest.mark.req("WARD-AUDIT-3")
def test_export_writes_the_filtered_view_with_a_bom_and_audits_it(admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    where = TrailFilter(username="investigator")
    expected = every(admin, where)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "审计.csv"
    written = audit_trail_export.export_csv(admin, where, target, ["No.", "用户", "Action", "Reason"], _row,
                                            "user investigator")
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and written == len(expected)
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "No.,用户,Action,Reason" and lines[1].startswith(f"{expected[0].seq},investigator,")
    assert len([line for line in lines[1:] if line]) >= len(expected)  # reasons may hold line breaks
    last = audit_trail.page(admin, TrailFilter(), size=1)[0]
    assert (last.action, last.username, last.item, last.reason) == (
        audit_trail_export.EXPORTED, "admin", target.name, "user investigator")
    assert last.new_value is not None and last.new_value.startswith(f"{written} events, sha256 ")
    assert last.new_value.endswith(hashlib.sha256(data).hexdigest())
    assert [p.name for p in target.parent.iterdir()] == [target.name], "no temporary file is left"


def test_a_formula_in_a_reason_reaches_excel_as_text() -> None:
    text = audit_trail_export.csv_text(["a"], [["=HYPERLINK(\"http://x\")"], ["-1"], ["ok"]])
    assert text.splitlines()[1:] == ["\"'=HYPERLINK(\"\"http://x\"\")\"", "'-1", "ok"]


def test_export_to_a_missing_folder_says_so_and_records_nothing(admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = audit_trail.count(admin, TrailFilter())
    with pytest.raises(ExportFailed) as raised:
        audit_trail_export.export_csv(admin, TrailFilter(), tmp_path / "gone" / "trail.csv", ["No."],
                                      lambda e: [str(e.seq)], "")
    assert raised.value.code == "audit-export-failed" and "gone" in str(raised.value)
    assert audit_trail.count(admin, TrailFilter()) == before
