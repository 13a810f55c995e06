"""The CSV files of a bundle, written as the subjects stream past (one open file per output).

Nothing here reads the export time or sequence number: the same records give byte-identical files.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from operator import attrgetter
from pathlib import Path

from ecrf.errors import Bug
from ecrf.export.bundle import layout
from ecrf.export.csv.dictionary import write_dictionary
from ecrf.export.csv.long import LONG_HEADER, LongRows
from ecrf.export.csv.safe import Cell, CsvFile
from ecrf.export.csv.wide import WideLayout
from ecrf.export.records import (
    AuditRecord,
    ExportContext,
    LockRecord,
    QueryMessageRecord,
    QueryRecord,
    SdvRecord,
    SignatureRecord,
    SubjectRecord,
    VisitRecord,
)


def _names(record_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(record_type))


def _row_of(record_type: type) -> attrgetter[tuple[Cell, ...]]:
    """The record's fields as one row, in field order. Their values are plain cells, so this shallow read is
    what `dataclasses.astuple` gives, without its deep copy of every value (a tenth of the export time)."""
    return attrgetter(*_names(record_type))


# The subject's own fields; its visits, forms, events … have files of their own. `label` is called
# `subject` as in every other file, so the files join on it.
SUBJECT_FIELDS = tuple(f.name for f in fields(SubjectRecord) if not str(f.type).startswith("tuple"))
SUBJECTS_HEADER = tuple("subject" if name == "label" else name for name in SUBJECT_FIELDS)
VISITS_HEADER = ("subject", *_names(VisitRecord))
AUDIT_HEADER = _names(AuditRecord)
# A query is one row; its thread (`messages`) has a file of its own, joined on query_id.
QUERY_FIELDS = tuple(name for name in _names(QueryRecord) if name != "messages")
QUERIES_HEADER = QUERY_FIELDS
QUERY_MESSAGES_HEADER = _names(QueryMessageRecord)
SDV_HEADER = _names(SdvRecord)
SIGNATURES_HEADER = _names(SignatureRecord)
LOCKS_HEADER = _names(LockRecord)
_ROWS = {record_type: _row_of(record_type) for record_type in
         (VisitRecord, AuditRecord, QueryMessageRecord, SdvRecord, SignatureRecord, LockRecord)}


class CsvPart:
    """BundlePart for every file under `csv/` (ecrf.export.parts)."""

    def __init__(self) -> None:
        self._files: dict[str, CsvFile] = {}
        self._wide: dict[str, tuple[WideLayout, CsvFile]] = {}
        self._long: LongRows | None = None
        self._last_seq = 0

    def begin(self, ctx: ExportContext) -> None:
        self._staging = ctx.staging
        write_dictionary(ctx.study, ctx.staging)
        self._long = LongRows(ctx.study, ctx.site)
        for path, header in ((layout.ITEMS_LONG, LONG_HEADER), (layout.SUBJECTS, SUBJECTS_HEADER),
                             (layout.VISITS, VISITS_HEADER), (layout.QUERIES, QUERIES_HEADER),
                             (layout.QUERY_MESSAGES, QUERY_MESSAGES_HEADER), (layout.SDV, SDV_HEADER),
                             (layout.SIGNATURES, SIGNATURES_HEADER), (layout.LOCKS, LOCKS_HEADER),
                             (layout.AUDIT_TRAIL, AUDIT_HEADER)):
            self._open(path, header)
        for code, form in ctx.study.forms.items():
            wide = WideLayout(form)
            self._wide[code] = (wide, self._open(layout.form_csv(code), wide.header))

    def add_subject(self, subject: SubjectRecord) -> None:
        if self._long is None:
            raise Bug("CsvPart.add_subject before begin")
        self._files[layout.SUBJECTS].write([getattr(subject, name) for name in SUBJECT_FIELDS])
        visit_row = _ROWS[VisitRecord]
        for visit in subject.visits:
            self._files[layout.VISITS].write((subject.label, *visit_row(visit)))
        items_long = self._files[layout.ITEMS_LONG]
        for row in self._long.rows(subject):
            items_long.write(row)
        for instance in subject.forms:
            wide = self._wide.get(instance.form)
            if wide is not None:  # a form the definition no longer has: its values are in items_long only
                wide[1].write(wide[0].row(subject.label, subject.screening_no, instance))
        for query in subject.queries:
            self._files[layout.QUERIES].write([getattr(query, name) for name in QUERY_FIELDS])
            self._write_all(layout.QUERY_MESSAGES, query.messages)
        self._write_all(layout.SDV, subject.sdv)
        self._write_all(layout.SIGNATURES, subject.signatures)
        self._write_all(layout.LOCKS, subject.locks)

    def add_audit_event(self, event: AuditRecord) -> None:
        if event.seq <= self._last_seq:  # the exporter's promise; a broken order would hide a gap in the chain
            raise Bug(f"audit event {event.seq} arrived after {self._last_seq}")
        self._last_seq = event.seq
        self._files[layout.AUDIT_TRAIL].write(_ROWS[AuditRecord](event))

    def finish(self) -> None:
        self.close()

    def close(self) -> None:
        for out in self._files.values():
            out.close()

    @property
    def row_counts(self) -> dict[str, int]:
        """Data rows written per bundle path (header not counted), e.g. items_long = the item values."""
        return {path: out.rows for path, out in sorted(self._files.items())}

    def _open(self, path: str, header: Sequence[str]) -> CsvFile:
        if path in self._files:  # two form codes that make the same file name
            raise Bug(f"two CSV files would be written to {path}")
        self._files[path] = out = CsvFile(self._staging / Path(path), header)
        return out

    def _write_all(self, path: str,
                   records: Sequence[QueryMessageRecord | SdvRecord | SignatureRecord | LockRecord]) -> None:
        out = self._files[path]
        for record in records:
            out.write(_ROWS[type(record)](record))
