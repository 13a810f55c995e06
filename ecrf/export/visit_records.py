"""The monitoring visit report as plain records: made by `ecrf.services.visit_report`, printed by
`ecrf.export.pdf.visit_report` (so the PDF can be tested with hand-made data)."""
from __future__ import annotations

from dataclasses import dataclass

from ecrf.export.records import QueryRecord
from ecrf.export.sdv_progress import FormSdv


@dataclass(frozen=True)
class Period:
    since: str  # UTC text, inclusive
    until: str  # UTC text, inclusive


@dataclass(frozen=True)
class VerifiedForm:
    """The items of one form instance this user verified in the period."""

    subject: str
    visit: str
    form: str
    timepoint: str
    repeat: int
    items: tuple[str, ...]
    last_at: str
    changed_since: tuple[str, ...]  # of those, the ones whose value changed after (to re-check)


@dataclass(frozen=True)
class OutstandingForm:
    subject: str
    progress: FormSdv  # the form, "n of m verified", what changed


@dataclass(frozen=True)
class VisitReport:
    study_oid: str
    site_code: str
    site_name: str
    username: str
    full_name: str
    role: str
    period: Period
    made_at: str
    audit_head_seq: int  # the report states the site as of this audit event
    verified: tuple[VerifiedForm, ...]
    raised: tuple[QueryRecord, ...]
    answered: tuple[QueryRecord, ...]
    closed: tuple[QueryRecord, ...]  # closed or cancelled in the period
    open_queries: tuple[QueryRecord, ...]  # open or answered now, whenever raised
    outstanding: tuple[OutstandingForm, ...]  # complete forms with required SDV not done or changed since

    @property
    def items_verified(self) -> int:
        return sum(len(v.items) for v in self.verified)
