"""A bundle refused because it was altered or forged raises an alarm (the merge's log, its progress, the report);
one that is only damaged, unfinished or signed by a key not registered yet does not. Real bundles of real demo
sites, tampered with here as someone would: members changed and the zip rebuilt (valid CRCs), a file added, the
manifest edited, the signature removed, bytes appended. A tampered and a damaged case and the report's alarm
section run on SQLite and PostgreSQL (the log's alarm flag and the report's queries of it); the other cases differ
only in the verifier, before the central database is written, and run on SQLite."""
from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import update

from ecrf.export.bundle import layout
from ecrf.export.verify.bundle import Verdict, verify_bundle
from ecrf.export.verify.trust import parse_trust
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.merge.engine import merge_bundles
from ecrf.merge.outcome.run import ACCEPTED, REFUSED, BundleOutcome
from ecrf.merge.report import write_report
from ecrf.merge.report.collect import report_data
from ecrf.merge.report.doc import Text
from ecrf.merge.report.sections_merge import alarm_section
from ecrf.merge.tamper import tamper_evidence
from tests.merge import conftest as merge_fixtures
from tests.merge.engine_helpers import bundle_log, trust_file
from tests.merge.site_bundles import MultiSite

multi_site = merge_fixtures.multi_site  # the five real demo sites' bundles, made once per run (tests/merge)
central_target = merge_fixtures.central_target  # a new SQLite file or PostgreSQL database (parametrised)
Change = Callable[[str, bytes], bytes | None]  # member name, bytes -> new bytes, or None to leave it out


def _rebuilt(source: Path, target: Path, change: Change, extra: dict[str, bytes] | None = None) -> Path:
    """The bundle zipped again as a tamperer would: every member through `change`, CRCs and sizes right."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            data = change(info.filename, original.read(info.filename))
            if data is not None:
                copy.writestr(info, data)
        for name, data in (extra or {}).items():
            copy.writestr(name, data)
    return target


def _subjects_changed(name: str, data: bytes) -> bytes | None:
    return data + b"CN01-999,,,screening\r\n" if name == "csv/subjects.csv" else data


def _manifest_edited(name: str, data: bytes) -> bytes | None:
    if name != layout.MANIFEST:
        return data
    manifest = json.loads(data)
    manifest["site"]["name"] = "Another hospital"
    return json.dumps(manifest).encode("utf-8")


def _unsigned(name: str, data: bytes) -> bytes | None:
    return None if name == layout.MANIFEST_SIG else data


def _tampered(kind: str, source: Path, folder: Path) -> Path:
    target = folder / source.name
    if kind == "content changed":
        return _rebuilt(source, target, _subjects_changed)
    if kind == "file added":
        return _rebuilt(source, target, lambda _name, data: data, {"csv/extra.csv": b"subject\r\nCN01-999\r\n"})
    if kind == "manifest edited":
        return _rebuilt(source, target, _manifest_edited)
    if kind == "unsigned":
        return _rebuilt(source, target, _unsigned)
    if kind == "bytes appended":
        target.write_bytes(source.read_bytes() + b"#!/bin/sh\n")
        return target
    raise AssertionError(kind)


def _damaged(kind: str, source: Path, folder: Path) -> Path:
    data = bytearray(source.read_bytes())
    if kind == "truncated":
        data = data[: len(data) * 3 // 5]
    elif kind == "byte flipped":
        data[len(data) // 2] ^= 0x01  # a copy error: the entry's CRC no longer holds
    elif kind == "empty":
        data = bytearray()
    target = folder / source.name
    target.write_bytes(bytes(data))
    return target


def _merged_alone(tmp_path: Path, multi_site: MultiSite, study, bundle: Path, trusted=None,  # type: ignore[no-untyped-def]
                  central: str | None = None) -> BundleOutcome:
    """CN01's export 1 merged into `central` (by default a new SQLite file), then `bundle`, which is refused."""
    central = central or str(_folder(tmp_path) / "central.db")
    trust = trust_file(tmp_path, trusted if trusted is not None else list(multi_site.sites))
    assert merge_bundles(central, [multi_site.site("CN01").bundles[0]], trust, study).ok
    [outcome] = merge_bundles(central, [bundle], trust, study).bundles
    assert outcome.outcome == REFUSED
    logged = bundle_log(central)[outcome.sha256]
    assert logged == (REFUSED, outcome.alarm, outcome.reason)  # the log says what the run said
    return outcome


@pytest.mark.req("MERGE-REFUSE")
@pytest.mark.parametrize(("kind", "said", "central_target"), [
    ("content changed", "csv/subjects.csv: ", "sqlite"),
    ("content changed", "csv/subjects.csv: ", "postgresql"),
    ("file added", "csv/extra.csv: in the bundle but not listed in the manifest (added after signing)", "sqlite"),
    ("manifest edited", "manifest was edited after signing", "sqlite"),
    ("unsigned", f"{layout.MANIFEST_SIG}: missing; the bundle is not signed", "sqlite"),
    ("bytes appended", "after the end of the zip directory", "sqlite"),
], indirect=["central_target"])
def test_a_tampered_bundle_is_refused_with_an_alarm(tmp_path, central_target, multi_site, study, kind,
                                                    said) -> None:  # type: ignore[no-untyped-def]
    bundle = _tampered(kind, multi_site.site("CN01").bundles[1], _folder(tmp_path / "in"))
    outcome = _merged_alone(tmp_path, multi_site, study, bundle, central=central_target)
    assert outcome.alarm, outcome
    assert said in outcome.reason


@pytest.mark.req("MERGE-REFUSE")
@pytest.mark.parametrize(("kind", "central_target"), [
    ("truncated", "sqlite"), ("truncated", "postgresql"), ("byte flipped", "sqlite"), ("empty", "sqlite"),
], indirect=["central_target"])
def test_a_damaged_bundle_is_refused_without_an_alarm(tmp_path, central_target, multi_site, study,
                                                      kind) -> None:  # type: ignore[no-untyped-def]
    bundle = _damaged(kind, multi_site.site("CN01").bundles[1], _folder(tmp_path / "in"))
    outcome = _merged_alone(tmp_path, multi_site, study, bundle, central=central_target)
    assert not outcome.alarm, outcome


@pytest.mark.req("MERGE-REFUSE")
def test_an_unregistered_signer_is_no_alarm_but_tampering_under_it_is(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    others = [s for s in multi_site.sites if s.code != "CN02"]
    intact = multi_site.site("CN02").bundles[1]
    outcome = _merged_alone(tmp_path / "intact", multi_site, study, intact, trusted=others)
    assert not outcome.alarm and "trust" in outcome.reason
    changed = _tampered("content changed", intact, _folder(tmp_path / "in"))
    outcome = _merged_alone(tmp_path / "changed", multi_site, study, changed, trusted=others)
    assert outcome.alarm and "changed after signing" in outcome.reason  # the evidence, not the registration


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _verdict_of_intact(bundle: Path, trust: str, problems: list[str], finished: bool = True) -> Verdict:
    """The verdict of a bundle every file of which is as signed, with the problems a deeper check would find
    (a trail or an electronic signature that fails can only be made with the site's own key)."""
    verdict = verify_bundle(bundle, trust)
    assert verdict.ok
    verdict.problems = problems
    verdict.finished = finished
    return verdict


@pytest.mark.req("MERGE-REFUSE")
def test_intact_files_whose_trail_or_signatures_fail_are_an_alarm_and_odm_or_a_verifier_stop_are_not(
        tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    bundle = shutil.copy(multi_site.site("CN03").bundles[0], tmp_path / "bundle.zip")
    trust = trust_file(tmp_path, list(multi_site.sites))
    trail = "audit trail: event 12: its hash does not follow from event 11 (the chain is broken)"
    assert tamper_evidence(bundle, _verdict_of_intact(bundle, trust, [trail])) == trail
    odm = "odm.xml: line 3: element 'Foo' is not expected"
    assert tamper_evidence(bundle, _verdict_of_intact(bundle, trust, [odm])) is None
    stopped = "bundle.zip: verification stopped by an unexpected error (KeyError: 'x')"
    assert tamper_evidence(bundle, _verdict_of_intact(bundle, trust, [stopped], finished=False)) is None
    assert tamper_evidence(bundle, _verdict_of_intact(bundle, trust, [odm, trail])) == trail


@pytest.mark.req("MERGE-REFUSE")
def test_an_unfinished_export_and_an_unreadable_trust_are_no_alarm(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    partial = tmp_path / "CN01.zip.partial"
    _rebuilt(multi_site.site("CN01").bundles[0], partial, _unsigned)
    trust = parse_trust(trust_file(tmp_path, list(multi_site.sites)))
    assert tamper_evidence(partial, verify_bundle(partial, trust)) is None
    unsigned = _rebuilt(multi_site.site("CN01").bundles[0], tmp_path / "unsigned.zip", _unsigned)
    verdict = verify_bundle(unsigned, str(tmp_path / "no-such-trust.pem"))
    assert not verdict.ok and tamper_evidence(unsigned, verdict) is None  # the trust, not the bundle, is wrong


def _report_alarms(central: str, study, out: Path) -> str:  # type: ignore[no-untyped-def]
    engine = open_central(central, create=False)
    try:
        html_path, _pdf = write_report(engine, study, out)
    finally:
        engine.dispose()
    page = lxml.html.fromstring(html_path.read_text(encoding="utf-8"))
    return str(page.xpath("//section[@id='alarms']")[0].text_content())


@pytest.mark.req("MERGE-REPORT")
def test_the_report_shows_a_tampered_bundle_as_an_alarm(tmp_path, central_target, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    site = multi_site.site("CN01")
    tampered = _tampered("content changed", site.bundles[1], _folder(tmp_path / "in"))
    central = central_target
    run = merge_bundles(central, [site.bundles[0], tampered], trust_file(tmp_path, [site]), study)
    assert [o.outcome for o in run.bundles] == [ACCEPTED, REFUSED] and run.alarms == 1
    shown = _report_alarms(central, study, tmp_path / "report")
    assert "No alarms" not in shown
    assert "ALARM: 1 bundle(s) refused" in shown and tampered.name in shown and "changed after signing" in shown


@pytest.mark.req("MERGE-REPORT")
def test_without_an_alarm_the_report_says_so_and_counts_the_other_refusals(tmp_path, central_target, multi_site,
                                                                         study) -> None:  # type: ignore[no-untyped-def]
    site = multi_site.site("CN01")
    truncated = _damaged("truncated", site.bundles[1], _folder(tmp_path / "in"))
    central = central_target
    run = merge_bundles(central, [site.bundles[0], truncated], trust_file(tmp_path, [site]), study)
    assert run.alarms == 0 and not run.ok
    shown = _report_alarms(central, study, tmp_path / "report")
    assert "No alarms: no bundle was refused as a fork, rollback or tampering." in shown
    assert "1 bundle(s) were refused for other reasons" in shown


@pytest.mark.req("MERGE-REPORT")
def test_an_installations_standing_alarm_is_shown_when_no_bundle_row_shows_it(tmp_path, central_target, multi_site,
                                                                             study) -> None:  # type: ignore[no-untyped-def]
    """The fork's file given again and refused for another reason (its signer removed from the registry) no
    longer carries the alarm in the bundles log; the installation still does, and so does the report."""
    site = multi_site.site("CN01")
    central = central_target
    assert merge_bundles(central, [site.bundles[0]], trust_file(tmp_path, [site]), study).ok
    engine = open_central(central, create=False)
    with engine.begin() as conn:
        conn.execute(update(schema.sources).values(alarm="fork: export 2 of CN01 holds event 9 with another hash"))
    with engine.connect() as conn:
        section = alarm_section(report_data(conn, study))
    engine.dispose()
    shown = " ".join(block.text for block in section.blocks if isinstance(block, Text))
    assert "No alarms" not in shown and "ALARM: installation CN01" in shown and "event 9" in shown
