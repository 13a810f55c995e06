"""odm.xml with the records the monitoring issue will fill (queries, SDV, signatures), with a non-UTC workstation,
and with values older than the audit trail: still valid ODM, still read back to the same values."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from lxml import etree

from ecrf.export.bundle import layout
from ecrf.export.odm.history import date_time_stamp
from ecrf.export.odm.keys import ODM_NS
from ecrf.export.odm.read import read_clinical_values, read_form_states
from ecrf.export.odm.schema import schema_problems
from ecrf.export.odm.writer import OdmPart
from ecrf.export.records import ExportContext, QueryRecord, SdvRecord, SignatureRecord, SubjectRecord
from tests.export.helpers import DemoRecords, run_part

NS = {"o": ODM_NS}


def with_subject(records: DemoRecords, subject: SubjectRecord) -> DemoRecords:
    subjects = tuple(subject if s.label == subject.label else s for s in records.subjects)
    return dataclasses.replace(records, subjects=subjects)


def export(ctx: ExportContext, records: DemoRecords) -> Path:
    run_part(OdmPart(), ctx, records)
    return ctx.staging / layout.ODM


def monitored(subject: SubjectRecord) -> SubjectRecord:
    form = next(f for f in subject.forms if f.form == "VS" and f.visit == "SCR")
    where = {"subject": subject.label, "visit": form.visit, "form": form.form, "timepoint": form.timepoint,
             "repeat": form.repeat}
    query = QueryRecord(query_id="Q-1", item="PULSE", origin="monitor", status="closed", text="Please check the chart",
                        raised_at="2026-11-25T01:00:00.000000Z", raised_by="monitor", answer="Checked: correct",
                        answered_at="2026-11-25T02:00:00.000000Z", answered_by="nurse",
                        closed_at="2026-11-25T03:00:00.000000Z", closed_by="monitor", **where)
    sdv = SdvRecord(verified_at="2026-11-25T04:00:00.000000Z", verified_by="monitor", full_name="Sam Patel", **where)
    signature = SignatureRecord(username="investigator", full_name="Dr Lin Zhao", meaning="I confirm that the data "
                                "are accurate and complete", signed_at="2026-11-25T05:00:00.000000Z",
                                data_hash="ab" * 32, valid=True, **where)
    return dataclasses.replace(subject, queries=(query,), sdv=(sdv,), signatures=(signature,))


@pytest.mark.req("EXPORT-ODM")
def test_queries_sdv_and_signatures_are_valid_odm(export_context: ExportContext, demo_records: DemoRecords) -> None:
    subject = monitored(demo_records.subjects[0])
    path = export(export_context, with_subject(demo_records, subject))
    assert schema_problems(path) == []
    root = etree.parse(str(path)).getroot()
    [signature] = root.xpath("//o:FormData/o:Signature", namespaces=NS)
    assert signature.find("o:SignatureRef", NS).get("SignatureOID") == "SD.INVESTIGATOR"
    assert signature.find("o:UserRef", NS).get("UserOID") == "USR.investigator"
    assert signature.findtext("o:DateTimeStamp", namespaces=NS) == "2026-11-25T05:00:00.000000Z"
    query_steps = root.xpath("//o:FormData/o:Annotation[o:Flag/o:FlagType='QUERY_STATUS']", namespaces=NS)
    assert [a.xpath("o:Flag[o:FlagType='QUERY_STATUS']/o:FlagValue/text()", namespaces=NS)[0] for a in query_steps] \
        == ["open", "answered", "closed"]
    assert "Checked: correct" in query_steps[-1].findtext("o:Comment", namespaces=NS)
    assert root.xpath("//o:FormData/o:Annotation/o:Flag[o:FlagType='SDV']/o:FlagValue/text()", namespaces=NS) \
        == ["verified"]
    assert read_clinical_values(path) == read_clinical_values(export(_fresh(export_context), demo_records))


def _fresh(ctx: ExportContext) -> ExportContext:
    other = ctx.staging.parent / "plain"
    other.mkdir()
    return dataclasses.replace(ctx, staging=other)


@pytest.mark.req("EXPORT-ODM")
def test_values_saved_before_any_audit_event_still_read_back(export_context: ExportContext,
                                                             demo_records: DemoRecords) -> None:
    subject = demo_records.subjects[0]
    bare = dataclasses.replace(subject, audit=())
    path = export(export_context, with_subject(demo_records, bare))
    assert schema_problems(path) == []
    values = read_clinical_values(path)
    mine = {key: value for key, value in values.items() if key[0] == subject.label}
    assert mine == {(subject.label, f.visit, f.form, f.timepoint, f.repeat, v.item): (v.value, v.missing)
                    for f in subject.forms if not f.deleted for v in f.values}
    states = read_form_states(path)
    assert all(states[(subject.label, f.visit, f.form, f.timepoint, f.repeat)].status == f.status
               for f in subject.forms)


@pytest.mark.req("P11.10e")
def test_a_workstation_off_utc_keeps_its_offset_in_the_time_stamp(export_context: ExportContext,
                                                                  demo_records: DemoRecords) -> None:
    subject = demo_records.subjects[0]
    shifted = dataclasses.replace(subject, audit=tuple(dataclasses.replace(e, utc_offset_min=480)
                                                       for e in subject.audit))
    path = export(export_context, with_subject(demo_records, shifted))
    assert schema_problems(path) == []
    first = subject.audit[0]
    root = etree.parse(str(path)).getroot()
    [stamp] = root.xpath(f"//o:AuditRecord[o:SourceID='{first.seq}']/o:DateTimeStamp/text()", namespaces=NS)[:1]
    assert stamp.endswith("+08:00") and stamp == date_time_stamp(first.at_utc, 480)


def test_date_time_stamp_is_the_same_instant_in_local_time() -> None:
    assert date_time_stamp("2026-01-15T20:30:00.000000Z", 480) == "2026-01-16T04:30:00.000000+08:00"
    assert date_time_stamp("2026-01-15T20:30:00Z", -330) == "2026-01-15T15:00:00-05:30"
    assert date_time_stamp("2026-01-15T20:30:00.000000Z", 0) == "2026-01-15T20:30:00.000000Z"
