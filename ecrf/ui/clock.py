"""The one clock the user sees: every time on screen is the site's local time with its UTC offset,
e.g. "2026-12-03 14:05 (UTC+01:00)".

The database keeps UTC (plus the offset of the PC that wrote each audit event). Showing UTC in one place and
local time in another made 27 minutes look like 8 hours, so every screen formats times here and nowhere else
(tests/test_ui_clock.py greps the UI for other time formatting). The offset is the one in force at that moment
in the PC's time zone, so a winter and a summer time each carry their own."""
from __future__ import annotations

from datetime import UTC, datetime, tzinfo

MINUTES, SECONDS = "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"


def parse(moment: str | datetime) -> datetime | None:
    """An aware datetime from stored UTC text ("…T13:05:12.123456Z", "…+00:00", or without a zone: UTC)."""
    if isinstance(moment, datetime):
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(moment.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def offset_text(moment: datetime) -> str:
    """ "UTC+01:00" for the offset of an aware datetime."""
    offset = moment.utcoffset()
    return offset_label(int(offset.total_seconds() // 60) if offset is not None else 0)


def offset_label(minutes: int) -> str:
    """ "UTC+08:00", "UTC-02:30" for an offset in minutes (as the audit trail stores the writer's)."""
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def local(moment: str | datetime, zone: tzinfo | None = None) -> datetime | None:
    """The moment in `zone` (default: this PC's time zone, with its daylight-saving rules)."""
    parsed = parse(moment)
    if parsed is None:
        return None
    return parsed.astimezone(zone) if zone is not None else parsed.astimezone()


def shown_time(moment: str | datetime | None, *, seconds: bool = False, zone: tzinfo | None = None) -> str:
    """ "2026-12-03 14:05 (UTC+01:00)"; "" for no time; unreadable text is shown as it is (never hidden)."""
    if moment is None or moment == "":
        return ""
    here = local(moment, zone)
    if here is None:
        return str(moment)
    return f"{here.strftime(SECONDS if seconds else MINUTES)} ({offset_text(here)})"


def shown_date(moment: str | datetime | None, zone: tzinfo | None = None) -> str:
    """The local date of a moment ("2026-12-03"), for short sentences that name only the day."""
    here = local(moment, zone) if moment else None
    return here.strftime("%Y-%m-%d") if here is not None else (str(moment) if moment else "")


def zone_label(zone: tzinfo | None = None) -> str:
    """ "UTC+01:00" now, for column headers and captions that say which clock the times are in."""
    now = datetime.now(UTC)
    return offset_text(now.astimezone(zone) if zone is not None else now.astimezone())
