"""The merge's own record in the report: every bundle seen with its outcome and reason (alarms first), the
cross-site conflicts, and one line per merged installation."""
from __future__ import annotations

from sqlalchemy import Connection, select

from ecrf.merge.central import schema
from ecrf.merge.report.model import BundleLine, ConflictLine, SiteLine
from ecrf.merge.report.read import Row, SiteRows

OUTCOME_ORDER = {"refused": 0, "covered": 1, "superseded": 2, "accepted": 3}


def bundle_lines(conn: Connection) -> tuple[BundleLine, ...]:
    """Alarms first and refusals next, then by site and export number: the reader sees trouble at the top."""
    lines = [BundleLine(file_name=str(row["file_name"]), site_code=row["site_code"] or "",
                        installation_id=row["installation_id"] or "", export_sequence=row["export_sequence"],
                        created_at=row["created_at"] or "", data_as_of=row["data_as_of"] or "",
                        outcome=str(row["outcome"]), reason=row["reason"] or "", alarm=bool(row["alarm"]))
             for row in conn.execute(select(schema.bundles)).mappings()]
    return tuple(sorted(lines, key=lambda b: (not b.alarm, OUTCOME_ORDER.get(b.outcome, 9), b.site_code,
                                              b.export_sequence or 0, b.file_name)))


def conflict_lines(conn: Connection) -> tuple[ConflictLine, ...]:
    names = {str(r["installation_id"]): installation_name(r["site_code"], r["installation_id"])
             for r in conn.execute(select(schema.bundles).where(schema.bundles.c.installation_id.is_not(None))
                                   .order_by(schema.bundles.c.bundle_sha256)).mappings()}
    files = {str(r["bundle_sha256"]): str(r["file_name"])
             for r in conn.execute(select(schema.bundles.c.bundle_sha256, schema.bundles.c.file_name)).mappings()}
    rows = conn.execute(select(schema.conflicts).order_by(schema.conflicts.c.subject,
                                                          schema.conflicts.c.bundle_sha256)).mappings()
    return tuple(ConflictLine(subject=str(r["subject"]), held_by=names.get(r["held_by"], str(r["held_by"])),
                              claimed_by=names.get(r["claimed_by"], str(r["claimed_by"])),
                              bundle_file=files.get(r["bundle_sha256"], str(r["bundle_sha256"])[:12]))
                 for r in rows)


def installation_name(site_code: object, installation_id: object) -> str:
    """A site as people call it, with enough of the installation id to tell two PCs of one site apart."""
    return f"{site_code} ({str(installation_id)[:8]})"


def site_line(site: SiteRows) -> SiteLine:
    source: Row = site.source
    return SiteLine(site_code=site.code, site_name=str(source["site_name"]),
                    installation_id=str(source["installation_id"]), export_sequence=int(source["export_sequence"]),
                    created_at=str(source["created_at"]), data_as_of=str(source["data_as_of"]),
                    site_state=str(source["site_state"]), alarm=source["alarm"] or "",
                    screened=len(site.subjects), allocated=sum(1 for s in site.subjects if s["day0"] and s["arm"]))
