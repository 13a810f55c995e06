"""The app's one reading of the wall clock: the local time now, and today's date.

Everything that needs "now" or "today" asks here: audit stamps (through `ecrf.store.clock.Clock`), the
future-date check and the schedule. So a test run can fix one clock for all of them (tests/conftest.py
does, so that a run crossing midnight never sees two different days). There is deliberately no setting
or environment variable for it: the clock of a real site is the PC's clock."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime


def _system_now() -> datetime:
    return datetime.now().astimezone()


_source: Callable[[], datetime] = _system_now


def local_now() -> datetime:
    """An aware datetime in the PC's time zone."""
    return _source()


def today() -> date:
    return local_now().date()


def use_source(source: Callable[[], datetime]) -> None:
    """Replace the clock for the whole process (tests only: the suite's one fixed clock)."""
    global _source
    _source = source
