"""One installation's rows out of the central database, in the shapes the report's sections count over.

The central tables hold each site's CSV files as text; here they become dicts by column name, and the long
item file is regrouped into the export's own `FormRecord`s and `SdvRecord`s, so the site's SDV arithmetic
(`ecrf.export.sdv_progress`) counts the sponsor's copy exactly as it counted the site's. One source at a time:
memory stays flat in the number of sites.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, RowMapping, Table, select

from ecrf.export.records import FormRecord, SdvRecord, ValueRecord
from ecrf.merge.central import schema

Row = RowMapping
FormKey = tuple[str, str, str, str, int]  # subject, visit, form, timepoint, repeat


@dataclass
class SiteRows:
    """What the report reads of one source (installation)."""

    source: Row  # its `sources` row
    label: str = ""  # how the report names it: the site code, with the installation when two share a code
    subjects: list[Row] = field(default_factory=list)
    visits: dict[str, list[Row]] = field(default_factory=dict)  # subject -> its visits.csv rows
    forms: dict[str, list[FormRecord]] = field(default_factory=dict)  # subject -> its form instances
    queries: list[Row] = field(default_factory=list)
    sdv: dict[str, list[SdvRecord]] = field(default_factory=dict)  # subject -> its SDV marks
    signatures: list[Row] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.label or str(self.source["site_code"])

    @property
    def as_of_date(self) -> str:
        """The site's data-as-of time as a date (UTC): 'today' for that site's data."""
        return str(self.source["data_as_of"])[:10]


def parse_day(text: object) -> date | None:
    """The date of an ISO date or time text; None when there is none or it cannot be read (a report never
    stops on one odd cell: the number it would feed is left out, and the tables show what was counted)."""
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def sources(conn: Connection) -> list[Row]:
    """Every merged installation, by site code then installation id."""
    table = schema.sources
    return list(conn.execute(select(table).order_by(table.c.site_code, table.c.installation_id)).mappings())


def site_rows(conn: Connection, source: Row) -> SiteRows:
    installation = str(source["installation_id"])
    site = SiteRows(source)
    site.subjects = list(_rows(conn, schema.DATA_TABLES["subjects"], installation))
    for row in _rows(conn, schema.DATA_TABLES["visits"], installation):
        site.visits.setdefault(str(row["subject"]), []).append(row)
    site.forms = _form_records(_rows(conn, schema.DATA_TABLES["items_long"], installation))
    site.queries = list(_rows(conn, schema.DATA_TABLES["queries"], installation))
    for row in _rows(conn, schema.DATA_TABLES["sdv"], installation):
        site.sdv.setdefault(str(row["subject"]), []).append(_sdv_record(row))
    site.signatures = list(_rows(conn, schema.DATA_TABLES["signatures"], installation))
    return site


def _rows(conn: Connection, table: Table, installation: str) -> Iterator[Row]:
    query = select(table).where(table.c.source == installation).order_by(table.c.row_no)
    yield from conn.execute(query).mappings()


def _form_records(rows: Iterator[Row]) -> dict[str, list[FormRecord]]:
    """The long file's rows (one per item value) regrouped into form instances, in the file's order."""
    grouped: dict[FormKey, list[Row]] = {}
    for row in rows:
        key = (str(row["subject"]), str(row["visit"]), str(row["form"]), str(row["timepoint"]), int(row["repeat"]))
        grouped.setdefault(key, []).append(row)
    forms: dict[str, list[FormRecord]] = {}
    for (subject, visit, form, timepoint, repeat), values in grouped.items():
        first = values[0]
        forms.setdefault(subject, []).append(FormRecord(
            visit=visit, form=form, timepoint=timepoint, repeat=repeat, status=str(first["form_status"]),
            definition_version=str(first["definition_version"]), deleted=first["form_deleted"] == "true",
            deleted_reason=first["deleted_reason"] or None, updated_at=max(str(v["saved_at"]) for v in values),
            updated_by=str(first["saved_by"]),
            values=tuple(ValueRecord(str(v["item"]), v["value"] or None, v["missing"] or None, str(v["saved_at"]),
                                     str(v["saved_by"])) for v in values if v["item"])))
    return forms


def _sdv_record(row: Row) -> SdvRecord:
    return SdvRecord(subject=str(row["subject"]), visit=str(row["visit"]), form=str(row["form"]),
                     timepoint=str(row["timepoint"]), repeat=int(row["repeat"]), item=str(row["item"]),
                     state=str(row["state"]), verified_at=str(row["verified_at"]),
                     verified_by=str(row["verified_by"]), changed_at=row["changed_at"] or None)
