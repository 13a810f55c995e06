"""Export of the audit trail screen's filtered view to CSV, for a monitor or an inspector.

UTF-8 with a byte-order mark, so that Excel on Windows shows Chinese text instead of mojibake. The export is
itself an audit event (like a bundle export): who exported which events to which file, with the file's SHA-256.
The file gets its name only in the transaction that records it, so there is never a file without its event
nor an event without its file."""
from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ecrf.atomic import sync_folder, write_temporary
from ecrf.services.audit_trail import EventView, TrailFilter, page
from ecrf.services.errors import ExportFailed
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.store.audit import Change

EXPORTED = "audit_trail_exported"
BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel: a reason typed as "=HYPERLINK(…)" would run when
# the inspector opens the file. Such cells get a leading apostrophe, which Excel shows as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # CRLF: what Excel and the RFC expect
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return BOM + out.getvalue()


def export_csv(session: SiteSession, where: TrailFilter, target: Path, header: Sequence[str],
               row: Callable[[EventView], Sequence[str]], filter_text: str) -> int:
    """Write every event of `where` (newest first, as on screen) to `target`, one `row(event)` each, and audit
    it; `filter_text` says in words which filter was set. Returns the number of events written."""
    session.require(Do.READ_AUDIT)
    events = _all_events(session, where)
    data = csv_text(header, [row(e) for e in events]).encode("utf-8")
    try:
        temporary = write_temporary(target, data)
    except OSError as exc:
        raise ExportFailed("audit-export-failed", path=target, reason=exc.strerror or exc) from None
    try:
        with session.write(Do.READ_AUDIT) as tx:
            tx.audit(Change(EXPORTED, item=target.name, reason=filter_text or "no filter",
                            new_value=f"{len(events)} events, sha256 {hashlib.sha256(data).hexdigest()}"))
            tx.db.flush()
            os.replace(temporary, target)  # inside the transaction: a failed rename rolls the event back
    except OSError as exc:
        raise ExportFailed("audit-export-failed", path=target, reason=exc.strerror or exc) from None
    finally:
        Path(temporary).unlink(missing_ok=True)
    sync_folder(target.parent)
    return len(events)


def _all_events(session: SiteSession, where: TrailFilter) -> list[EventView]:
    events: list[EventView] = []
    while batch := page(session, where, before_seq=events[-1].seq if events else None, size=2000):
        events += batch
    return events
