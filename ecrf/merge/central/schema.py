"""The central database's tables: the sponsor's record of every site installation, every bundle seen, and the
data of each installation's newest merged bundle, as its CSV files hold it.

The data tables mirror the bundle's CSV files column for column (the export's own headers), as text exactly as
the site wrote it (the spreadsheet guard undone), plus `source` (the installation id) and `row_no` (the row's
place in its file). So the merged data set is the sites' files again, row for row, and nothing is re-derived
on the way. A source is one installation: a site code is what the people call it, the installation id is what
signed it (a replacement PC at the same site is a new source with the same code).
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, LargeBinary, MetaData, Table, Text

from ecrf.export.bundle import layout
from ecrf.export.csv.long import LONG_HEADER
from ecrf.export.csv.part import (
    AUDIT_HEADER,
    LOCKS_HEADER,
    QUERIES_HEADER,
    QUERY_MESSAGES_HEADER,
    SDV_HEADER,
    SIGNATURES_HEADER,
    SUBJECTS_HEADER,
    VISITS_HEADER,
)

SCHEMA_VERSION = "1"
metadata = MetaData()

info = Table(
    "central_info", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

# One row per installation whose bundle was merged: what its newest merged bundle says about it.
sources = Table(
    "sources", metadata,
    Column("installation_id", Text, primary_key=True),
    Column("site_code", Text, nullable=False),
    Column("site_name", Text, nullable=False),
    Column("study_oid", Text, nullable=False),
    Column("definition_fingerprint", Text, nullable=False),
    Column("certificate_sha256", Text, nullable=False),
    Column("export_sequence", Integer, nullable=False),
    Column("manifest_sha256", Text, nullable=False),
    Column("bundle_sha256", Text, nullable=False),
    Column("head_seq", Integer, nullable=False),
    Column("head_hash", Text, nullable=False),
    Column("created_at", Text, nullable=False),  # when the site exported
    Column("data_as_of", Text, nullable=False),  # the time of the site's audit head
    Column("site_state", Text, nullable=False),  # open, frozen or locked at export
    Column("alarm", Text),  # set when a fork or rollback of this installation's history was refused
)

# Every bundle the merge has looked at, once per distinct file (by SHA-256): its outcome and why.
bundles = Table(
    "bundles", metadata,
    Column("bundle_sha256", Text, primary_key=True),
    Column("file_name", Text, nullable=False),
    Column("installation_id", Text),  # None when the manifest could not be read
    Column("site_code", Text),
    Column("study_oid", Text),
    Column("export_sequence", Integer),
    Column("head_seq", Integer),
    Column("head_hash", Text),
    Column("manifest_sha256", Text),
    Column("created_at", Text),
    Column("data_as_of", Text),
    Column("outcome", Text, nullable=False),  # accepted, superseded, covered, refused
    Column("reason", Text),  # a refusal's reason, or what covered it
    Column("alarm", Boolean, nullable=False, default=False),  # a fork, rollback or tampering: tell someone
)

# The same subject id in two installations: reported, never overwritten.
conflicts = Table(
    "conflicts", metadata,
    Column("subject", Text, primary_key=True),
    Column("bundle_sha256", Text, primary_key=True),  # the refused bundle that brought the second copy
    Column("held_by", Text, nullable=False),  # the installation whose data holds the subject
    Column("claimed_by", Text, nullable=False),
)


def _data_table(name: str, header: tuple[str, ...]) -> Table:
    return Table(name, metadata,
                 Column("source", Text, primary_key=True),
                 Column("row_no", Integer, primary_key=True),
                 *(Column(column, Text, nullable=False) for column in header))


# table name -> (the bundle file it mirrors, its columns)
DATA_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "subjects": (layout.SUBJECTS, SUBJECTS_HEADER),
    "visits": (layout.VISITS, VISITS_HEADER),
    "items_long": (layout.ITEMS_LONG, LONG_HEADER),
    "queries": (layout.QUERIES, QUERIES_HEADER),
    "query_messages": (layout.QUERY_MESSAGES, QUERY_MESSAGES_HEADER),
    "sdv": (layout.SDV, SDV_HEADER),
    "signatures": (layout.SIGNATURES, SIGNATURES_HEADER),
    "locks": (layout.LOCKS, LOCKS_HEADER),
    "audit_trail": (layout.AUDIT_TRAIL, AUDIT_HEADER),
}
DATA_TABLES: dict[str, Table] = {name: _data_table(name, header) for name, (_, header) in DATA_FILES.items()}

# The wide file of every form: its columns depend on the study, so each row is kept as a JSON array of cells.
form_rows = Table(
    "form_rows", metadata,
    Column("source", Text, primary_key=True),
    Column("form", Text, primary_key=True),
    Column("row_no", Integer, primary_key=True),
    Column("cells", Text, nullable=False),
)

# The trail's evidence beside the events (seals, key certificates), one JSON line per row as the bundle has it.
evidence_lines = Table(
    "evidence_lines", metadata,
    Column("source", Text, primary_key=True),
    Column("file", Text, primary_key=True),
    Column("row_no", Integer, primary_key=True),
    Column("line", Text, nullable=False),
)

# Whole files of the newest merged bundle kept as they are (manifest.json, manifest.sig, odm.xml).
source_files = Table(
    "source_files", metadata,
    Column("source", Text, primary_key=True),
    Column("path", Text, primary_key=True),
    Column("content", LargeBinary, nullable=False),
)

# Every table that holds one installation's data: replaced as a whole when a newer bundle is merged.
PER_SOURCE_TABLES: tuple[Table, ...] = (*DATA_TABLES.values(), form_rows, evidence_lines, source_files)
from ecrf.merge.central import sponsor_schema  # noqa: E402,F401 - the sponsor's query tables, on the same metadata
