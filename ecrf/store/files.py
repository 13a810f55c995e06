"""The files of one site: the database, its key slots, the login ledger and the instance lock."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from ecrf.atomic import write_atomic
from ecrf.store.errors import AlreadyOpen, StoreError


@dataclass(frozen=True)
class SitePaths:
    """`site.db` → `site.keys` (key slots), `site.logins` (failed logins), `site.lock` (one instance)."""

    db: Path

    @property
    def keys(self) -> Path:
        return self.db.with_suffix(".keys")

    @property
    def next_keys(self) -> Path:
        """Key slots of a rekey in progress: present only between the two steps of `rekey`."""
        return self.db.with_suffix(".keys.next")

    @property
    def logins(self) -> Path:
        return self.db.with_suffix(".logins")

    @property
    def lock(self) -> Path:
        return self.db.with_suffix(".lock")

    def companions(self) -> list[Path]:
        """Files SQLite keeps beside the database (WAL mode)."""
        return [Path(f"{self.db}-wal"), Path(f"{self.db}-shm")]


class InstanceLock:
    """An OS file lock held while a site is open: a second window or process is refused.

    The OS drops the lock when the process dies, so a crash never leaves the site locked."""

    def __init__(self, paths: SitePaths) -> None:
        self._lock = FileLock(paths.lock, timeout=0)
        self._db = paths.db

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise AlreadyOpen("already-open", db=self._db) from None
        except OSError as exc:
            raise AlreadyOpen("lock-failed", db=self._db, reason=exc.strerror or exc) from None

    def release(self) -> None:
        self._lock.release()


class LoginLedger:
    """Failed logins, kept beside the database because a wrong password cannot open the database.

    Holds usernames and times only. They are moved into the database's audit trail at the next
    successful login. Every record gets the next `serial`, which never goes back; each login records the
    serial it reached in the trail, so a file deleted or replaced since is noticed (and audited) at the next
    login. Someone who edits the serial consistently is not stopped: the file has no secret (docs/storage.md).
    A damaged file (not JSON, wrong types) is read as empty and reported as damaged, never as an error
    that locks everyone out."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.damaged = False  # the last read found a file it could not use

    def _read(self) -> dict[str, Any]:
        empty: dict[str, Any] = {"accounts": {}, "pending": [], "serial": 0}
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return empty
        except (OSError, ValueError, RecursionError):
            data = None
        if not _well_formed(data):
            # Kept as a mark in the repaired file, so the next successful login audits it.
            self.damaged = True
            return {**empty, "damaged": True}
        data.setdefault("serial", len(data["pending"]))
        self.damaged = self.damaged or bool(data.get("damaged"))
        return data

    def _write(self, data: dict[str, Any]) -> None:
        try:
            write_atomic(self.path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
        except OSError as exc:
            raise StoreError("login-ledger-unwritable", path=self.path, reason=exc.strerror or exc) from None

    @property
    def serial(self) -> int:
        """How many failed logins this file has ever recorded (continues across logins)."""
        return int(self._read()["serial"])

    def restart_at(self, serial: int) -> None:
        """After a reset was noticed: go on numbering from where the trail says the file had reached."""
        data = self._read()
        data["serial"] = max(int(data["serial"]), serial)
        data.pop("damaged", None)
        self.damaged = False
        self._write(data)

    def account(self, username: str) -> dict[str, Any]:
        """{'failures': consecutive failures, 'locked_until': UTC text or None}."""
        return self._read()["accounts"].get(username, {"failures": 0, "locked_until": None})

    def record_failure(self, username: str, at_utc: str, workstation: str, reason: str,
                       locked_until: str | None, counts: bool = True, utc_offset_min: int = 0) -> int:
        """Queue the attempt for the audit trail; `counts` adds it to the lockout counter (an attempt
        refused because the account is locked is recorded but does not lengthen the lock)."""
        data = self._read()
        account = data["accounts"].setdefault(username, {"failures": 0, "locked_until": None})
        if counts:
            account["failures"] += 1
            account["locked_until"] = locked_until
        data["serial"] = int(data["serial"]) + 1
        data["pending"].append({"id": str(uuid.uuid4()), "username": username, "at_utc": at_utc,
                                "utc_offset_min": utc_offset_min, "workstation": workstation, "reason": reason,
                                "locked_until": locked_until})
        self._write(data)
        return int(account["failures"])

    def clear(self, username: str) -> None:
        data = self._read()
        if data["accounts"].pop(username, None) is not None:
            self._write(data)

    def pending(self) -> list[dict[str, Any]]:
        return list(self._read()["pending"])

    def drop_pending(self, count: int) -> None:
        """Forget the first `count` pending records once they are committed to the database."""
        if count == 0:
            return
        data = self._read()
        data["pending"] = data["pending"][count:]
        self._write(data)


def _well_formed(data: object) -> bool:
    """The shape `LoginLedger` writes: anything else is a damaged file."""
    if not isinstance(data, dict) or not isinstance(data.get("accounts", {}), dict):
        return False
    data.setdefault("accounts", {})
    data.setdefault("pending", [])
    if not isinstance(data["pending"], list) or not isinstance(data.get("serial", 0), int):
        return False
    for account in data["accounts"].values():
        if not (isinstance(account, dict) and isinstance(account.get("failures"), int)
                and isinstance(account.get("locked_until"), str | None)):
            return False
    text = ("username", "at_utc", "workstation", "reason")
    return all(isinstance(r, dict) and all(isinstance(r.get(k), str) for k in text) for r in data["pending"])
