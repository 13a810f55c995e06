"""The merge report's numbers, checked against counts made here straight from the bundles' CSV files."""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.merge.report import report_data
from ecrf.merge.report.model import NOT_GRADED
from tests.merge.report_central import FORK_REASON, TAMPER_REASON, central_copy, central_with_sites

pytestmark = pytest.mark.req("MERGE-REPORT")


def _csv(bundle: Path, member: str) -> list[dict[str, str]]:
    with SafeZip(bundle) as zipped:
        return list(csv.DictReader(io.StringIO(zipped.read(member).decode("utf-8-sig"))))


def _data(tmp_path, multi_site, study):  # type: ignore[no-untyped-def]
    engine = open_central(central_copy(tmp_path, multi_site, study))
    with engine.connect() as conn:
        data = report_data(conn, study, made_at="2026-12-31T00:00:00Z")
    engine.dispose()
    return data


def test_bundles_list_alarms_first_then_refusals_with_their_reasons(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    data = _data(tmp_path, multi_site, study)
    assert [b.reason for b in data.alarms] == [FORK_REASON]
    assert data.bundles[0].alarm and data.bundles[0].outcome == "refused"
    outcomes = Counter(b.outcome for b in data.bundles)
    assert outcomes == {"accepted": 5, "superseded": 10, "covered": 1, "refused": 3}
    assert TAMPER_REASON in {b.reason for b in data.bundles if b.outcome == "refused"}
    assert [c.subject for c in data.conflicts] == ["CN05-001", "CN05-002"]
    cn02 = next(s for s in data.sites if s.site_code == "CN02")
    assert cn02.alarm == FORK_REASON and cn02.export_sequence == 3


def test_sites_and_enrolment_match_the_subject_files(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    data = _data(tmp_path, multi_site, study)
    by_arm: Counter[str] = Counter()
    by_day: Counter[str] = Counter()
    for site in multi_site.sites:
        subjects = _csv(site.bundles[-1], "csv/subjects.csv")
        allocated = [s for s in subjects if s["arm"] and s["day0"]]
        line = next(s for s in data.sites if s.site_code == site.code)
        assert (line.screened, line.allocated) == (len(subjects), len(allocated))
        series = next(s for s in data.enrolment.by_site if s.label == site.code)
        assert series.total == len(allocated)
        by_arm.update(s["arm"] for s in allocated)
        by_day.update(s["day0"] for s in allocated)
    assert {s.label: s.total for s in data.enrolment.by_arm} == dict(by_arm)
    first = min(by_day)
    assert sum(s.at(first) for s in data.enrolment.by_arm) == by_day[first]


def test_completeness_counts_each_complete_form_instance_once(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    data = _data(tmp_path, multi_site, study)
    complete, subjects = set(), 0
    for site in multi_site.sites:
        subjects += len(_csv(site.bundles[-1], "csv/subjects.csv"))
        for row in _csv(site.bundles[-1], "csv/items_long.csv"):
            if row["visit"] and row["form_deleted"] == "false" and row["form_status"] == "complete":
                complete.add((row["subject"], row["visit"], row["form"], row["timepoint"]))
    assert sum(c.complete for c in data.completeness) == len(complete)
    consent = next(c for c in data.completeness if (c.visit, c.form) == ("SCR", "DM"))
    assert consent.expected == subjects  # the screening visit is expected of every subject
    assert all(c.complete <= c.expected for c in data.completeness)


def test_queries_sdv_and_signatures_match_their_files(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    data = _data(tmp_path, multi_site, study)
    for site in multi_site.sites:
        bundle = site.bundles[-1]
        states = Counter(q["state"] for q in _csv(bundle, "csv/queries.csv"))
        queries = next(q for q in data.queries if q.site_code == site.code)
        assert (queries.open, queries.answered) == (states["open"], states["answered"])
        assert sum(queries.buckets) == states["open"] + states["answered"]
        sdv_rows = _csv(bundle, "csv/sdv.csv")
        sdv = next(s for s in data.sdv if s.site_code == site.code)
        assert sdv.changed == sum(1 for r in sdv_rows if r["state"] == "changed_since_verified")
        assert 0 < sdv.verified <= sum(1 for r in sdv_rows if r["state"] == "verified") <= sdv.required
        signatures = _csv(bundle, "csv/signatures.csv")
        line = next(s for s in data.signatures if s.site_code == site.code)
        assert set(line.broken) == {r["subject"] for r in signatures if r["state"] == "broken"}
        ended = {s["subject"] for s in _csv(bundle, "csv/subjects.csv")
                 if s["status"] in ("completed", "withdrawn", "died", "screen_failure")}
        assert line.ended == len(ended) and set(line.awaiting) <= ended


def test_adverse_events_by_grade_and_arm_match_the_long_file(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    data = _data(tmp_path, multi_site, study)
    expected: Counter[tuple[str, str]] = Counter()
    for site in multi_site.sites:
        arms = {s["subject"]: s["arm"] or "Not allocated" for s in _csv(site.bundles[-1], "csv/subjects.csv")}
        for row in _csv(site.bundles[-1], "csv/items_long.csv"):
            if row["form"] == "AE" and row["item"] == "AETOXGR" and row["form_deleted"] == "false":
                expected[(row["value"] or NOT_GRADED, arms[row["subject"]])] += 1
    ae = data.adverse_events
    assert (ae.form, ae.grade_item) == ("AE", "AETOXGR") and ae.events == dict(expected) and expected


def test_a_study_without_a_graded_ae_log_says_so(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    without = replace(study, forms={c: f for c, f in study.forms.items() if c != "AE"},
                      logs=tuple(c for c in study.logs if c != "AE"))
    data = _data(tmp_path, multi_site, without)
    assert data.adverse_events.form == "" and data.adverse_events.events == {}


def test_deaths_by_day_28_come_from_the_status_and_the_death_date_items(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    path = central_copy(tmp_path, multi_site, study)
    engine = open_central(path)
    subjects, items = schema.DATA_TABLES["subjects"], schema.DATA_TABLES["items_long"]
    with engine.begin() as conn:
        rows = {r.subject: r for r in conn.execute(select(subjects).where(subjects.c.day0 != "")).all()}
        died_early, died_late = rows["CN03-002"], rows["CN04-001"]
        day = (date.fromisoformat(died_early.day0) + timedelta(days=10)).isoformat()
        conn.execute(update(subjects).where(subjects.c.subject == "CN03-002")
                     .values(status="died", ended_on=day))
        template = conn.execute(select(items).where(items.c.subject == "CN04-001", items.c.form == "MORT")).first()
        assert template is not None
        late = (date.fromisoformat(died_late.day0) + timedelta(days=29)).isoformat()
        conn.execute(insert(items).values({**template._asdict(), "row_no": 999_999, "item": "DTHDAT",
                                           "cdash": "DTHDAT", "value": late}))
    with engine.connect() as conn:
        data = report_data(conn, study)
    engine.dispose()
    deaths = {d.arm: d for d in data.deaths.lines}
    assert (deaths[died_early.arm].died, deaths[died_late.arm].died) == (1, 0)  # day 29 is after Day 28
    assert {d.arm: d.allocated for d in data.deaths.lines} == {"MSC": 5, "CTRL": 5}
    assert any("MORT.DTHDAT" in s for s in data.deaths.sources)


@pytest.mark.req("MERGE-PG")
def test_postgresql_gives_the_same_report_as_sqlite(tmp_path, pg_database, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    sqlite = _data(tmp_path, multi_site, study)
    engine = central_with_sites(pg_database, multi_site, study)
    with engine.connect() as conn:
        postgresql = report_data(conn, study, made_at="2026-12-31T00:00:00Z")
    engine.dispose()
    assert postgresql == sqlite
