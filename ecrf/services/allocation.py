"""The sponsor's allocation list as a file: read safely, imported once through `subjects.import_allocation_list`
(the one door the CLI and the GUI share), and its state for the notices that say when it is missing."""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from ecrf.services import subjects
from ecrf.services.errors import InvalidInput
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.store.models import AllocationSlot

# A list of 100,000 rows is about 2 MB; anything near this is not an allocation list (or is /dev/zero).
MAX_ALLOCATION_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class AllocationState:
    needed: bool  # the study allocates subjects to arms, so the site needs the sponsor's list
    imported: bool
    entries: int
    used: int

    @property
    def missing(self) -> bool:
        return self.needed and not self.imported

    @property
    def left(self) -> int:
        return self.entries - self.used


def allocation_state(session: SiteSession) -> AllocationState:
    """Whether the list is there and how much of it is used: for the site administrator (who imports it)
    and the staff who allocate (who meet its absence)."""
    role = session.actor.role
    action = Do.IMPORT_ALLOCATION if may(role, Do.IMPORT_ALLOCATION) else Do.READ_DATA
    with session.read(action) as db:
        imported = db.scalar(select(AllocationSlot.seq).limit(1)) is not None
        entries = db.scalar(select(func.count()).select_from(AllocationSlot)) or 0
        used = db.scalar(select(func.count()).select_from(AllocationSlot)
                         .where(AllocationSlot.subject_pk.is_not(None))) or 0
    return AllocationState(bool(session.study.arms), imported, entries, used)


def import_allocation_file(session: SiteSession, given: Path) -> int:
    """Read the list's file and import it; returns the number of entries. Nothing is imported on any refusal."""
    session.require(Do.IMPORT_ALLOCATION)  # a refused role hears so before any remark on the file
    return subjects.import_allocation_list(session, read_allocation_file(given))


def read_allocation_file(given: Path) -> str:
    """The list's text: a regular file, read up to a cap, so a device or an endless pipe cannot grow the
    process until the system kills it."""
    try:
        path = given.expanduser()
        if not path.is_file():
            if not path.exists():
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT))
            raise InvalidInput("allocation-file-not-a-file", path=given)
        with open(path, "rb") as handle:
            data = handle.read(MAX_ALLOCATION_BYTES + 1)
    except (OSError, RuntimeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise InvalidInput("allocation-file-unreadable", path=given, reason=reason) from None
    if len(data) > MAX_ALLOCATION_BYTES:
        raise InvalidInput("allocation-file-too-large", path=given, limit_mb=MAX_ALLOCATION_BYTES // 2**20)
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # an .xlsx (a zip) or an old .xls
        raise InvalidInput("allocation-file-is-workbook", path=given)
    try:  # newlines as read_text() gives them, so the list's recorded digest is as before
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        raise InvalidInput("allocation-file-not-utf8", path=given) from None
