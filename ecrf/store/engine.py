"""SQLAlchemy engines over SQLCipher 4 in raw-key mode, and translation of driver errors into messages.

The data key is passed as a raw 256-bit key (``x'...'``), so SQLCipher does not run its own KDF on
every open: the password KDF is paid once, in the key slot.
"""
from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from ecrf.store.errors import (
    DatabaseDamaged,
    DiskFull,
    NoSite,
    NotOurDatabase,
    ReadOnly,
    StoreError,
)

DRIVER_ERRORS = (sqlcipher3.dbapi2.Error, sqlite3.Error)
SQLITE_FULL = 13
# SQLite reports a full disk as "disk I/O error" when it cannot grow the WAL index (-shm) or write the WAL at
# open: the error code alone cannot tell that from a failing disk. With less than this free beside the
# database, the full disk is the cause (a site database and its WAL need more than this to work at all).
LOW_FREE_SPACE = 8 * 1024 * 1024


def raw_connect(path: Path, key: bytes | None, read_only: bool = False) -> Any:
    """A DB-API connection with the key applied and the durability pragmas set; `read_only` opens a site on
    read-only media (no journal mode to set, no -wal or -shm file to make)."""
    module = sqlcipher3.dbapi2 if key is not None else sqlite3
    target = read_only_uri(path) if read_only else str(path)
    conn = module.connect(target, isolation_level=None, check_same_thread=False, uri=read_only)
    try:
        if key is not None:
            conn.execute("PRAGMA cipher_log_level = NONE")  # errors reach the user as messages, not stderr noise
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a wrong key fails here
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
    except DRIVER_ERRORS as exc:
        conn.close()
        raise translate(exc, path) from None
    return conn


def read_only_uri(path: Path) -> str:
    """SQLite's URI for reading a database that nobody can write: `immutable` needs no lock and no -shm file
    (which read-only media cannot hold). A -wal file left beside it (the app was killed before it could fold
    the WAL back) holds committed changes that `immutable` would not see, so then only `mode=ro`."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    wal = Path(f"{path}-wal")
    try:
        has_wal = wal.stat().st_size > 0
    except OSError:
        has_wal = False
    return uri if has_wal else uri + "&immutable=1"


def make_engine(path: Path, key: bytes | None, read_only: bool = False) -> Engine:
    """An engine whose every connection is keyed; ``key=None`` gives plain SQLite (benchmarks only)."""
    def creator() -> Any:  # raw_connect is looked up at each call: tests wrap it to inject driver faults
        return raw_connect(path, key, read_only=True) if read_only else raw_connect(path, key)

    engine = create_engine("sqlite://", creator=creator, poolclass=QueuePool, pool_size=2, max_overflow=4)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writers take the write lock at BEGIN, so no two transactions interleave a read-then-write of the
        # audit head; readers (execution option readonly=True) do not, so a read-only medium can be read.
        readonly = conn.get_execution_options().get("readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def translate(exc: BaseException, path: Path) -> StoreError:
    """The user's sentence for a driver error; the caller has rolled back, so nothing half-saved."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    text_ = str(original).lower()
    if "file is not a database" in text_ or "not a database" in text_:
        return NotOurDatabase("not-a-database", path=path)
    if _disk_full(original, text_, path):
        return DiskFull("disk-full", path=path)
    if not path.parent.is_dir():  # the folder went away under us (a pulled USB drive, a deleted folder)
        return NoSite("database-folder-missing", folder=path.parent, db=path)
    if "readonly" in text_ or "read-only" in text_ or "unable to open" in text_:
        return ReadOnly("read-only", path=path)
    if "malformed" in text_ or "corrupt" in text_ or "disk i/o error" in text_:
        return DatabaseDamaged("database-damaged", path=path, detail=original)
    if "locked" in text_ or "busy" in text_:
        return StoreError("database-busy", path=path)
    return StoreError("database-error", path=path, detail=original)


def _disk_full(original: BaseException | None, text_: str, path: Path) -> bool:
    if "disk is full" in text_ or getattr(original, "sqlite_errorcode", None) == SQLITE_FULL:
        return True
    if isinstance(original, OSError) and original.errno == errno.ENOSPC:
        return True
    return "disk i/o error" in text_ and free_space(path.parent) < LOW_FREE_SPACE


def free_space(folder: Path) -> int:
    """Bytes free for this user on the disk of `folder` (a large number when it cannot be told)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return LOW_FREE_SPACE  # unknown: do not call a failing disk full


@contextmanager
def translated(path: Path) -> Iterator[None]:
    """Run a block turning driver errors into StoreError messages."""
    try:
        yield
    except StoreError:
        raise
    except (DBAPIError, *DRIVER_ERRORS) as exc:
        raise translate(exc, path) from None


def integrity_problems(engine: Engine) -> list[str]:
    """What `PRAGMA integrity_check` and `cipher_integrity_check` report; empty when clean."""
    with engine.connect() as conn:
        problems = [row[0] for row in conn.execute(text("PRAGMA integrity_check")) if row[0] != "ok"]
        try:
            problems += [row[0] for row in conn.execute(text("PRAGMA cipher_integrity_check"))]
        except DBAPIError:
            pass  # plain SQLite (benchmarks) has no cipher pages to check
    return problems
