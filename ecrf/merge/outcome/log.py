"""The merge's own record in the central database: every distinct bundle file seen (`bundles`), an installation's
alarm (`sources.alarm`), and the lock that keeps two merges into one database from deciding on the same state.

Rows here are written in the same transaction as what they describe: an accepted bundle's row commits with its
data, so the log never says "accepted" for data that are not there, nor the reverse.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select, update

from ecrf.merge.bundle_read import BundleFacts
from ecrf.merge.central import schema
from ecrf.merge.intake import Claim
from ecrf.merge.outcome.run import ACCEPTED, COVERED, SUPERSEDED, BundleOutcome, CentralTotals

MERGED_OUTCOMES = (ACCEPTED, SUPERSEDED, COVERED)  # a file with one of these is never checked again


@dataclass(frozen=True)
class Known:
    """A file merged before: enough to say what it was without opening it."""

    outcome: str
    site_code: str | None
    installation_id: str | None
    sequence: int | None


def merged_files(conn: Connection) -> dict[str, Known]:
    """SHA-256 → what it was, for every file accepted (possibly since superseded) or covered."""
    table = schema.bundles
    rows = conn.execute(select(table.c.bundle_sha256, table.c.outcome, table.c.site_code, table.c.installation_id,
                               table.c.export_sequence).where(table.c.outcome.in_(MERGED_OUTCOMES)))
    return {r.bundle_sha256: Known(r.outcome, r.site_code, r.installation_id, r.export_sequence) for r in rows}


def take_merge_lock(conn: Connection) -> None:
    """Begin writing at once (an UPDATE takes SQLite's write lock and a row lock on PostgreSQL): a second
    merge into the same database waits here, so each decision is taken on the state it is written over."""
    info = schema.info
    conn.execute(update(info).where(info.c.key == "schema_version").values(value=info.c.value))


def record_bundle(conn: Connection, outcome: BundleOutcome, facts: BundleFacts | None, claim: Claim | None) -> None:
    """The bundle's row (one per distinct file: a refused file tried again gets its new outcome)."""
    table = schema.bundles
    conn.execute(delete(table).where(table.c.bundle_sha256 == outcome.sha256))
    row: dict[str, object] = {"bundle_sha256": outcome.sha256, "file_name": outcome.path.name,
                              "outcome": outcome.outcome, "reason": outcome.reason or None, "alarm": outcome.alarm}
    if facts is not None:
        row |= {"installation_id": facts.installation_id, "site_code": facts.site_code,
                "study_oid": facts.study_oid, "export_sequence": facts.sequence, "head_seq": facts.head_seq,
                "head_hash": facts.head_hash, "manifest_sha256": facts.manifest_sha256,
                "created_at": facts.created_at, "data_as_of": facts.data_as_of}
    elif claim is not None:  # not verified: what it claimed, for the report to name it
        row |= {"installation_id": claim.installation_id, "site_code": claim.site_code,
                "export_sequence": claim.sequence, "head_seq": claim.head_seq}
    conn.execute(insert(table).values(**row))


def supersede(conn: Connection, installation_id: str) -> None:
    """The installation's accepted bundle no longer stands for it: a newer one is about to."""
    table = schema.bundles
    conn.execute(update(table).where(table.c.installation_id == installation_id, table.c.outcome == ACCEPTED)
                 .values(outcome=SUPERSEDED))


def set_alarm(conn: Connection, installation_id: str, reason: str | None) -> None:
    """Keep the alarm on the installation (a later good bundle does not make a refused fork go away)."""
    sources = schema.sources
    conn.execute(update(sources).where(sources.c.installation_id == installation_id).values(alarm=reason))


def central_totals(conn: Connection) -> CentralTotals:
    subjects, items = schema.DATA_TABLES["subjects"], schema.DATA_TABLES["items_long"]
    count = func.count()
    return CentralTotals(
        sites=conn.execute(select(func.count(func.distinct(schema.sources.c.site_code)))).scalar() or 0,
        subjects=conn.execute(select(count).select_from(subjects)).scalar() or 0,
        values=conn.execute(select(count).select_from(items)).scalar() or 0)
