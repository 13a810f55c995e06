"""Opening the central database from what the sponsor types: a file path (SQLite) or a `postgresql://` URL.

A file path gets a SQLite database (made on first use); `postgresql://…` and `postgresql+psycopg://…` use
psycopg 3. The schema is created when the database is empty and checked when it is not, so a database of
another program or of a newer ecrf is refused rather than written into. `bulk_insert` is the one way rows go
in: binary COPY on PostgreSQL, a streamed executemany of one prepared INSERT on SQLite.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import Table

from ecrf.merge.central import schema
from ecrf.merge.errors import CentralDatabaseError

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")
SQLITE_PREFIX = "sqlite:///"
SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file


def central_url(target: str | Path) -> str:
    """The SQLAlchemy URL for a path or URL the sponsor gave (PostgreSQL always through psycopg 3)."""
    text = str(target)
    if not _URL.match(text):
        return f"{SQLITE_PREFIX}{Path(text).expanduser().resolve()}"
    scheme, rest = text.split("://", 1)
    if scheme.lower() in ("postgresql", "postgres", "postgresql+psycopg"):
        return f"postgresql+psycopg://{rest}"
    if scheme.lower() == "sqlite":
        return text
    raise CentralDatabaseError("central-url-unsupported", url=shown_url(text))


def shown_url(url: str) -> str:
    """The URL without its password, for messages and the report."""
    return _PASSWORD.sub(r"\1***@", url)


def central_name(target: str | Path) -> str:
    """The central database as messages name it: a file as the user typed it, a URL without its password."""
    text = str(target)
    return shown_url(text) if _URL.match(text) else text


def open_central(target: str | Path, *, create: bool = True) -> Engine:
    """An engine on the central database, its schema made (when `create`) or checked. `create` is the merge's way
    in (a new database is made, and it must be writable); without it the database must already exist (export,
    report, queries)."""
    url, name = central_url(target), central_name(target)
    if url.startswith(SQLITE_PREFIX):
        check_sqlite_file(Path(url.removeprefix(SQLITE_PREFIX)), name, create)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_settings)
    try:
        with engine.begin() as conn:
            _schema_ready(conn, create, name)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise _open_failed(engine.dialect.name, name, _first_line(exc), create) from None
    return engine


def check_sqlite_file(path: Path, name: str, create: bool) -> None:
    """What SQLite would only call "unable to open database file" or "file is not a database", said about the
    file: a folder, a file of another kind, a folder or file that cannot be written (for a merge), a missing
    file (for anything else: SQLite would quietly make an empty one)."""
    if path.is_dir():
        raise CentralDatabaseError("central-is-folder", path=name)
    if not path.exists():
        if not create:
            raise CentralDatabaseError("central-missing", path=name)
        if not path.parent.is_dir():
            raise CentralDatabaseError("central-folder-missing", folder=path.parent)
        _check_writable(path, name)
        return
    if not _is_sqlite_file(path, name):
        raise CentralDatabaseError("central-not-database", path=name)
    if create:
        _check_writable(path, name)


def _check_writable(path: Path, name: str) -> None:
    # SQLite writes its journal beside the database: the folder must be writable as well as the file.
    if not os.access(path.parent, os.W_OK):
        raise CentralDatabaseError("central-folder-read-only", folder=path.parent, path=name)
    if path.exists() and not os.access(path, os.W_OK):
        raise CentralDatabaseError("central-file-read-only", path=name)


def _is_sqlite_file(path: Path, name: str) -> bool:
    """A SQLite database file starts with its magic string; an empty file is one SQLite makes into a database."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise CentralDatabaseError("central-file-unusable", path=name, reason=exc.strerror or exc) from None
    return head in (b"", SQLITE_MAGIC)


def _open_failed(dialect: str, name: str, reason: str, create: bool) -> CentralDatabaseError:
    """A server gets the server's advice; a file gets words about the file, never about a server or a password."""
    if dialect != "sqlite":
        return CentralDatabaseError("central-unreachable" if create else "central-unreachable-reading", url=name,
                                    reason=reason)
    if "file is not a database" in reason:
        return CentralDatabaseError("central-not-database", path=name)
    return CentralDatabaseError("central-file-unusable", path=name, reason=reason)


def _sqlite_settings(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=FULL")  # a merge killed half-way leaves the last committed state
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MB: a 50-subject bundle (about 20 MB) is written once, at commit
    cursor.close()


def _schema_ready(conn: Connection, create: bool, name: str) -> None:
    tables = set(inspect(conn).get_table_names())
    if not tables:
        if not create:
            raise CentralDatabaseError("central-empty", database=name)
        schema.metadata.create_all(conn)
        conn.execute(schema.info.insert(), [{"key": "schema_version", "value": schema.SCHEMA_VERSION},
                                            {"key": "made_by", "value": "ecrf"}])
        return
    if schema.info.name not in tables:
        raise CentralDatabaseError("central-not-ecrf", database=name)
    version = conn.execute(select(schema.info.c.value).where(schema.info.c.key == "schema_version")).scalar()
    if version != schema.SCHEMA_VERSION:
        raise CentralDatabaseError("central-schema-version", database=name,
                                   found=version, expected=schema.SCHEMA_VERSION)
    schema.metadata.create_all(conn)  # tables a later part of this version added (none are ever changed)


def bulk_insert(conn: Connection, table: Table, rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows (values in the table's column order, each of its column's Python type: str, int, bytes, bool)
    in the connection's transaction; the number inserted. Binary COPY on PostgreSQL; on SQLite one prepared
    INSERT that the driver runs for each row as the rows stream in."""
    if conn.dialect.name == "postgresql":
        return _copy(conn, table, rows)
    return _executemany(conn, table, rows)


def _driver_cursor(conn: Connection) -> Any:
    """A cursor of the DBAPI connection under `conn` (the driver's own, not SQLAlchemy's)."""
    driver = conn.connection.driver_connection
    assert driver is not None  # None only once the connection is closed or invalidated
    return driver.cursor()


def _executemany(conn: Connection, table: Table, rows: Iterable[Sequence[Any]]) -> int:
    """sqlite3's executemany on the connection's own DBAPI connection (so inside its transaction), fed straight
    from the iterator: no per-row dictionaries or SQLAlchemy parameter processing (every column is text, an
    integer or bytes, which sqlite3 binds as they are), and no more than one row in memory at a time."""
    preparer = conn.dialect.identifier_preparer
    columns = ", ".join(preparer.quote(column.name) for column in table.columns)
    marks = ", ".join("?" * len(table.columns))
    cursor = _driver_cursor(conn)
    try:
        cursor.executemany(f"INSERT INTO {preparer.format_table(table)} ({columns}) VALUES ({marks})", rows)
        return int(cursor.rowcount)  # sqlite3 sums an executemany's inserted rows
    finally:
        cursor.close()


def _copy(conn: Connection, table: Table, rows: Iterable[Sequence[Any]]) -> int:
    """psycopg 3's COPY FROM STDIN inside the connection's own transaction, in PostgreSQL's binary format: no
    escaping of text on the way (and bytea goes as it is, not as hex text), so about 1.5× faster than text COPY.
    Binary COPY takes each value as its column's exact type: rows hold str, int, bytes and bool as the schema."""
    preparer = conn.dialect.identifier_preparer
    columns = ", ".join(preparer.quote(column.name) for column in table.columns)
    types = [column.type.compile(dialect=conn.dialect).lower() for column in table.columns]
    cursor = _driver_cursor(conn)
    count = 0
    with cursor.copy(f"COPY {preparer.format_table(table)} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
