"""`services.export.export_bundle`: the bundle written, logged and chained, or nothing at all."""
from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from ecrf.export.bundle import writer as bundle
from ecrf.export.bundle.layout import MANIFEST
from ecrf.services import export, signing
from ecrf.services.errors import ExportCancelled, ExportFailed, InvalidInput, PermissionDenied
from ecrf.store.models import ExportLog, Site

pytestmark = pytest.mark.req("EXPORT-ATOMIC")


@pytest.fixture
def demo(small_demo):  # type: ignore[no-untyped-def]
    """A few subjects are enough for what an export does with them (the whole demo's bundle: demo_bundle)."""
    return small_demo


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The export folder (tmp_path itself also holds the demo site's copy)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _head(session) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with session.read() as db:
        site = db.get_one(Site, 1)
        return site.audit_head_seq, site.audit_head_hash


def _manifest(path: Path) -> dict:  # type: ignore[type-arg]
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(MANIFEST))


def test_an_export_is_logged_audited_and_chained_to_the_previous_one(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    out.mkdir()
    first = export.export_bundle(session, out)
    second = export.export_bundle(session, out)
    assert sorted(p.name for p in out.iterdir()) == sorted([first.path.name, second.path.name])
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.path.name.startswith("MSC-COVID19_DEMO_export0001_")
    assert _manifest(first.path)["export"]["previous_manifest_sha256"] is None
    assert _manifest(second.path)["export"]["previous_manifest_sha256"] == first.manifest_sha256
    assert _manifest(second.path)["audit"]["head_seq"] > _manifest(first.path)["audit"]["head_seq"]
    with session.read() as db:
        assert [row.file_name for row in db.query(ExportLog).order_by(ExportLog.seq)] == [first.path.name,
                                                                                         second.path.name]
    assert export.last_export(session).sequence == 2  # type: ignore[union-attr]


def test_the_bundle_is_signed_by_the_certificate_the_site_prints(session, out: Path) -> None:  # type: ignore[no-untyped-def]
    result = export.export_bundle(session, out)
    info = signing.site_certificate(session)
    assert result.certificate_sha256 == info.fingerprint == _manifest(result.path)["site"]["certificate_sha256"]
    assert not result.new_key  # the demo site was set up with its key
    assert "BEGIN CERTIFICATE" in info.pem and "DEMO" in info.subject


def test_cancelling_midway_leaves_no_file_and_an_unchanged_database(session, out: Path) -> None:  # type: ignore[no-untyped-def]
    before = _head(session)
    calls = []

    def cancel_after_five() -> bool:
        calls.append(1)
        return len(calls) > 5

    with pytest.raises(ExportCancelled, match="nothing|no bundle"):
        export.export_bundle(session, out, cancelled=cancel_after_five)
    assert list(out.iterdir()) == []
    assert _head(session) == before
    assert export.last_export(session) is None


@pytest.mark.parametrize(("code", "said"), [(errno.ENOSPC, "is full"), (errno.EROFS, "cannot be written")])
def test_a_full_or_read_only_disk_is_a_message_and_leaves_nothing(session, out: Path, monkeypatch, code: int,  # type: ignore[no-untyped-def]
                                                                  said: str) -> None:
    before = _head(session)

    def fails_midway(staging: Path, target: Path) -> None:
        target.write_bytes(b"PK partial")
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(bundle, "_zip", fails_midway)
    with pytest.raises(ExportFailed, match=said):
        export.export_bundle(session, out)
    assert list(out.iterdir()) == []
    assert _head(session) == before


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_read_only_folder_is_refused_before_anything_is_written(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: the folder stays writable")
        with pytest.raises(ExportFailed, match="cannot be written"):
            export.export_bundle(session, folder)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_missing_folder_and_an_existing_bundle_name_are_messages(session, out: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ExportFailed, match="does not exist"):
        export.export_bundle(session, out / "nowhere")
    monkeypatch.setattr(bundle, "bundle_name", lambda ctx: "taken.zip")
    (out / "taken.zip").write_bytes(b"someone else's file")
    before = _head(session)
    with pytest.raises(ExportFailed, match="already exists"):
        export.export_bundle(session, out)
    assert sorted(p.name for p in out.iterdir()) == ["taken.zip"]
    assert (out / "taken.zip").read_bytes() == b"someone else's file"
    assert _head(session) == before and export.last_export(session) is None


def test_a_site_without_subjects_has_nothing_to_export(sites, out: Path) -> None:  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    session = sites.login(db_path, "nurse")
    try:
        with pytest.raises(InvalidInput, match="no subject"):
            export.export_bundle(session, out)
        assert list(out.iterdir()) == []
    finally:
        session.close()


@pytest.mark.req("P11.10g")
@pytest.mark.parametrize("who", ["monitor", "admin"])
def test_only_site_staff_may_export(demo, tmp_path: Path, who: str) -> None:  # type: ignore[no-untyped-def]
    session = demo.login(who)
    try:
        with pytest.raises(PermissionDenied):
            export.export_bundle(session, tmp_path)
    finally:
        session.close()


@pytest.mark.req("EXPORT-COMPLETE")
def test_the_same_database_state_gives_identical_csv_and_odm(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Read the same state twice and write it as two different exports (sequence, time, folder): the CSV
    files and the ODM are byte-identical; only the manifest, its signature and the PDFs differ."""
    from ecrf import __version__
    from ecrf.export.bundle.identity import new_identity
    from ecrf.export.records import ExportContext
    from ecrf.services import export_records

    zips = []
    with session.read() as db:
        facts = export_records.site_facts(db)
        identity = new_identity(facts.study_oid, facts.site_code, facts.site_name, session.clock.now())
        for seq, created in ((1, "2026-11-25T09:00:00.000000Z"), (7, "2027-01-02T10:30:00.000000Z")):
            out = tmp_path / f"out{seq}"
            out.mkdir()
            ctx = ExportContext(study=session.study, site=facts, users=export_records.users(db), identity=identity,
                                staging=out, export_seq=seq, created_at=created, app_version=__version__,
                                subject_count=export_records.subject_count(db))
            pending = bundle.write_bundle(ctx, export_records.iter_subjects(db, session.study),
                                          export_records.iter_audit(db), out, previous_sha256=None)
            zips.append(pending.partial)
    with zipfile.ZipFile(zips[0]) as a, zipfile.ZipFile(zips[1]) as b:
        data_files = [n for n in a.namelist() if n.endswith((".csv", ".xml"))]
        assert "odm.xml" in data_files and "csv/items_long.csv" in data_files
        assert sorted(data_files) == sorted(n for n in b.namelist() if n.endswith((".csv", ".xml")))
        assert [n for n in data_files if a.read(n) != b.read(n)] == []
        assert a.read(MANIFEST) != b.read(MANIFEST)


@pytest.mark.req("EXPORT-SIGNED")
def test_a_site_set_up_before_bundles_gets_its_key_at_the_first_export(tmp_path: Path, study) -> None:  # type: ignore[no-untyped-def]
    from ecrf.services.auth import login
    from tests.test_store_migration import FIXTURE, PASSWORDS

    for name in ("site.db", "site.keys"):
        shutil.copyfile(FIXTURE / name, tmp_path / name)
    out = tmp_path / "out"
    out.mkdir()
    session = login(tmp_path / "site.db", study, "nurse", PASSWORDS["nurse"])
    try:
        first = export.export_bundle(session, out)
        second = export.export_bundle(session, out)
        assert first.new_key and not second.new_key
        assert first.certificate_sha256 == second.certificate_sha256 == signing.site_certificate(session).fingerprint
    finally:
        session.close()


def _saving_after_checks(monkeypatch, session, saves: int) -> list[int]:  # type: ignore[no-untyped-def]
    """The trail check as the export runs it, followed by a nurse's save (a new subject screened) the first
    `saves` times: the events of a save landing between the check and the export's snapshot. The heads checked."""
    from ecrf.services import integrity
    from ecrf.services.subjects import screen_subject

    real = integrity.require_exportable
    checked: list[int] = []

    def check_then_save(s, **kwargs):  # type: ignore[no-untyped-def]
        found = real(s, **kwargs)
        checked.append(found.report.head_seq)
        if len(checked) <= saves:
            screen_subject(session)
        return found

    monkeypatch.setattr(integrity, "require_exportable", check_then_save)
    return checked


@pytest.mark.req("TRAIL-SEALED")
def test_a_save_between_the_trail_check_and_the_snapshot_is_checked_before_it_is_exported(  # type: ignore[no-untyped-def]
        session, out: Path, monkeypatch) -> None:
    checked = _saving_after_checks(monkeypatch, session, saves=1)
    result = export.export_bundle(session, out)
    assert len(checked) == 2 and checked[1] > checked[0]  # the check ran again over the new events
    assert _manifest(result.path)["audit"]["head_seq"] == checked[1]  # the bundle holds exactly the checked trail


@pytest.mark.req("TRAIL-SEALED")
def test_a_trail_that_keeps_changing_is_not_exported(session, out: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    checked = _saving_after_checks(monkeypatch, session, saves=99)
    with pytest.raises(ExportFailed, match="kept changing") as refused:
        export.export_bundle(session, out)
    assert refused.value.code == "export-trail-moving"
    assert len(checked) == export.CHECK_ATTEMPTS
    assert list(out.iterdir()) == [] and export.last_export(session) is None


@pytest.mark.req("TRAIL-SEALED")
def test_the_bundle_carries_the_events_the_check_passed_not_a_row_rewritten_after_it(  # type: ignore[no-untyped-def]
        session, out: Path, monkeypatch) -> None:
    """An insider rewrites an old event in the database file between the export's trail check and its snapshot
    (the head stays the same, so the snapshot matches the check): the bundle holds the events as checked. The
    next check, at the next open or export, reports the rewritten row."""
    from ecrf.services import integrity

    real = integrity.require_exportable

    def check_then_rewrite(s, **kwargs):  # type: ignore[no-untyped-def]
        found = real(s, **kwargs)
        with session.database.engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
            conn.exec_driver_sql("UPDATE audit_events SET workstation = 'forged-pc' WHERE seq = 3")
        return found

    monkeypatch.setattr(integrity, "require_exportable", check_then_rewrite)
    result = export.export_bundle(session, out)
    with zipfile.ZipFile(result.path) as archive:
        trail_csv = archive.read("csv/audit_trail.csv").decode("utf-8")
        trail_jsonl = archive.read("audit/trail.jsonl").decode("utf-8")
    assert "forged-pc" not in trail_csv and "forged-pc" not in trail_jsonl
    assert len(list(csv.reader(io.StringIO(trail_csv)))) == result.audit_events + 1  # every event, under the header
    monkeypatch.undo()
    assert any("3" in problem for problem in integrity.check(session).report.problems)
