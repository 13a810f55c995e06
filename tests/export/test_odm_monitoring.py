"""odm.xml with monitoring (queries with their threads, SDV, signatures, locks), with a non-UTC workstation,
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
from ecrf.export.records import ExportContext, SubjectRecord
from tests.export.helpers import DemoRecords, run_part
from tests.export.monitoring_records import MEANING_EN, MEANING_ZH, monitored

NS = {"o": ODM_NS}


def with_subject(records: DemoRecords, subject: SubjectRecord) -> DemoRecords:
    """The records with `subject` in place of its own, and no monitoring on any other (the demo has some)."""
    plain = {"queries": (), "sdv": (), "signatures": (), "locks": ()}
    subjects = tuple(subject if s.label == subject.label else dataclasses.replace(s, **plain)  # type: ignore[arg-type]
                     for s in records.subjects)
    return dataclasses.replace(records, subjects=subjects)


def export(ctx: ExportContext, records: DemoRecords) -> Path:
    run_part(OdmPart(), ctx, records)
    return ctx.staging / layout.ODM


@pytest.mark.req("EXPORT-ODM")
@pytest.mark.req("P11.70")
def test_queries_sdv_signatures_and_locks_are_valid_odm(export_context: ExportContext,
                                                       demo_records: DemoRecords) -> None:
    subject = monitored(demo_records.subjects[0])
    path = export(export_context, with_subject(demo_records, subject))
    assert schema_problems(path) == []
    root = etree.parse(str(path)).getroot()
    [definition] = root.xpath("//o:AdminData/o:SignatureDef", namespaces=NS)
    assert (definition.get("OID"), definition.get("Methodology")) == ("SD.INVESTIGATOR.1", "Electronic")
    assert definition.findtext("o:Meaning", namespaces=NS) == f"{MEANING_EN} ({MEANING_ZH})"
    assert "21 CFR Part 11" in definition.findtext("o:LegalReason", namespaces=NS)
    signatures = root.xpath("//o:FormData/o:Signature", namespaces=NS)
    assert len(signatures) == 2
    signature = signatures[0]
    assert signature.find("o:SignatureRef", NS).get("SignatureOID") == "SD.INVESTIGATOR.1"
    assert signature.find("o:UserRef", NS).get("UserOID") == "USR.investigator"
    assert signature.findtext("o:DateTimeStamp", namespaces=NS) == "2026-11-25T05:00:00.000000Z"
    assert flags(root, "//o:FormData", "SIGNATURE") == ["valid", "broken"]
    [casebook] = root.xpath("//o:SubjectData[@TransactionType='Update']/o:Signature", namespaces=NS)
    assert casebook.find("o:SignatureRef", NS).get("SignatureOID") == "SD.INVESTIGATOR.1"
    assert flags(root, "//o:FormData", "QUERY_STATUS") == ["open", "answered", "closed"]
    assert flags(root, "//o:FormData", "QUERY_STEP") == ["raised", "answered", "closed"]
    assert flags(root, "//o:FormData", "QUERY_RESPONSE") == ["confirmed_correct"]
    answered = root.xpath("//o:FormData/o:Annotation[o:Flag/o:FlagValue='confirmed_correct']", namespaces=NS)[0]
    assert "Checked: correct, 心率正常" in answered.findtext("o:Comment", namespaces=NS)
    assert answered.find("o:Comment", NS).get("SponsorOrSite") == "Site"
    assert flags(root, "//o:StudyEventData", "QUERY_STATUS") == ["open"]  # the visit's own query
    assert flags(root, "//o:StudyEventData", "QUERY_ORIGIN") == ["auto"]
    assert flags(root, "//o:FormData", "SDV") == ["verified", "changed_since_verified"]
    assert flags(root, "//o:FormData", "LOCK") == ["locked"]
    assert read_clinical_values(path) == read_clinical_values(export(_fresh(export_context), demo_records))


def test_every_flag_value_is_in_its_codelist(export_context: ExportContext, demo_records: DemoRecords) -> None:
    path = export(export_context, with_subject(demo_records, monitored(demo_records.subjects[0])))
    root = etree.parse(str(path)).getroot()
    lists = {c.get("OID"): set(c.xpath("o:CodeListItem/@CodedValue", namespaces=NS))
             for c in root.xpath("//o:CodeList", namespaces=NS)}
    for value in root.xpath("//o:FlagValue", namespaces=NS):
        assert value.text in lists[value.get("CodeListOID")], (value.get("CodeListOID"), value.text)
    for flag_type in root.xpath("//o:FlagType", namespaces=NS):
        assert flag_type.text in lists[flag_type.get("CodeListOID")]


def flags(root: etree._Element, where: str, flag_type: str) -> list[str]:
    return root.xpath(f"{where}/o:Annotation/o:Flag[o:FlagType='{flag_type}']/o:FlagValue/text()", namespaces=NS)


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
