"""Value types that are not plain Python: partial dates and missing-data codes."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Missing:
    """A missing-data code (ND not done, UNK unknown, NA not applicable) given instead of a value."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class PartialDate:
    """A date with an unknown day, or unknown month and day (CDISC: 2020-02-UN → ISO 8601 "2020-02")."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """ISO 8601 with the unknown parts left off, as SDTM --DTC variables want."""
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def entry_text(self) -> str:
        """The form shown to and typed by users: 2020-02-UN."""
        month = f"{self.month:02d}" if self.month else "UN"
        day = f"{self.day:02d}" if self.day else "UN"
        return f"{self.year:04d}-{month}-{day}"

    def __str__(self) -> str:
        return self.entry_text()


def date_bounds(value: object) -> tuple[date, date] | None:
    """(earliest, latest) for a date or partial date; None for anything else."""
    if isinstance(value, PartialDate):
        return value.earliest, value.latest
    if isinstance(value, date):
        day = value.date() if hasattr(value, "date") and callable(value.date) else value
        return day, day
    return None


def is_missing(value: object) -> bool:
    return value is None or isinstance(value, Missing) or value == "" or value == ()
