"""Opening a site database: instance lock, key slots, SQLCipher engine, migrations."""
from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from ecrf.errors import Localized
from ecrf.store import audit, migrate
from ecrf.store.engine import integrity_problems, make_engine, translated
from ecrf.store.errors import NoSite, NotOurDatabase, ReadOnly, SiteExists, StoreError
from ecrf.store.files import InstanceLock, SitePaths
from ecrf.store.keyslots import KeySlots, OpenedSlot, new_data_key
from ecrf.store.models import Site
from ecrf.store.slot_file import SlotFileMissing
from ecrf.store.state import stored_state
from ecrf.trail.chain import Event
from ecrf.trail.check import TrailReport, check_trail


class Database:
    """An open, unlocked site database. Holds the instance lock until `close()`; a site on read-only media
    (`read_only`) has no lock (nobody can write it) and refuses every write."""

    def __init__(self, paths: SitePaths, data_key: bytes | None, slots: KeySlots | None,
                 lock: InstanceLock | None, read_only: bool = False) -> None:
        self.paths = paths
        self.slots = slots
        self.read_only = read_only
        self._data_key = data_key
        self._lock = lock
        self.opened: OpenedSlot | None = None  # what the password that opened it unlocked (keys for seals)
        self.engine: Engine = make_engine(paths.db, data_key, read_only)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def data_key(self) -> bytes | None:
        return self._data_key

    def refuse_if_read_only(self) -> None:
        if self.read_only:
            raise ReadOnly("site-opened-read-only", db=self.paths.db)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction holding the write lock: commits all or nothing, driver errors as messages."""
        self.refuse_if_read_only()
        with translated(self.paths.db), self._sessions() as db, db.begin():
            yield db

    @contextmanager
    def read(self) -> Iterator[Session]:
        with translated(self.paths.db), self._sessions(bind=self.engine.execution_options(readonly=True)) as db:
            yield db

    def save_slots(self, slots: KeySlots) -> None:
        self.refuse_if_read_only()
        slots.save(self.paths.keys)
        self.slots = slots

    def check_trail(self, keep: list[Event] | None = None) -> TrailReport:
        """Chain, seals, keys and the replay of every value against what is stored, in one snapshot. With `keep`,
        the events read are appended to it, in order (the export writes exactly the events it checked)."""
        with self.read() as db:
            found, events = audit.evidence(db)
            found = dataclasses.replace(found, stored=stored_state(db))
            if keep is not None:
                keep.extend(events)  # the check holds every event anyway (`check_trail` links them)
                events = iter(keep)
            return check_trail(events, found)

    def integrity_problems(self) -> list[str]:
        with translated(self.paths.db):
            return integrity_problems(self.engine)

    def rekey(self, new_slots: KeySlots, new_key: bytes) -> None:
        """Re-encrypt with `new_key`. The new slots are saved first as `.keys.next`, so a crash between
        the steps leaves a pair that `open_database` can still open (it finishes the swap)."""
        self.refuse_if_read_only()
        new_slots.save(self.paths.next_keys)
        self.engine.dispose()
        with translated(self.paths.db), self.engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
        os.replace(self.paths.next_keys, self.paths.keys)
        self.engine.dispose()
        self._data_key, self.slots = new_key, new_slots
        self.engine = make_engine(self.paths.db, new_key)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()


def create_database(db_path: Path) -> tuple[Database, bytes]:
    """A new, empty database with a fresh random data key (the caller writes site row and slots)."""
    paths = SitePaths(db_path)
    if paths.db.exists():
        raise SiteExists("site-exists", db=paths.db)
    if paths.keys.exists():
        raise SiteExists("site-keys-left", db=paths.db, keys=paths.keys)
    paths.db.parent.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock(paths)
    lock.acquire()
    data_key = new_data_key()
    try:
        database = Database(paths, data_key, None, lock)
        migrate.upgrade(database.engine)
    except BaseException:
        lock.release()
        remove_site_files(paths)
        raise
    return database, data_key


def remove_site_files(paths: SitePaths) -> None:
    """Undo a site creation that failed part-way, so no half-made site is left looking usable."""
    for path in (paths.db, paths.keys, paths.next_keys, paths.logins, *paths.companions()):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def open_database(db_path: Path, slot_id: str, secret: str) -> Database:
    """Lock, unlock the slot with the password (or recovery code), open, migrate. A site on read-only media is
    opened for reading: no lock file, no migration, every write refused (see `site_is_read_only`)."""
    paths = SitePaths(db_path)
    if not paths.db.parent.is_dir():
        raise NoSite("database-folder-missing", folder=paths.db.parent, db=paths.db)
    if not paths.db.exists():
        raise NoSite("no-site", db=paths.db)
    refuse_non_site(paths)
    read_only = site_is_read_only(paths)
    # Nobody can write read-only media, so there is no second writer to keep out (and no lock file to make).
    lock = None if read_only else InstanceLock(paths)
    if lock is not None:
        lock.acquire()
    try:
        database = _unlock(paths, slot_id, secret, lock, read_only)
        with translated(paths.db):
            _check_pairing(database)
            if read_only:
                _require_current_schema(database)
            else:
                migrate.upgrade(database.engine)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return database


def site_is_read_only(paths: SitePaths) -> bool:
    """True when this process cannot change the site's files: read-only media (a write-protected USB drive,
    a DVD, a read-only share or mount) or a database file or folder without write permission. Such a site
    is opened for reading only, so its data and audit trail can still be read and verified."""
    folder = paths.db.parent
    if _mounted_read_only(folder):
        return True
    return not (os.access(paths.db, os.W_OK) and os.access(folder, os.W_OK))


def _mounted_read_only(folder: Path) -> bool:
    statvfs = getattr(os, "statvfs", None)  # POSIX only; on Windows the permission check above decides
    if statvfs is None:
        return False
    try:
        return bool(statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _require_current_schema(database: Database) -> None:
    """A read-only site cannot be migrated: it opens only when its schema is this version's."""
    if migrate.current_revision(database.engine) != migrate.head_revision():
        database.engine.dispose()
        raise ReadOnly("read-only-site-needs-upgrade", db=database.paths.db)


PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"  # a site's database is encrypted from its first byte
_TEXT_BYTES = frozenset(b"\t\n\r") | frozenset(range(0x20, 0x7F))


def refuse_non_site(paths: SitePaths, *, damaged_ok: bool = False) -> None:
    """Refuse a path that cannot be a site's database before anything is made beside it (the lock file):
    `--db /etc/passwd` must not leave `/etc/passwd.lock`. Without the key the file cannot be read, but a
    site's database is a regular file, encrypted from its first byte, with its key file beside it.
    `damaged_ok` (a restore over it): an emptied database or a lost key file is a site to replace."""
    if not paths.db.is_file():
        raise NotOurDatabase("not-a-site-file", db=paths.db, why=Localized(
            "it is a folder, a device or a pipe, not a file", "它是文件夹、设备或管道，而不是文件"))
    if paths.db.stat().st_size == 0:
        if damaged_ok:
            return
        raise NotOurDatabase("database-empty", db=paths.db)
    try:
        with open(paths.db, "rb") as handle:
            header = handle.read(len(PLAIN_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError("database-unreadable", db=paths.db, reason=exc.strerror or exc) from None
    if header == PLAIN_SQLITE_HEADER:
        raise NotOurDatabase("not-a-site-file", db=paths.db, why=Localized(
            "an unencrypted SQLite database", "未加密的 SQLite 数据库"))
    if set(header) <= _TEXT_BYTES:  # 16 random bytes are all printable once in ten million
        raise NotOurDatabase("not-a-site-file", db=paths.db, why=Localized("a text file", "文本文件"))
    if not damaged_ok and not paths.keys.exists() and not paths.next_keys.exists():
        raise SlotFileMissing("key-file-missing", path=paths.keys)


def _unlock(paths: SitePaths, slot_id: str, secret: str, lock: InstanceLock | None,
            read_only: bool = False) -> Database:
    slots = KeySlots.load(paths.keys) if paths.keys.exists() or not paths.next_keys.exists() else None
    if slots is None:
        # A rekey stopped between its two steps: only the new slots are there.
        return _finish_rekey(paths, slot_id, secret, lock, read_only)
    opened = slots.open(slot_id, secret)
    try:
        database = Database(paths, opened.data_key, slots, lock, read_only)
        database.opened = opened
        _probe(database)
    except NotOurDatabase:
        if not paths.next_keys.exists():
            # The slot opened, so the key file is a sound one: it and the database were not made together.
            raise NotOurDatabase("key-file-does-not-open-database", keys=paths.keys, db=paths.db) from None
        return _finish_rekey(paths, slot_id, secret, lock, read_only)
    if not read_only:  # read-only media keep the leftover; it is cleared where the site can be written
        with contextlib.suppress(FileNotFoundError):
            paths.next_keys.unlink()  # a rekey that never reached the database: its new slots are void
    return database


def _finish_rekey(paths: SitePaths, slot_id: str, secret: str, lock: InstanceLock | None,
                  read_only: bool = False) -> Database:
    try:
        slots = KeySlots.load(paths.next_keys)
    except SlotFileMissing:
        raise NotOurDatabase("key-file-does-not-open-database", keys=paths.keys, db=paths.db) from None
    opened = slots.open(slot_id, secret)
    database = Database(paths, opened.data_key, slots, lock, read_only)
    database.opened = opened
    _probe(database)
    if not read_only:  # on read-only media the new slots are read where they are; the swap waits
        os.replace(paths.next_keys, paths.keys)
    return database


def _probe(database: Database) -> None:
    with database.engine.connect():
        pass  # raw_connect reads the first page: a wrong key or a foreign file fails here


def _check_pairing(database: Database) -> None:
    with database.read() as db:
        try:
            db_id = db.scalar(select(Site.db_id))
        except Exception:  # noqa: BLE001 - an SQLCipher file of someone else's has no site table
            db_id = None
    if db_id is None:
        database.engine.dispose()
        raise NotOurDatabase("no-site-in-database", db=database.paths.db)
    if database.slots is not None and db_id != database.slots.db_id:
        database.engine.dispose()
        raise NotOurDatabase("key-file-of-another-site", keys=database.paths.keys, db=database.paths.db)
