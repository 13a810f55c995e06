"""Shared by the export tests: the demo as records, and driving one bundle part."""
from __future__ import annotations

from dataclasses import dataclass

from ecrf.export.records import AuditRecord, ExportContext, SiteFacts, SubjectRecord, UserRecord


@dataclass(frozen=True)
class DemoRecords:
    site: SiteFacts
    users: tuple[UserRecord, ...]
    subjects: tuple[SubjectRecord, ...]
    audit: tuple[AuditRecord, ...]

    def subject(self, label: str) -> SubjectRecord:
        return next(s for s in self.subjects if s.label == label)


def run_part(part, ctx: ExportContext, records: DemoRecords) -> None:  # type: ignore[no-untyped-def]
    """Drive one BundlePart the way ecrf.export.bundle.writer does."""
    try:
        part.begin(ctx)
        for subject in records.subjects:
            part.add_subject(subject)
        for event in records.audit:
            part.add_audit_event(event)
        part.finish()
    finally:
        part.close()
