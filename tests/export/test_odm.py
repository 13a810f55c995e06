"""odm.xml from the demo: valid ODM 1.3.2, reads back to the site's values, carries the audit trail."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from lxml import etree

from ecrf.export.bundle import layout
from ecrf.export.odm.keys import ODM_NS, XML_LANG
from ecrf.export.odm.read import read_clinical_values, read_form_states
from ecrf.export.odm.schema import schema_problems
from ecrf.export.odm.writer import OdmPart
from ecrf.export.records import ExportContext
from tests.export.helpers import DemoRecords, run_part

NS = {"o": ODM_NS}


def write_odm(ctx: ExportContext, records: DemoRecords) -> Path:
    run_part(OdmPart(), ctx, records)
    return ctx.staging / layout.ODM


@pytest.fixture
def odm_file(export_context: ExportContext, demo_records: DemoRecords) -> Path:
    return write_odm(export_context, demo_records)


def current_values(records: DemoRecords) -> dict:
    return {(s.label, f.visit, f.form, f.timepoint, f.repeat, v.item): (v.value, v.missing)
            for s in records.subjects for f in s.forms if not f.deleted for v in f.values}


@pytest.mark.req("EXPORT-ODM")
def test_the_demo_odm_is_valid_against_the_official_schema(odm_file: Path) -> None:
    assert schema_problems(odm_file) == []
    root = etree.parse(str(odm_file)).getroot()
    assert (root.get("FileType"), root.get("ODMVersion")) == ("Transactional", "1.3.2")


@pytest.mark.req("EXPORT-ODM")
def test_reading_back_gives_every_current_value_and_missing_code(odm_file: Path, demo_records: DemoRecords) -> None:
    expected = current_values(demo_records)
    assert any(missing for _, missing in expected.values()), "the demo should have missing codes to compare"
    assert read_clinical_values(odm_file) == expected


@pytest.mark.req("EXPORT-COMPLETE")
def test_form_status_and_removed_log_entries_read_back(odm_file: Path, demo_records: DemoRecords) -> None:
    states = read_form_states(odm_file)
    expected = {(s.label, f.visit, f.form, f.timepoint, f.repeat): (f.status, f.deleted, f.deleted_reason)
                for s in demo_records.subjects for f in s.forms}
    assert {key: (st.status, st.removed, st.removal_reason) for key, st in states.items()} == expected
    assert any(deleted for _, deleted, _ in expected.values()), "the demo should have a removed log entry"


@pytest.mark.req("P11.10e")
def test_a_corrected_value_keeps_old_and_new_with_user_location_time_and_reason(
        odm_file: Path, demo_records: DemoRecords) -> None:
    correction = next(e for e in demo_records.audit if e.action == "value" and e.reason and e.old_value is not None)
    root = etree.parse(str(odm_file)).getroot()
    [record] = root.xpath(f"//o:ItemData/o:AuditRecord[o:SourceID='{correction.seq}']", namespaces=NS)
    assert record.find("o:UserRef", NS).get("UserOID") == f"USR.{correction.username}"
    assert record.find("o:LocationRef", NS).get("LocationOID") == f"LOC.{demo_records.site.site_code}"
    assert record.findtext("o:DateTimeStamp", namespaces=NS) == correction.at_utc  # the demo's offset is 0
    assert record.findtext("o:ReasonForChange", namespaces=NS) == correction.reason
    changed = record.getparent()
    assert (changed.get("TransactionType"), changed.get("Value")) == ("Update", correction.new_value)
    earlier = [n for n in changed.itersiblings(preceding=True) if n.get("ItemOID") == changed.get("ItemOID")]
    assert earlier[0].get("Value") == correction.old_value


@pytest.mark.req("P11.10e")
def test_every_item_level_audit_event_of_every_subject_has_an_audit_record(
        odm_file: Path, demo_records: DemoRecords) -> None:
    item_events = {e.seq for s in demo_records.subjects for e in s.audit
                   if e.action in ("value", "value_derived", "warning_confirmed")}
    root = etree.parse(str(odm_file)).getroot()
    written = {int(n) for n in root.xpath("//o:ItemData/o:AuditRecord/o:SourceID/text()", namespaces=NS)}
    assert written == item_events
    assert not root.xpath("//o:ItemData[not(o:AuditRecord)]", namespaces=NS)


def test_questions_units_and_codelists_come_in_english_and_chinese(odm_file: Path, study) -> None:  # type: ignore[no-untyped-def]
    root = etree.parse(str(odm_file)).getroot()
    temp = study.form("VS").item("TEMP")
    [question] = root.xpath("//o:ItemDef[@OID='IT.VS.TEMP']/o:Question", namespaces=NS)
    texts = {t.get(XML_LANG): t.text for t in question}
    assert texts == {"en": temp.label.get("en"), "zh": temp.label.get("zh")}
    assert set(root.xpath("//o:TranslatedText/@xml:lang", namespaces=NS)) == set(study.info.languages)
    [pulse] = root.xpath("//o:ItemDef[@OID='IT.VS.PULSE']", namespaces=NS)
    unit = pulse.find("o:MeasurementUnitRef", NS).get("MeasurementUnitOID")
    [symbol] = root.xpath(f"//o:MeasurementUnit[@OID='{unit}']/o:Symbol/o:TranslatedText[@xml:lang='zh']",
                          namespaces=NS)
    assert symbol.text == "次/分"
    checks = {(c.get("SoftHard"), c.get("Comparator"), c.findtext("o:CheckValue", namespaces=NS))
              for c in pulse.findall("o:RangeCheck", NS)}
    assert checks == {("Hard", "GE", "20"), ("Hard", "LE", "250"), ("Soft", "GE", "50"), ("Soft", "LE", "120")}
    assert pulse.get("SASFieldName") == "VSORRES"


def test_the_same_records_give_the_same_bytes_whenever_exported(
        odm_file: Path, export_context: ExportContext, demo_records: DemoRecords, tmp_path: Path) -> None:
    again = tmp_path / "again"
    again.mkdir()
    later = dataclasses.replace(export_context, staging=again, export_seq=42, created_at="2031-03-04T05:06:07.000000Z")
    assert write_odm(later, demo_records).read_bytes() == odm_file.read_bytes()


@pytest.mark.req("EXPORT-ODM")
def test_a_broken_file_is_reported_with_its_line(odm_file: Path, tmp_path: Path) -> None:
    lines = odm_file.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, start=1) if "<SiteRef " in line)
    lines[number - 1] = lines[number - 1].replace("<SiteRef ", "<SiteReference ")
    broken = tmp_path / "broken.xml"
    broken.write_text("".join(lines), encoding="utf-8")
    problems = schema_problems(broken)
    assert problems and problems[0].startswith(f"line {number}:"), problems
    assert "SiteReference" in problems[0]


@pytest.mark.req("EXPORT-ODM")
def test_values_and_reasons_with_markup_and_line_breaks_reach_the_odm_unchanged() -> None:
    """The item transactions are written as XML text and parsed (`ecrf.export.odm.history`): what the parser
    would change (line breaks and tabs in attributes, carriage returns, markup) must come out as given."""
    from ecrf.export.odm.history import item_group, item_transactions
    from ecrf.export.records import AuditRecord, ValueRecord

    value, reason = 'a < b & "c"\r\nd\te > f', "corrected:\r\n<source> & 'chart'\tp. 2"
    event = AuditRecord(seq=7, at_utc="2026-05-09T08:30:00.000000Z", utc_offset_min=480, workstation="pc",
                        username="o'neil&co", role="nurse", action="value", subject="S1", visit="V1", form="AE",
                        timepoint=None, repeat=1, item="AETERM", old_value=None, old_missing=None, new_value=value,
                        new_missing=None, reason=reason, clock_note=None, prev_hash="0" * 64, hash="1" * 64)
    parent = etree.Element("FormData")
    current = ValueRecord("AETERM", value, None, "2026-05-09T08:30:00.000000Z", "x")
    item_group(parent, "IG.AE", [item_transactions("AE", "AETERM", None, [event], current, "LOC.<01>")])
    data = parent.find("ItemGroupData/ItemData")
    assert data is not None and data.get("Value") == value and data.get("TransactionType") == "Insert"
    assert data.findtext("AuditRecord/ReasonForChange") == reason
    assert data.find("AuditRecord/UserRef").get("UserOID") == "USR.o'neil&co"  # type: ignore[union-attr]
    assert data.find("AuditRecord/LocationRef").get("LocationOID") == "LOC.<01>"  # type: ignore[union-attr]
    assert data.findtext("AuditRecord/SourceID") == "7"
    assert data.findtext("AuditRecord/DateTimeStamp") == "2026-05-09T16:30:00.000000+08:00"
