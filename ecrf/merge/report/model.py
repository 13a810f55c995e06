"""What the merge report says, as plain data: `report_data` fills it from the central database, the HTML and PDF
writers only lay it out. Every number of a chart is also here, so each chart has its table.

Dates are ISO text (`YYYY-MM-DD`), times UTC ISO text as the sites wrote them.
"""
from __future__ import annotations

from dataclasses import dataclass

QUERY_AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (  # label, first day, last day (None: no end)
    ("0–7 days", 0, 7), ("8–14 days", 8, 14), ("15–30 days", 15, 30), ("31–60 days", 31, 60),
    ("over 60 days", 61, None))
NOT_ALLOCATED = "Not allocated"
NOT_GRADED = "Not graded"


@dataclass(frozen=True)
class BundleLine:
    """One bundle the merge looked at, and what became of it."""

    file_name: str
    site_code: str
    installation_id: str
    export_sequence: int | None
    created_at: str
    data_as_of: str
    outcome: str  # accepted, superseded, covered, refused
    reason: str
    alarm: bool


@dataclass(frozen=True)
class ConflictLine:
    subject: str
    held_by: str  # site code (installation) that holds the subject
    claimed_by: str
    bundle_file: str


@dataclass(frozen=True)
class SiteLine:
    site_code: str
    site_name: str
    installation_id: str
    export_sequence: int
    created_at: str
    data_as_of: str
    site_state: str
    alarm: str  # '' when none
    screened: int
    allocated: int


@dataclass(frozen=True)
class Series:
    """Cumulative counts by date: one line of a chart (a site or an arm)."""

    label: str
    points: tuple[tuple[str, int], ...]  # (date, cumulative count), dates ascending

    def at(self, day: str) -> int:
        """The cumulative count on `day` (0 before the first point)."""
        count = 0
        for point_day, value in self.points:
            if point_day > day:
                break
            count = value
        return count

    @property
    def total(self) -> int:
        return self.points[-1][1] if self.points else 0


@dataclass(frozen=True)
class Enrolment:
    dates: tuple[str, ...]  # every allocation date of any site, ascending
    by_site: tuple[Series, ...]
    by_arm: tuple[Series, ...]


@dataclass(frozen=True)
class CompletenessLine:
    visit: str  # visit code ('' none)
    visit_label: str
    form: str
    form_label: str
    expected: int
    complete: int


@dataclass(frozen=True)
class QueryAgeLine:
    site_code: str
    buckets: tuple[int, ...]  # open or answered queries per QUERY_AGE_BUCKETS
    open: int
    answered: int
    oldest_days: int | None


@dataclass(frozen=True)
class SdvLine:
    site_code: str
    required: int  # items the monitoring plan asks to verify on complete forms
    verified: int  # of those, verified and unchanged
    changed: int  # verified, then changed: to verify again
    forms_outstanding: int  # complete forms whose required verification is not done


@dataclass(frozen=True)
class SignatureLine:
    site_code: str
    ended: int  # casebooks whose subject's participation ended (completed, withdrawn, died, screen failure)
    signed: int  # of those, with a valid casebook (subject) signature
    awaiting: tuple[str, ...]  # ended casebooks without a valid casebook signature
    broken: tuple[str, ...]  # subjects with a signature broken by a later change


@dataclass(frozen=True)
class AdverseEvents:
    """Adverse events by grade and arm; `form` '' when the study has no graded AE log."""

    form: str
    form_label: str
    grade_item: str
    grades: tuple[tuple[str, str], ...]  # (code, label), NOT_GRADED last
    arms: tuple[str, ...]
    events: dict[tuple[str, str], int]  # (grade code, arm) -> events
    subjects: dict[str, int]  # arm -> subjects with at least one event


@dataclass(frozen=True)
class DeathLine:
    arm: str
    allocated: int
    reached: int  # alive past Day N by the site's data-as-of date, or died by then
    died: int  # died on or before Day N


@dataclass(frozen=True)
class Deaths:
    day: int
    sources: tuple[str, ...]  # where deaths were read from, in words (form.item, subject status)
    lines: tuple[DeathLine, ...]


@dataclass(frozen=True)
class ReportData:
    study_oid: str
    study_title: str
    made_at: str
    arm_labels: dict[str, str]  # arm code -> label (English)
    bundles: tuple[BundleLine, ...]  # alarms first, then by site and export
    conflicts: tuple[ConflictLine, ...]
    sites: tuple[SiteLine, ...]
    enrolment: Enrolment
    completeness: tuple[CompletenessLine, ...]
    queries: tuple[QueryAgeLine, ...]
    sdv: tuple[SdvLine, ...]
    signatures: tuple[SignatureLine, ...]
    adverse_events: AdverseEvents
    deaths: Deaths

    @property
    def alarms(self) -> tuple[BundleLine, ...]:
        return tuple(b for b in self.bundles if b.alarm)

    def arm_label(self, code: str) -> str:
        return self.arm_labels.get(code, code)
