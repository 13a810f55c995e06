"""The writers that make a bundle's files, driven by `ecrf.export.bundle.writer` in one pass over the data.

The exporter calls `begin` once, `add_subject` for each subject (sorted by screening number), then
`add_audit_event` for every audit event in sequence order, then `finish`. `close` is always called last,
also after an error or a cancel, and must release open files (the staging folder is deleted then).
Each part writes only below `ctx.staging`, under the names of `ecrf.export.bundle.layout`, and holds at most
one subject in memory, so a 1,000-subject export runs in the same memory as a 20-subject one.
"""
from __future__ import annotations

from typing import Protocol

from ecrf.export.records import AuditRecord, ExportContext, SubjectRecord


class BundlePart(Protocol):
    def begin(self, ctx: ExportContext) -> None: ...

    def add_subject(self, subject: SubjectRecord) -> None: ...

    def add_audit_event(self, event: AuditRecord) -> None: ...

    def finish(self) -> None: ...

    def close(self) -> None: ...
