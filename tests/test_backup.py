"""Backup and restore (21 CFR 11.10(c)): a verified encrypted copy, restored only after its checks pass."""
from __future__ import annotations

import json
import os
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD
from sqlalchemy import select

from ecrf.services import backup, forms, subjects
from ecrf.services.errors import (
    InvalidInput,
    LoginFailed,
    PermissionDenied,
    ServiceError,
)
from ecrf.services.subject_data import FormRef
from ecrf.store.clock import Clock
from ecrf.store.database import open_database
from ecrf.store.errors import AlreadyOpen, DatabaseDamaged, StoreError
from ecrf.store.models import AuditEvent, FormInstance, ItemValue, Site, Subject
from ecrf.store.slot_file import KeySlotError

pytestmark = pytest.mark.req("P11.10c")
FIRST_IMPRESSION = "ground glass opacities, right lower lobe"
LATER_IMPRESSION = "consolidation, both lower lobes (entered after the backup)"


# -- helpers ---------------------------------------------------------------------------------------

def assert_message(exc: BaseException, path: Path | None = None) -> str:
    assert isinstance(exc, (StoreError, ServiceError, KeySlotError)), f"not a message: {exc!r}"
    text = exc.message
    assert text and text == text.strip() and text.endswith("."), text
    assert text[0].isupper() or text.startswith(os.sep), text
    assert "Traceback" not in text and 'File "' not in text, text
    if path is not None:
        assert str(path) in text, text
    return text


def contents(db_path: Path, password: str = ADMIN_PASSWORD) -> dict[str, list[tuple]]:
    """Everything that matters, read without logging in (a login would append an event)."""
    database = open_database(db_path, "user:admin", password)
    try:
        assert database.check_trail().ok
        with database.read() as db:
            return {
                "site": [(s.db_id, s.site_code, s.audit_head_seq, s.audit_head_hash) for s in db.scalars(select(Site))],
                "subjects": [(s.id, s.screening_no, s.status) for s in
                             db.scalars(select(Subject).order_by(Subject.id))],
                "forms": [(f.id, f.form_code, f.status) for f in
                          db.scalars(select(FormInstance).order_by(FormInstance.id))],
                "values": [(v.id, v.item_code, v.value, v.missing) for v in
                           db.scalars(select(ItemValue).order_by(ItemValue.id))],
                "events": [(e.seq, e.action, e.username, e.new_value, e.hash) for e in
                           db.scalars(select(AuditEvent).order_by(AuditEvent.seq))],
            }
    finally:
        database.close()


def site_with_data(sites) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    session = sites.login(db_path, "nurse")
    try:
        label = subjects.screen_subject(session)
        forms.save_form(session, FormRef(label, "SCR", "CT"), {"IMPRESS": FIRST_IMPRESSION})
    finally:
        session.close()
    return db_path, label


def make_backup(sites, db_path: Path, out: Path) -> Path:  # type: ignore[no-untyped-def]
    session = sites.login(db_path, "admin")
    try:
        info = backup.backup(session, out)
    finally:
        session.close()
    assert info.path == out and info.size == out.stat().st_size
    return out


def rewrite_zip(source: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """A copy of a backup with its members passed through `change(name, data) -> [(name, data), ...]`."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            for name, data in change(info.filename, original.read(info.filename)):
                copy.writestr(name, data)
    return target


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if ".partial" in p.name or p.name.startswith(".restore-"))


# -- round trip --------------------------------------------------------------------------------------

def test_backup_and_restore_round_trip(sites, tmp_path):
    db_path, label = site_with_data(sites)
    archive = make_backup(sites, db_path, tmp_path / "backups" / "site-2020-02-01.zip")
    at_backup = contents(db_path)
    assert at_backup["events"][-1][1:4] == ("backup", "admin", archive.name)
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(zipped.namelist()) == ["backup.json", "site.db", "site.keys"]
        manifest = json.loads(zipped.read("backup.json"))
    assert manifest["audit_head_seq"] == at_backup["site"][0][2]
    assert manifest["audit_head_hash"] == at_backup["site"][0][3]
    # work goes on after the backup, then the backup is restored
    session = sites.login(db_path, "nurse")
    try:
        forms.save_form(session, FormRef(label, "SCR", "CT"), {"IMPRESS": LATER_IMPRESSION})
    finally:
        session.close()
    replaced = db_path.read_bytes()
    info = backup.restore(archive, db_path, "admin", ADMIN_PASSWORD)
    restored = contents(db_path)
    for part in ("subjects", "forms", "values"):
        assert restored[part] == at_backup[part]
    assert restored["events"][:-1] == at_backup["events"]
    assert restored["events"][-1][1:4] == ("restored", "admin", archive.name)
    assert info.audit_head_seq == manifest["audit_head_seq"]
    # the replaced database (with the later change) is kept beside, with its key slots
    assert info.set_aside is not None and info.set_aside.name.startswith("site.before-restore-")
    assert info.set_aside.read_bytes() == replaced and info.set_aside.with_suffix(".keys").exists()
    assert contents(info.set_aside)["values"][-1][2] == LATER_IMPRESSION
    assert leftovers(tmp_path) == []
    for name in ("admin", "nurse"):
        sites.login(db_path, name).close()


def test_restore_to_a_new_place(sites, tmp_path):
    db_path, _ = site_with_data(sites)
    archive = make_backup(sites, db_path, tmp_path / "b.zip")
    target = tmp_path / "new-pc" / "site.db"
    info = backup.restore(archive, target, "admin", ADMIN_PASSWORD)
    assert info.set_aside is None
    assert contents(target)["values"] == contents(db_path)["values"]


def test_restore_with_the_recovery_code(sites, tmp_path):
    db_path, code = sites.make(users=False, allocation=False)
    archive = make_backup(sites, db_path, tmp_path / "b.zip")
    info = backup.restore(archive, tmp_path / "elsewhere" / "site.db", "recovery", code.lower())
    assert contents(info.db_path)["events"][-1][1:3] == ("restored", "recovery")


# -- backup refusals ---------------------------------------------------------------------------------

def test_backup_refuses_an_existing_output_file(sites, tmp_path):
    db_path, _ = sites.make(users=False, allocation=False)
    out = tmp_path / "exists.zip"
    out.write_bytes(b"an older backup")
    before = contents(db_path)["events"]
    session = sites.login(db_path, "admin")
    try:
        with pytest.raises(InvalidInput) as refused:
            backup.backup(session, out)
    finally:
        session.close()
    assert_message(refused.value, out)
    assert out.read_bytes() == b"an older backup"
    assert [e[1] for e in contents(db_path)["events"][len(before):]] == ["login"]  # no 'backup' event


def test_backup_to_a_folder_asks_for_a_file_name_inside_it(sites, tmp_path):
    db_path, _ = sites.make(users=False, allocation=False)
    session = sites.login(db_path, "admin")
    try:
        with pytest.raises(InvalidInput) as refused:
            backup.backup(session, tmp_path)
    finally:
        session.close()
    assert refused.value.code == "backup-target-is-folder"
    assert str(tmp_path / "site-backup-") in assert_message(refused.value, tmp_path)


def test_only_a_site_admin_makes_backups(sites, tmp_path):
    db_path, _ = sites.make()
    session = sites.login(db_path, "nurse")
    try:
        with pytest.raises(PermissionDenied):
            backup.backup(session, tmp_path / "b.zip")
    finally:
        session.close()
    assert not (tmp_path / "b.zip").exists()


def _fail_while_writing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real_write = zipfile.ZipFile.write

    def write_then_fail(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        real_write(self, *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", write_then_fail)


def test_failed_backup_gives_a_message_and_writes_no_backup(sites, tmp_path, monkeypatch):
    db_path, _ = sites.make(users=False, allocation=False)
    out = tmp_path / "out" / "b.zip"
    out.parent.mkdir()
    session = sites.login(db_path, "admin")
    try:
        _fail_while_writing(monkeypatch)
        with pytest.raises(StoreError) as refused:
            backup.backup(session, out)
    finally:
        session.close()
    assert "No space left" in assert_message(refused.value, out)
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.is_dir()]  # the work folder is gone


def test_failed_backup_leaves_no_partial_files(sites, tmp_path, monkeypatch):
    db_path, _ = sites.make(users=False, allocation=False)
    out = tmp_path / "out" / "b.zip"
    out.parent.mkdir()
    session = sites.login(db_path, "admin")
    try:
        _fail_while_writing(monkeypatch)
        with pytest.raises(StoreError):
            backup.backup(session, out)
    finally:
        session.close()
    assert leftovers(tmp_path) == []


# -- restore refusals --------------------------------------------------------------------------------

@pytest.fixture
def refusal(sites, tmp_path):  # type: ignore[no-untyped-def]
    """A site with data, its backup, and a check that a refused restore changed nothing."""
    db_path, _ = site_with_data(sites)
    archive = make_backup(sites, db_path, tmp_path / "good.zip")
    before = {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file() and p.suffix != ".lock"}

    def unchanged() -> None:
        after = {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file() and p.suffix != ".lock"}
        assert after == before
        assert leftovers(tmp_path) == []
        sites.login(db_path, "admin").close()

    return db_path, archive, unchanged


def test_restore_refuses_a_truncated_zip(refusal, tmp_path):
    db_path, archive, unchanged = refusal
    cut = tmp_path / "cut.zip"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(DatabaseDamaged) as refused:
        backup.restore(cut, db_path, "admin", ADMIN_PASSWORD)
    assert_message(refused.value, cut)
    unchanged()


@pytest.mark.parametrize("extra", ["notes.txt", "../x", "../../site.db", "/absolute.txt"])
def test_restore_refuses_extra_or_path_traversal_members(refusal, tmp_path, extra):
    db_path, archive, unchanged = refusal
    bad = rewrite_zip(archive, tmp_path / "extra.zip",
                      lambda name, data: [(name, data)] + ([(extra, b"planted")] if name == "site.keys" else []))
    with pytest.raises(DatabaseDamaged) as refused:
        backup.restore(bad, db_path, "admin", ADMIN_PASSWORD)
    assert_message(refused.value, bad)
    assert not (tmp_path / "x").exists() and not (tmp_path.parent / "site.db").exists()
    unchanged()


def test_restore_refuses_a_member_replaced_by_a_traversal_name(refusal, tmp_path):
    db_path, archive, unchanged = refusal
    bad = rewrite_zip(archive, tmp_path / "swap.zip",
                      lambda name, data: [("../site.db" if name == "site.db" else name, data)])
    with pytest.raises(DatabaseDamaged):
        backup.restore(bad, db_path, "admin", ADMIN_PASSWORD)
    assert not (tmp_path / "site.db").exists()
    unchanged()


def test_restore_refuses_a_flipped_byte_in_the_database(refusal, tmp_path):
    db_path, archive, unchanged = refusal

    def flip(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name == "site.db":
            middle = len(data) // 2
            data = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]
        return [(name, data)]

    bad = rewrite_zip(archive, tmp_path / "flipped.zip", flip)  # a consistent zip, but not the manifest's file
    with pytest.raises(DatabaseDamaged) as refused:
        backup.restore(bad, db_path, "admin", ADMIN_PASSWORD)
    assert "checksum" in assert_message(refused.value, bad)
    unchanged()


def test_restore_refuses_a_flipped_byte_in_the_zip_file(refusal, tmp_path):
    db_path, archive, unchanged = refusal
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zipped:
        member = zipped.getinfo("site.db")
    offset = member.header_offset + 30 + len(member.filename) + len(member.extra) + member.file_size // 2
    data[offset] ^= 0x01  # stored, not compressed: this is a byte of the encrypted database
    bad = tmp_path / "bitrot.zip"
    bad.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged) as refused:
        backup.restore(bad, db_path, "admin", ADMIN_PASSWORD)
    assert_message(refused.value, bad)
    unchanged()


def test_restore_refuses_a_wrong_password(refusal):
    db_path, archive, unchanged = refusal
    with pytest.raises(LoginFailed) as refused:
        backup.restore(archive, db_path, "admin", "not-the-password")
    assert_message(refused.value)
    unchanged()


@pytest.mark.parametrize("username", ["nurse", "investigator", "monitor", "reader"])
def test_restore_refuses_a_user_who_is_not_a_site_admin(refusal, username):
    db_path, archive, unchanged = refusal
    with pytest.raises(PermissionDenied) as refused:
        backup.restore(archive, db_path, username, f"{username}-password-1")
    assert_message(refused.value)
    unchanged()


def test_restore_refuses_while_the_site_is_open(refusal, sites, tmp_path):
    db_path, archive, _ = refusal
    session = sites.login(db_path, "nurse")
    try:
        with pytest.raises(AlreadyOpen) as refused:
            backup.restore(archive, db_path, "admin", ADMIN_PASSWORD)
        subjects.screen_subject(session)  # the open session is not disturbed
    finally:
        session.close()
    assert_message(refused.value, db_path)
    assert leftovers(tmp_path) == []


def test_two_restores_in_the_same_second_keep_both_replaced_databases(sites, tmp_path):
    db_path, _ = site_with_data(sites)
    archive = make_backup(sites, db_path, tmp_path / "b.zip")
    original = db_path.read_bytes()
    moment = datetime(2020, 2, 1, 9, 30, 15, tzinfo=timezone(timedelta(hours=8)))
    clock = Clock(source=lambda: moment)
    first = backup.restore(archive, db_path, "admin", ADMIN_PASSWORD, clock=clock)
    second = backup.restore(archive, db_path, "admin", ADMIN_PASSWORD, clock=clock)
    assert first.set_aside is not None and second.set_aside is not None
    kept = [p.read_bytes() for p in db_path.parent.glob("site.before-restore-*.db")]
    assert original in kept and len(kept) == 2


def test_restore_refuses_a_backup_of_another_site_over_a_site(refusal, sites, tmp_path):
    """The wrong file or the wrong --db must not quietly turn one site into another."""
    db_path, _archive, unchanged = refusal
    other, _ = sites.make(users=False, allocation=False, fresh=True)
    foreign = make_backup(sites, other, tmp_path / "other-site.zip")
    with pytest.raises(StoreError) as caught:
        backup.restore(foreign, db_path, "admin", ADMIN_PASSWORD)
    assert caught.value.code == "restore-other-site"
    assert_message(caught.value, foreign)
    unchanged()
    # into a new place it is restored as usual
    assert backup.restore(foreign, tmp_path / "new" / "site.db", "admin", ADMIN_PASSWORD).set_aside is None


def test_restore_names_a_folder_given_as_the_backup(refusal, tmp_path):
    db_path, archive, unchanged = refusal
    with pytest.raises(StoreError) as caught:
        backup.restore(archive.parent, db_path, "admin", ADMIN_PASSWORD)
    assert caught.value.code == "backup-is-folder"
    unchanged()
