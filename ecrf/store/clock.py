"""Wall-clock time for audit events: UTC plus the PC's offset, and the workstation's name.

Injected (not read globally) so tests can run the clock backwards and the audit trail can be seen to
record it."""
from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ecrf.study.clock import local_now

UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width, so text order is time order


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(UTC_FORMAT)


def parse_utc(text: str) -> datetime:
    return datetime.strptime(text, UTC_FORMAT).replace(tzinfo=UTC)


@dataclass
class Clock:
    """`now()` is an aware local datetime; tests replace `source`."""

    source: Callable[[], datetime] = field(default=local_now)
    workstation: str = field(default_factory=socket.gethostname)

    def now(self) -> datetime:
        moment = self.source()
        return moment if moment.tzinfo else moment.astimezone()

    def stamp(self) -> tuple[str, int]:
        """(UTC text, local offset in minutes) for one event."""
        moment = self.now()
        offset = moment.utcoffset()
        return utc_text(moment), int(offset.total_seconds() // 60) if offset else 0
