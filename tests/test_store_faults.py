"""Faults of the site store (issue #3, "Bad input and faults"): each is a message that says what is wrong
and what to do, never a traceback, and no data is lost."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ADMIN_PASSWORD
from sqlalchemy import select

from ecrf.services import audit_trail, backup, forms, subjects
from ecrf.services.errors import LoginFailed, ServiceError
from ecrf.services.site_setup import create_site
from ecrf.services.subject_data import FormRef
from ecrf.store import engine as store_engine
from ecrf.store.database import open_database
from ecrf.store.errors import (
    AlreadyOpen,
    DatabaseDamaged,
    DiskFull,
    NoSite,
    NotOurDatabase,
    ReadOnly,
    SiteExists,
    StoreError,
)
from ecrf.store.models import AuditEvent, FormInstance, ItemValue, Subject
from ecrf.store.slot_file import KeySlotError, SlotFileCorrupt, SlotFileMissing

pytestmark = pytest.mark.req("STORE-FAULTS")

# Words of a sentence that tells the user what to do next.
WHAT_TO_DO = ("Restore", "Check", "Close", "Free", "Move", "Create", "Choose", "Put", "try again", "Ask", "Type",
              "give the right", "attempt(s) left")


def assert_message(exc: BaseException, path: Path | None = None) -> str:
    """A non-empty sentence naming the file or what to do, with no traceback or driver noise."""
    assert isinstance(exc, (StoreError, ServiceError, KeySlotError)), f"not a message: {exc!r}"
    text = exc.message
    assert text and text == text.strip() and text.endswith("."), text
    assert text[0].isupper() or text.startswith(os.sep), text  # a sentence, or one that starts with the path
    for noise in ("Traceback", 'File "', "sqlcipher3", "sqlalchemy", "Error:"):
        assert noise not in text, text
    assert (path is not None and str(path) in text) or any(verb in text for verb in WHAT_TO_DO), text
    return text


def state(db_path: Path) -> tuple[list[tuple], list[tuple], tuple[int, str]]:
    """Subjects, item values and the audit chain head, read without logging in."""
    database = open_database(db_path, "user:admin", ADMIN_PASSWORD)
    try:
        with database.read() as db:
            subjects_ = [(s.id, s.screening_no, s.status) for s in db.scalars(select(Subject).order_by(Subject.id))]
            values = [(v.id, v.item_code, v.value) for v in db.scalars(select(ItemValue).order_by(ItemValue.id))]
            last = db.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
        report = database.check_trail()
        assert report.ok, report.problem
        return subjects_, values, (last.seq, last.hash)
    finally:
        database.close()


def with_a_subject(sites) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    session = sites.login(db_path, "nurse")
    try:
        label = subjects.screen_subject(session)
        forms.save_form(session, FormRef(label, "SCR", "CT"), {"IMPRESS": "ground glass, both lower lobes"})
    finally:
        session.close()
    return db_path, label


def companions_gone(db_path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


# -- passwords and key files ----------------------------------------------------------------------

def test_wrong_password(sites):
    db_path, _ = sites.make()
    with pytest.raises(LoginFailed) as refused:
        sites.login(db_path, "nurse", "nurse-password-2")
    assert "Wrong username or password" in assert_message(refused.value)
    sites.login(db_path, "nurse").close()


def test_missing_keys_file_names_the_file(sites):
    db_path, _ = sites.make()
    keys = db_path.with_suffix(".keys")
    keys.rename(keys.with_suffix(".away"))
    with pytest.raises(SlotFileMissing) as refused:
        sites.login(db_path, "admin")
    assert_message(refused.value, keys)
    keys.with_suffix(".away").rename(keys)
    sites.login(db_path, "admin").close()  # the failed attempt left no lock behind


@pytest.mark.parametrize("damage", [
    lambda text: os.urandom(300),
    lambda text: text[: len(text) // 2],
    lambda text: b"",
    lambda text: b"[]",
    lambda text: json.dumps({**json.loads(text), "slots": {}}).encode(),
    lambda text: text.replace(b'"generation": 1', b'"generation": "1"'),
], ids=["garbage", "truncated-json", "empty", "not-an-object", "no-slots", "wrong-type"])
def test_corrupted_keys_file_gives_a_message(sites, damage):
    db_path, _ = sites.make(users=False, allocation=False)
    keys = db_path.with_suffix(".keys")
    original = keys.read_bytes()
    keys.write_bytes(damage(original))
    with pytest.raises((SlotFileCorrupt, LoginFailed)) as refused:
        sites.login(db_path, "admin")
    text = assert_message(refused.value)
    if isinstance(refused.value, SlotFileCorrupt):
        assert str(keys) in text
    keys.write_bytes(original)
    sites.login(db_path, "admin").close()


def test_keys_file_of_another_site_gives_a_message(sites):
    db_path, _ = sites.make(users=False, allocation=False)
    other, _ = sites.make(users=False, allocation=False, fresh=True)  # same admin name and password
    before = db_path.read_bytes()
    keys = db_path.with_suffix(".keys")
    original = keys.read_bytes()
    keys.write_bytes(other.with_suffix(".keys").read_bytes())
    with pytest.raises(NotOurDatabase) as refused:
        sites.login(db_path, "admin")
    assert_message(refused.value, db_path)
    assert db_path.read_bytes() == before
    keys.write_bytes(original)
    sites.login(db_path, "admin").close()


# -- files that are not our database ---------------------------------------------------------------

def _plain_sqlite(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE site (id INTEGER PRIMARY KEY, db_id TEXT)")
    conn.execute("INSERT INTO site VALUES (1, 'someone else')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("replace", [
    lambda path: path.write_bytes(os.urandom(path.stat().st_size)),
    lambda path: path.write_bytes(b"This is a letter to the sponsor, saved as site.db by mistake.\n" * 50),
    _plain_sqlite,
], ids=["random-bytes", "text-file", "plain-sqlite"])
def test_a_file_that_is_not_a_database_gives_a_message(sites, replace):
    db_path, _ = sites.make(users=False, allocation=False)
    replace(db_path)
    before = db_path.read_bytes()
    with pytest.raises(NotOurDatabase) as refused:
        sites.login(db_path, "admin")
    assert_message(refused.value, db_path)
    assert db_path.read_bytes() == before  # nothing was written into someone else's file
    companions_gone(db_path)


def test_an_empty_file_is_not_taken_for_a_database(sites):
    db_path, _ = sites.make(users=False, allocation=False)
    db_path.write_bytes(b"")
    try:
        with pytest.raises(NotOurDatabase) as refused:
            sites.login(db_path, "admin")
        assert_message(refused.value, db_path)
    finally:
        size = db_path.stat().st_size
    assert size == 0


def _damage(db_path: Path, page: str) -> None:
    data = bytearray(db_path.read_bytes())
    pages = len(data) // 4096
    index = {"page-2": 1, "middle": pages // 2, "last": pages - 1}[page]
    start = index * 4096 + 200
    data[start:start + 64] = bytes(b ^ 0x5A for b in data[start:start + 64])
    db_path.write_bytes(bytes(data))


def _use(sites, db_path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """Log in, verify the trail, run the integrity checks: what a user (or `ecrf check`) would do."""
    session = sites.login(db_path, "admin")
    try:
        report = audit_trail.verify(session)
        return session.database.integrity_problems() + ([report.problem] if report.problem else [])
    finally:
        session.close()


@pytest.mark.parametrize("page", [
    "page-2",
    "middle",
    "last",
])
def test_a_damaged_database_gives_a_message(sites, page):
    db_path, _ = with_a_subject(sites)
    _damage(db_path, page)
    try:
        problems = _use(sites, db_path)
    except (DatabaseDamaged, NotOurDatabase) as exc:
        assert_message(exc, db_path)
    else:  # damage in a page that login does not read must show in the integrity check
        assert problems


def test_a_damaged_database_can_be_replaced_from_its_backup(sites, tmp_path):
    db_path, label = with_a_subject(sites)
    session = sites.login(db_path, "admin")
    try:
        archive = backup.backup(session, tmp_path / "backup.zip").path
    finally:
        session.close()
    good = state(db_path)
    _damage(db_path, "middle")
    info = backup.restore(archive, db_path, "admin", ADMIN_PASSWORD)
    assert info.set_aside is not None and info.set_aside.exists()
    subjects_, values, _ = state(db_path)
    assert (subjects_, values) == good[:2] and label in {s[1] for s in subjects_}
    assert _use(sites, db_path) == []


# -- one instance -------------------------------------------------------------------------------

def test_second_instance_in_this_process_is_refused_until_the_first_closes(sites):
    db_path, _ = sites.make()
    first = sites.login(db_path, "nurse")
    try:
        with pytest.raises(AlreadyOpen) as refused:
            sites.login(db_path, "investigator")
        assert_message(refused.value, db_path)
        with pytest.raises(AlreadyOpen):
            open_database(db_path, "user:admin", ADMIN_PASSWORD)
        subjects.screen_subject(first)  # the first instance goes on working
    finally:
        first.close()
    sites.login(db_path, "investigator").close()


SECOND_PROCESS = """
import sys
from pathlib import Path
from ecrf.store.database import open_database
from ecrf.store.errors import AlreadyOpen
try:
    open_database(Path(sys.argv[1]), "user:admin", sys.argv[2]).close()
except AlreadyOpen as exc:
    print(exc.message)
    sys.exit(3)
"""


def test_second_instance_in_another_process_is_refused(sites):
    db_path, _ = sites.make(users=False, allocation=False)
    command = [sys.executable, "-c", SECOND_PROCESS, str(db_path), ADMIN_PASSWORD]
    session = sites.login(db_path, "admin")
    try:
        refused = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    finally:
        session.close()
    assert refused.returncode == 3, refused.stderr
    assert str(db_path) in refused.stdout and "Traceback" not in refused.stderr
    allowed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


# -- disk full and read-only -------------------------------------------------------------------------

def _every_connection_runs(monkeypatch, session, make_pragma) -> None:  # type: ignore[no-untyped-def]
    real = store_engine.raw_connect

    def connect(path, key):  # type: ignore[no-untyped-def]
        conn = real(path, key)
        conn.execute(make_pragma(conn))
        return conn

    monkeypatch.setattr(store_engine, "raw_connect", connect)
    if session is not None:
        session.database.engine.dispose()  # the pooled connections are replaced by patched ones


def _cap_at_current_size(conn) -> str:  # type: ignore[no-untyped-def]
    """The database cannot grow past the pages it has now: SQLite reports SQLITE_FULL, as on a full disk."""
    return f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}"


def _head_and_values(session) -> tuple:  # type: ignore[no-untyped-def]
    with session.read() as db:
        last = db.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).one()
        forms_ = [(f.id, f.status) for f in db.scalars(select(FormInstance).order_by(FormInstance.id))]
        values = [(v.item_code, v.value) for v in db.scalars(select(ItemValue).order_by(ItemValue.id))]
    return tuple(last), forms_, values


def test_disk_full_saves_nothing_and_loses_nothing(sites, monkeypatch):
    db_path, label = with_a_subject(sites)
    session = sites.login(db_path, "nurse")
    try:
        _every_connection_runs(monkeypatch, session, _cap_at_current_size)
        ref = FormRef(label, "SCR", "CT")
        for attempt in range(40):  # free room in the last pages takes a save or two
            before = _head_and_values(session)
            try:
                forms.save_form(session, ref, {"IMPRESS": f"attempt {attempt}: " + "consolidation " * 60})
            except DiskFull as exc:
                assert_message(exc, db_path)
                break
        else:
            pytest.fail("the capped database never became full")
        after = _head_and_values(session)
        assert after == before  # nothing half-saved: no value, no status, no audit event
        monkeypatch.undo()
        session.database.engine.dispose()
        assert audit_trail.verify(session).ok
        forms.save_form(session, ref, {"IMPRESS": "saved once there is room again"})
    finally:
        session.close()
    assert state(db_path)[1][-1][2] == "saved once there is room again"


def test_read_only_database_refuses_changes_with_a_message(sites, monkeypatch):
    db_path, _ = with_a_subject(sites)
    good = state(db_path)
    session = sites.login(db_path, "nurse")
    try:
        _every_connection_runs(monkeypatch, session, lambda conn: "PRAGMA query_only = ON")
        with pytest.raises(ReadOnly) as refused:
            subjects.screen_subject(session)
        assert "read-only" in assert_message(refused.value, db_path)
        with session.read() as db:  # reading goes on
            assert db.scalar(select(Subject.screening_no).order_by(Subject.id).limit(1)) == good[0][0][1]
        monkeypatch.undo()
        session.database.engine.dispose()
    finally:
        session.close()
    subjects_, values, _ = state(db_path)
    assert (subjects_, values) == good[:2]


def test_sqlite_says_readonly_for_query_only_and_translate_maps_it(tmp_path):
    conn = sqlite3.connect(tmp_path / "plain.db")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA query_only = ON")
    with pytest.raises(sqlite3.OperationalError) as driver:
        conn.execute("INSERT INTO t VALUES (1)")
    conn.close()
    assert str(driver.value) == "attempt to write a readonly database"
    assert isinstance(store_engine.translate(driver.value, tmp_path / "plain.db"), ReadOnly)


def test_login_to_a_read_only_database_gives_a_message(sites, monkeypatch):
    db_path, _ = sites.make(users=False, allocation=False)
    _every_connection_runs(monkeypatch, None, lambda conn: "PRAGMA query_only = ON")
    with pytest.raises(ReadOnly) as refused:
        sites.login(db_path, "admin")
    assert_message(refused.value, db_path)


# -- no site, existing site -------------------------------------------------------------------------

def test_no_site_at_the_path(sites, tmp_path):
    missing = tmp_path / "nowhere" / "site.db"
    with pytest.raises(NoSite) as refused:
        sites.login(missing, "admin")
    assert "ecrf init" in assert_message(refused.value, missing)
    assert not missing.parent.exists()  # looking did not create anything


@pytest.mark.parametrize("existing", ["site.db", "site.keys"])
def test_init_on_an_existing_site_is_refused(sites, study, existing):
    db_path, _ = sites.make(users=False, allocation=False)
    if existing == "site.keys":
        db_path.rename(db_path.with_suffix(".moved"))
    files = {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()}
    with pytest.raises(SiteExists) as refused:
        create_site(db_path, study, "CN02", "Another hospital", "boss", "Bo Boss", "boss-password-1")
    assert_message(refused.value, db_path)
    if existing == "site.keys":  # not "site.db already exists": it does not; the key file of a site does
        assert refused.value.code == "site-keys-left" and "site.keys" in refused.value.message
    assert {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.is_file()} == files
