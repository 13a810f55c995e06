"""Backup (an encrypted, verified copy), restore (refuses a copy that fails its checks) and rekey."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ecrf.services.auth import session_keys
from ecrf.services.errors import InvalidInput, LoginFailed, PermissionDenied
from ecrf.services.permissions import Do, may
from ecrf.services.session import Actor, SiteSession, Tx, slot_of
from ecrf.store.audit import Change
from ecrf.store.clock import Clock
from ecrf.store.database import Database, open_database
from ecrf.store.engine import raw_connect, translate
from ecrf.store.errors import DatabaseDamaged, StoreError
from ecrf.store.files import InstanceLock, SitePaths
from ecrf.store.keyslots import KeySlots, new_data_key
from ecrf.store.models import Site, User
from ecrf.store.recovery_code import RECOVERY_SLOT
from ecrf.store.slot_file import NoSuchSlot, WrongSecret

FORMAT, VERSION = "ecrf-backup", 1
MEMBERS = ("backup.json", "site.db", "site.keys")
MAX_MEMBER = 16 * 2**30  # far above any site; stops a crafted zip from filling the disk


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    audit_head_seq: int
    created_utc: str


def backup(session: SiteSession, out: Path) -> BackupInfo:
    """Write `out` (a zip holding the encrypted database and its key slots), verified before it is named."""
    out = out.expanduser()
    if out.is_dir():
        raise InvalidInput("backup-target-is-folder", path=out,
                           example=out / f"site-backup-{session.clock.now().date().isoformat()}.zip")
    if out.exists():
        raise InvalidInput("backup-target-exists", path=out)
    with session.write(Do.BACKUP) as tx:
        tx.audit(Change("backup", new_value=out.name))
    work = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        work.mkdir(parents=True)
        manifest = _copy_and_check(session.database, work)
        _write_zip(work, out, manifest)
    except (OSError, StoreError) as exc:
        _record_failed_backup(session, out, exc)
        if isinstance(exc, StoreError):
            raise
        raise StoreError("backup-write-failed", path=out, reason=exc.strerror or exc) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupInfo(out, out.stat().st_size, manifest["audit_head_seq"], manifest["created_utc"])


def _record_failed_backup(session: SiteSession, out: Path, exc: BaseException) -> None:
    # The trail already says a backup was started; it must also say that none was made.
    with contextlib.suppress(Exception), session.write(Do.BACKUP) as tx:
        tx.audit(Change("backup_failed", new_value=out.name, reason=str(getattr(exc, "message", exc))[:500]))


def _copy_and_check(database: Database, work: Path) -> dict:
    key = database.data_key
    target = work / "site.db"
    source, copy = raw_connect(database.paths.db, key), raw_connect(target, key)
    try:
        source.backup(copy)  # SQLite's online backup: a consistent snapshot, still encrypted
    except Exception as exc:  # noqa: BLE001 - driver errors become messages
        raise translate(exc, target) from None
    finally:
        copy.execute("PRAGMA journal_mode = DELETE")
        copy.close()
        source.close()
    shutil.copyfile(database.paths.keys, work / "site.keys")
    checked = _check_copy(target, key, database.slots.db_id if database.slots else "")
    return {"format": FORMAT, "version": VERSION, **checked,
            "files": {name: _digest(work / name) for name in ("site.db", "site.keys")}}


def _check_copy(db_file: Path, key: bytes | None, db_id: str) -> dict:
    """Integrity, cipher integrity and the audit chain of a copy; the facts the manifest records."""
    copy = Database(SitePaths(db_file), key, None, None)
    try:
        problems = copy.integrity_problems()
        chain = copy.check_trail()
        with copy.read() as db:
            site = db.get(Site, 1)
            facts = {"study": site.study_oid, "site": site.site_code, "db_id": site.db_id} if site else {}
    finally:
        copy.engine.dispose()
    if problems or not facts or (db_id and facts["db_id"] != db_id):
        why = "; ".join(problems[:3]) or "it is not this site's database"
        raise DatabaseDamaged("backup-copy-failed-checks", why=why)
    # A trail with findings is still backed up (the copy is evidence); the manifest says what was found.
    return {**facts, "audit_head_seq": chain.head_seq, "audit_head_hash": chain.head_hash,
            "audit_problems": len(chain.problems), "created_utc": Clock().stamp()[0]}


def _digest(path: Path) -> dict:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return {"sha256": sha.hexdigest(), "size": path.stat().st_size}


def _write_zip(work: Path, out: Path, manifest: dict) -> None:
    partial = out.with_name(out.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive:  # encrypted data does not compress
            archive.writestr("backup.json", json.dumps(manifest, indent=1, sort_keys=True))
            archive.write(work / "site.db", "site.db")
            archive.write(work / "site.keys", "site.keys")
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)  # never leave a file that might be taken for a backup
        raise


# -- restore ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RestoreInfo:
    db_path: Path
    audit_head_seq: int
    created_utc: str
    set_aside: Path | None  # where the database that was replaced now is


def restore(backup_file: Path, db_path: Path, username: str, password: str, clock: Clock | None = None) -> RestoreInfo:
    """Put a verified backup in place of (or at) `db_path`; the replaced files are kept beside it.

    `username`/`password` are a site administrator's as they were when the backup was made (or use
    username 'recovery' with the recovery code)."""
    clock = clock or Clock()
    db_path = db_path.expanduser()
    if backup_file.is_dir():
        raise StoreError("backup-is-folder", path=backup_file)
    if not backup_file.is_file():
        raise StoreError("backup-missing", path=backup_file)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    work = db_path.parent / f".restore-{uuid.uuid4().hex[:8]}"
    lock = InstanceLock(SitePaths(db_path))
    lock.acquire()  # the app must not have the target open
    try:
        work.mkdir()
        manifest = _extract(backup_file, work)
        _refuse_other_site(db_path, backup_file, manifest)
        key, db_id = _unlock_copy(work, username, password)
        checked = _check_copy(work / "site.db", key, db_id)
        if checked["audit_head_hash"] != manifest.get("audit_head_hash"):
            raise DatabaseDamaged("backup-manifest-mismatch", path=backup_file)
        set_aside = _swap_in(work, db_path, clock)
    except OSError as exc:
        raise StoreError("restore-failed", path=db_path, reason=exc.strerror or exc) from None
    finally:
        lock.release()
        shutil.rmtree(work, ignore_errors=True)
    _record_restore(db_path, username, password, backup_file, manifest, clock)
    return RestoreInfo(db_path, manifest["audit_head_seq"], manifest["created_utc"], set_aside)


def _extract(backup_file: Path, work: Path) -> dict:
    try:
        with zipfile.ZipFile(backup_file) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            if sorted(infos) != sorted(MEMBERS) or any(i.file_size > MAX_MEMBER for i in infos.values()):
                raise DatabaseDamaged("backup-wrong-members", path=backup_file, members=", ".join(MEMBERS))
            manifest = json.loads(archive.read("backup.json"))
            if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
                raise DatabaseDamaged("backup-unknown-format", path=backup_file)
            for name in ("site.db", "site.keys"):
                with archive.open(name) as src, open(work / name, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                if _digest(work / name) != manifest["files"][name]:
                    raise DatabaseDamaged("backup-checksum-mismatch", path=backup_file, member=name)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, EOFError) as exc:
        raise DatabaseDamaged("backup-unreadable", path=backup_file, detail=exc) from None
    return manifest


def _refuse_other_site(db_path: Path, backup_file: Path, manifest: dict) -> None:
    """A restore puts back an earlier state of the same site; a backup of another database over a site is
    a mix-up (the wrong file, the wrong --db) that would quietly turn this site into another. A site whose key
    file is gone or damaged cannot say who it is: restoring is then exactly what it needs."""
    keys = SitePaths(db_path).keys
    if not keys.is_file():
        return
    try:
        here = KeySlots.load(keys).db_id
    except (StoreError, OSError, ValueError):
        return
    if here != manifest.get("db_id"):
        raise StoreError("restore-other-site", path=backup_file, db=db_path, study=manifest.get("study", "?"),
                         site=manifest.get("site", "?"))


def _unlock_copy(work: Path, username: str, password: str) -> tuple[bytes, str]:
    slots = KeySlots.load(work / "site.keys")
    slot = RECOVERY_SLOT if username == "recovery" else slot_of(username)
    try:
        key = slots.unlock(slot, password)
    except (NoSuchSlot, WrongSecret):
        raise LoginFailed("backup-login-failed") from None
    if slot != RECOVERY_SLOT:
        copy = Database(SitePaths(work / "site.db"), key, slots, None)
        try:
            with copy.read() as db:
                role = db.scalar(select(User.role).where(User.username == username))
        finally:
            copy.engine.dispose()
        if role is None or not may(role, Do.BACKUP):
            raise PermissionDenied("restore-not-admin")
    return key, slots.db_id


def _swap_in(work: Path, db_path: Path, clock: Clock) -> Path | None:
    paths = SitePaths(db_path)
    set_aside = None
    if paths.db.exists():
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        set_aside = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}{db_path.suffix}")
        number = 1
        while any(p.exists() for p in (set_aside, SitePaths(set_aside).keys)):
            number += 1  # two restores in one second must not overwrite the first set-aside database
            set_aside = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}-{number}{db_path.suffix}")
        aside = SitePaths(set_aside)
        companions = zip(paths.companions(), aside.companions(), strict=True)
        for src, dst in ((paths.db, aside.db), (paths.keys, aside.keys), *companions):
            if src.exists():
                os.replace(src, dst)
    with contextlib.suppress(FileNotFoundError):
        paths.logins.unlink()
    os.replace(work / "site.keys", paths.keys)
    os.replace(work / "site.db", paths.db)
    return set_aside


def _record_restore(db_path: Path, username: str, password: str, backup_file: Path, manifest: dict,
                    clock: Clock) -> None:
    slot = RECOVERY_SLOT if username == "recovery" else slot_of(username)
    database = open_database(db_path, slot, password)
    try:
        with database.write() as db:
            user = db.scalar(select(User).where(User.username == username))
            actor = Actor(username, user.full_name if user else "Recovery code", user.role if user else "site_admin")
            tx = Tx(db, database, clock, actor)
            session_keys(tx)
            made = f"backup made {manifest['created_utc']} at audit event {manifest['audit_head_seq']}"
            tx.audit(Change("restored", new_value=backup_file.name, reason=made))
            tx.seal()
    finally:
        database.close()


# -- rekey -----------------------------------------------------------------------------------

def rekey(session: SiteSession) -> None:
    """A new data key: the database is re-encrypted and every key slot rewrapped (passwords unchanged)."""
    database = session.database
    with session.write(Do.REKEY) as tx:
        site = tx.site
        trusted = {slot_of(u.username): u.slot_public_key for u in tx.db.scalars(select(User))
                   if u.active and u.slot_public_key}
        trusted[RECOVERY_SLOT] = site.recovery_public_key
        tx.audit(Change("rekey", old_value=f"key generation {database.slots.generation if database.slots else '?'}",
                        new_value="next generation", reason=f"{len(trusted)} key slots rewrapped"))
    assert database.slots is not None
    new_key = new_data_key()
    new_slots = database.slots.rewrapped(new_key, trusted)
    database.rekey(new_slots, new_key)
