"""The installations whose data the merged data set holds, in the one order every output uses.

Order is by site code, then installation id (by code point, the same on every database): what the people call
the site first, so a statistician finds
CN01 before CN02, and the installation id to make the order total when one site has had two PCs. Each source
gets a `qualifier` for the names that must be unique in one file (ODM user and location OIDs): the site code,
or the site code and the installation id when two installations share a code.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from ecrf.merge.central import schema
from ecrf.merge.outputs.errors import MergedOutputError
from ecrf.study.model import Study


@dataclass(frozen=True)
class Source:
    installation_id: str
    site_code: str
    site_name: str
    qualifier: str
    study_oid: str
    definition_fingerprint: str
    export_sequence: int
    bundle_sha256: str
    manifest_sha256: str
    data_as_of: str
    site_state: str


def merged_sources(conn: Connection, study: Study, database: str) -> list[Source]:
    """Every source, ordered; refused when there is none, or when they are not all of this study definition."""
    table = schema.sources
    # Sorted here, not by the database: PostgreSQL's collation may order 'cn-2' and 'CN10' unlike SQLite's bytes.
    rows = sorted(conn.execute(select(table)).all(), key=lambda row: (row.site_code, row.installation_id))
    if not rows:
        raise MergedOutputError("merged-nothing-merged", database=database)
    codes = Counter(row.site_code for row in rows)
    found = [Source(
        installation_id=row.installation_id, site_code=row.site_code, site_name=row.site_name,
        qualifier=row.site_code if codes[row.site_code] == 1 else f"{row.site_code}.{row.installation_id}",
        study_oid=row.study_oid, definition_fingerprint=row.definition_fingerprint,
        export_sequence=row.export_sequence, bundle_sha256=row.bundle_sha256, manifest_sha256=row.manifest_sha256,
        data_as_of=row.data_as_of, site_state=row.site_state) for row in rows]
    for source in found:
        if source.study_oid != study.info.oid:
            raise MergedOutputError("merged-other-study", site=source.site_code, found=source.study_oid,
                                    expected=study.info.oid)
        if source.definition_fingerprint != study.fingerprint:
            # the dictionary, the wide columns and the XPT types come from the definition: they must be the sites'
            raise MergedOutputError("merged-definition-differs", site=source.site_code,
                                    found=source.definition_fingerprint[:16], expected=study.fingerprint[:16])
    return found


def newest_as_of(sources: list[Source]) -> str:
    """The newest audit head time of the sources, as its site wrote it: the one time the data set is dated by
    (never the clock, so the same merged data gives the same files)."""
    return max(sources, key=lambda source: as_utc(source.data_as_of)).data_as_of


def as_utc(text: str) -> datetime:
    """An ISO 8601 time as an aware UTC datetime (a time without offset is taken as UTC, as ecrf stores it)."""
    moment = datetime.fromisoformat(text)  # Python 3.11 reads a trailing Z
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
