"""The CSV files of a bundle made from the 20-subject demo: complete, one row per record, deterministic."""
from __future__ import annotations

import csv
import itertools
from collections import Counter
from dataclasses import fields, replace
from pathlib import Path

import pytest

from ecrf.errors import Bug
from ecrf.export.bundle import layout
from ecrf.export.csv.part import CsvPart
from ecrf.export.csv.safe import restore
from ecrf.export.csv.wide import FIXED_COLUMNS
from ecrf.export.records import (
    ExportContext,
    LockRecord,
    QueryMessageRecord,
    QueryRecord,
    SdvRecord,
    SignatureRecord,
    SubjectRecord,
)
from ecrf.store.audit import event_hash
from tests.export.helpers import DemoRecords, run_part
from tests.export.monitoring_records import monitored


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [{key: restore(value) for key, value in row.items()} for row in csv.DictReader(f)]


def header_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


@pytest.fixture
def demo_csv(export_context: ExportContext, demo_records: DemoRecords) -> Path:
    run_part(CsvPart(), export_context, demo_records)
    return export_context.staging


def _text(value: object) -> str:
    return "" if value is None else str(value)


@pytest.mark.req("EXPORT-COMPLETE")
def test_every_value_is_in_items_long_once_with_its_subject_visit_and_form(
        demo_csv: Path, demo_records: DemoRecords) -> None:
    expected = Counter(
        (s.label, s.screening_no, f.visit, f.form, f.timepoint, str(f.repeat), f.status, str(f.deleted).lower(),
         v.item, _text(v.value), _text(v.missing), v.saved_at, v.saved_by)
        for s in demo_records.subjects for f in s.forms for v in f.values)
    rows = read_rows(demo_csv / layout.ITEMS_LONG)
    found = Counter((r["subject"], r["screening_no"], r["visit"], r["form"], r["timepoint"], r["repeat"],
                     r["form_status"], r["form_deleted"], r["item"], r["value"], r["missing"], r["saved_at"],
                     r["saved_by"]) for r in rows)
    assert len(rows) == sum(len(f.values) for s in demo_records.subjects for f in s.forms)
    assert found == expected
    assert {r["study"] for r in rows} == {demo_records.site.study_oid}
    assert {r["site"] for r in rows} == {demo_records.site.site_code}


def test_items_long_carries_the_items_meaning(demo_csv: Path) -> None:
    rows = read_rows(demo_csv / layout.ITEMS_LONG)
    temp = next(r for r in rows if r["form"] == "VS" and r["item"] == "TEMP" and r["value"])
    assert (temp["cdash"], temp["sdtm"], temp["testcd"], temp["unit"]) == ("VSORRES", "VSORRES", "TEMP", "°C")
    sex = next(r for r in rows if r["item"] == "SEX")
    assert sex["decode"] == {"F": "Female", "M": "Male"}[sex["value"]]
    lobes = next(r for r in rows if r["item"] == "LOBES" and ";" in r["value"])
    assert len(lobes["decode"].split(";")) == len(lobes["value"].split(";"))
    assert "Right upper lobe" in lobes["decode"] or "Left upper lobe" in lobes["decode"]
    not_applicable = next(r for r in rows if r["missing"] == "NA")
    assert (not_applicable["value"], not_applicable["decode"]) == ("", "Not applicable")
    assert {r["definition_version"] for r in rows} == {"1.0.0"}


@pytest.mark.req("EXPORT-COMPLETE")
def test_a_removed_log_entry_stays_flagged_with_its_reason(demo_csv: Path, demo_records: DemoRecords) -> None:
    removed = [(s.label, f) for s in demo_records.subjects for f in s.forms if f.deleted]
    assert removed, "the demo has a removed log entry"
    label, form = removed[0]
    long_rows = [r for r in read_rows(demo_csv / layout.ITEMS_LONG)
                 if r["subject"] == label and r["form"] == form.form and r["repeat"] == str(form.repeat)]
    assert len(long_rows) == len(form.values)
    assert {(r["form_deleted"], r["deleted_reason"]) for r in long_rows} == {("true", form.deleted_reason)}
    wide = [r for r in read_rows(demo_csv / layout.form_csv(form.form))
            if r["subject"] == label and r["repeat"] == str(form.repeat)]
    assert [(r["deleted"], r["deleted_reason"]) for r in wide] == [("true", form.deleted_reason)]


def test_each_form_has_a_wide_file_with_one_row_per_instance(demo_csv: Path, demo_records: DemoRecords, study) -> None:  # type: ignore[no-untyped-def]
    instances = Counter(f.form for s in demo_records.subjects for f in s.forms)
    for code in study.forms:
        rows = read_rows(demo_csv / layout.form_csv(code))
        assert len(rows) == instances[code], code
    wide_files = {p.name for p in (demo_csv / "csv" / "forms").iterdir()}
    assert wide_files == {Path(layout.form_csv(code)).name for code in study.forms}


def test_wide_columns_are_cdash_names_qualified_where_they_collide(demo_csv: Path) -> None:
    vs = header_of(demo_csv / layout.form_csv("VS"))
    assert vs[:len(FIXED_COLUMNS)] == list(FIXED_COLUMNS)
    assert {"VSDAT", "VSTIM", "TEMP_VSORRES", "TEMP_VSORRES_MISSING", "PULSE_VSORRES", "PRTRT"} <= set(vs)
    assert "VSORRES" not in vs
    ae = header_of(demo_csv / layout.form_csv("AE"))
    assert {"AESER_AESER", "AESCRIT_AESER", "AETERM"} <= set(ae)
    assert not any(name.endswith("_MISSING") for name in ae)  # no AE item allows a missing code
    cs = header_of(demo_csv / layout.form_csv("CS"))
    assert {"FEVER_CEOCCUR", "HOOCCUR"} <= set(cs)
    for path in (demo_csv / "csv" / "forms").iterdir():
        names = header_of(path)
        assert len(names) == len(set(names)), path.name


def test_wide_cells_match_the_long_file(demo_csv: Path) -> None:
    long_rows = [r for r in read_rows(demo_csv / layout.ITEMS_LONG) if r["form"] == "VS"]
    wide = {(r["subject"], r["visit"], r["timepoint"], r["repeat"]): r
            for r in read_rows(demo_csv / layout.form_csv("VS"))}
    for r in long_rows:
        row = wide[(r["subject"], r["visit"], r["timepoint"], r["repeat"])]
        column = {"TEMP": "TEMP_VSORRES", "VSDAT": "VSDAT", "O2SUP": "PRTRT"}.get(r["item"])
        if column:
            assert row[column] == r["value"]
            assert row.get(column + "_MISSING", "") == r["missing"]


def test_a_form_without_data_still_has_its_header(
        export_context: ExportContext, demo_records: DemoRecords) -> None:
    subjects = tuple(replace(s, forms=tuple(f for f in s.forms if f.form != "AE")) for s in demo_records.subjects)
    run_part(CsvPart(), export_context, replace(demo_records, subjects=subjects))
    path = export_context.staging / layout.form_csv("AE")
    assert path.read_bytes().count(b"\r\n") == 1
    assert header_of(path)[len(FIXED_COLUMNS)] == "AETERM"


def test_subjects_and_visits(demo_csv: Path, demo_records: DemoRecords) -> None:
    subjects = read_rows(demo_csv / layout.SUBJECTS)
    assert [r["subject"] for r in subjects] == [s.label for s in demo_records.subjects]
    first = demo_records.subjects[0]
    assert subjects[0] == {"subject": first.label, "screening_no": first.screening_no,
                           "subject_id": _text(first.subject_id), "status": first.status, "arm": _text(first.arm),
                           "rand_no": _text(first.rand_no), "day0": _text(first.day0),
                           "ended_on": _text(first.ended_on), "end_reason": _text(first.end_reason),
                           "created_at": first.created_at}
    visits = read_rows(demo_csv / layout.VISITS)
    assert len(visits) == sum(len(s.visits) for s in demo_records.subjects)
    assert visits[0] == {"subject": first.label, "visit": first.visits[0].visit,
                         "target_date": first.visits[0].target_date, "earliest": first.visits[0].earliest,
                         "latest": first.visits[0].latest, "cancelled": "false",
                         "actual_date": _text(first.visits[0].actual_date)}


@pytest.mark.req("EXPORT-COMPLETE")
def test_monitoring_files_have_their_headers_and_take_rows(
        export_context: ExportContext, demo_records: DemoRecords) -> None:
    plain = [_without_monitoring(subject) for subject in demo_records.subjects]
    first = monitored(plain[0])
    run_part(CsvPart(), export_context, replace(demo_records, subjects=(first, *plain[1:])))
    staging = export_context.staging
    for path, record_type in ((layout.SDV, SdvRecord), (layout.SIGNATURES, SignatureRecord),
                              (layout.LOCKS, LockRecord), (layout.QUERY_MESSAGES, QueryMessageRecord)):
        assert header_of(staging / path) == [f.name for f in fields(record_type)], path
    assert header_of(staging / layout.QUERIES) == [f.name for f in fields(QueryRecord) if f.name != "messages"]
    queries = read_rows(staging / layout.QUERIES)
    assert [(r["query_id"], r["scope"], r["state"], r["origin"]) for r in queries] == [
        ("Q-0001", "item", "closed", "manual"), ("Q-0002", "visit", "open", "auto")]
    messages = read_rows(staging / layout.QUERY_MESSAGES)
    assert [(r["query_id"], r["kind"], r["response_code"]) for r in messages] == [
        ("Q-0001", "raised", ""), ("Q-0001", "answered", "confirmed_correct"), ("Q-0001", "closed", ""),
        ("Q-0002", "raised", "")]
    assert messages[1]["text"] == "Checked: correct, 心率正常"
    sdv = read_rows(staging / layout.SDV)
    assert [(r["subject"], r["state"], r["changed_at"]) for r in sdv] == [
        (first.label, "verified", ""), (first.label, "changed_since_verified", "2026-11-25T06:00:00.000000Z")]
    signatures = read_rows(staging / layout.SIGNATURES)
    assert [(r["scope"], r["state"]) for r in signatures] == [("form", "valid"), ("form", "broken"),
                                                             ("subject", "valid")]
    assert signatures[0]["public_key"] == "cd" * 32 and signatures[0]["meaning_zh"].startswith("本人")
    [lock] = read_rows(staging / layout.LOCKS)
    assert (lock["scope"], lock["active"], lock["unlocked_at"]) == ("form", "true", "")


def _without_monitoring(subject: SubjectRecord) -> SubjectRecord:
    return replace(subject, queries=(), sdv=(), signatures=(), locks=())


def test_monitoring_files_are_header_only_without_monitoring(
        export_context: ExportContext, demo_records: DemoRecords) -> None:
    plain = tuple(_without_monitoring(subject) for subject in demo_records.subjects)
    run_part(CsvPart(), export_context, replace(demo_records, subjects=plain))
    for path in (layout.QUERIES, layout.QUERY_MESSAGES, layout.SDV, layout.SIGNATURES, layout.LOCKS):
        assert read_rows(export_context.staging / path) == [], path


@pytest.mark.req("EXPORT-COMPLETE")
def test_the_demo_monitoring_is_listed_whole(demo_csv: Path, demo_records: DemoRecords) -> None:
    subjects = demo_records.subjects
    assert len(read_rows(demo_csv / layout.QUERIES)) == sum(len(s.queries) for s in subjects) > 0
    assert len(read_rows(demo_csv / layout.QUERY_MESSAGES)) == sum(len(q.messages) for s in subjects
                                                                   for q in s.queries)
    assert len(read_rows(demo_csv / layout.SDV)) == sum(len(s.sdv) for s in subjects) > 0
    assert len(read_rows(demo_csv / layout.SIGNATURES)) == sum(len(s.signatures) for s in subjects) > 0
    assert len(read_rows(demo_csv / layout.LOCKS)) == sum(len(s.locks) for s in subjects) == 1


@pytest.mark.req("EXPORT-COMPLETE")
def test_audit_trail_has_every_event_with_its_hashes(demo_csv: Path, demo_records: DemoRecords) -> None:
    rows = read_rows(demo_csv / layout.AUDIT_TRAIL)
    assert [int(r["seq"]) for r in rows] == [e.seq for e in demo_records.audit]
    for row, event in zip(rows, demo_records.audit, strict=True):
        assert (row["hash"], row["prev_hash"], row["action"], row["at_utc"]) == (
            event.hash, event.prev_hash, event.action, event.at_utc)
        assert row["new_value"] == _text(event.new_value) and row["reason"] == _text(event.reason)
    assert all(row["prev_hash"] == before["hash"] for before, row in itertools.pairwise(rows))
    assert rows[-1]["hash"] == demo_records.site.audit_head_hash


@pytest.mark.req("EXPORT-COMPLETE")
def test_the_hash_chain_can_be_recomputed_from_the_csv_alone(demo_csv: Path) -> None:
    numbers = {"seq", "utc_offset_min", "repeat"}
    for row in read_rows(demo_csv / layout.AUDIT_TRAIL):
        fields = {name: (int(text) if name in numbers else text) if text != "" else None
                  for name, text in row.items()}
        assert event_hash(fields) == row["hash"], row["seq"]


def test_audit_events_out_of_order_are_refused(export_context: ExportContext, demo_records: DemoRecords) -> None:
    part = CsvPart()
    try:
        part.begin(export_context)
        part.add_audit_event(demo_records.audit[1])
        with pytest.raises(Bug, match="arrived after"):
            part.add_audit_event(demo_records.audit[0])
    finally:
        part.close()


def test_same_records_give_byte_identical_files_whatever_the_export_time(
        export_context: ExportContext, demo_records: DemoRecords, tmp_path: Path) -> None:
    run_part(CsvPart(), export_context, demo_records)
    again = replace(export_context, staging=tmp_path / "again", export_seq=42, created_at="2031-01-01T00:00:00.000000Z")
    again.staging.mkdir()
    run_part(CsvPart(), again, demo_records)
    first = {p.relative_to(export_context.staging): p.read_bytes() for p in export_context.staging.rglob("*.csv")}
    second = {p.relative_to(again.staging): p.read_bytes() for p in again.staging.rglob("*.csv")}
    assert len(first) == 3 + 9 + len(export_context.study.forms)  # dictionary, data files, wide files
    assert first == second


def test_row_counts_name_every_file(export_context: ExportContext, demo_records: DemoRecords) -> None:
    part = CsvPart()
    run_part(part, export_context, demo_records)
    counts = part.row_counts
    assert counts[layout.ITEMS_LONG] == sum(len(f.values) for s in demo_records.subjects for f in s.forms)
    assert counts[layout.AUDIT_TRAIL] == len(demo_records.audit)
    assert counts[layout.SUBJECTS] == len(demo_records.subjects)
