"""The same subject from two installations: a conflict to report, never one to settle by overwriting.

A subject is known by its label (the subject id once enrolled, else the screening number) and, when it has
one, its subject id. A bundle that brings a subject another installation's merged data already hold is refused
whole (nothing of it is loaded: half a site is worse than none), and each clash is written to `conflicts`
naming both installations, so the report can show who holds it and who claimed it.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, or_, select

from ecrf.export.csv.part import SUBJECTS_HEADER
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge import bundle_read
from ecrf.merge.bundle_read import BundleFacts
from ecrf.merge.central import schema
from ecrf.merge.errors import MergeError

SHOWN_AT_MOST = 5


@dataclass(frozen=True)
class Clash:
    subject: str
    held_by: str  # installation id
    held_by_site: str  # its site code


def subject_keys(bundle: SafeZip) -> set[str]:
    """Every label and non-empty subject id of the bundle's subjects.csv."""
    label, subject_id = SUBJECTS_HEADER.index("subject"), SUBJECTS_HEADER.index("subject_id")
    keys: set[str] = set()
    for row in bundle_read.table_rows(bundle, "subjects"):
        keys.update(key for key in (row[label], row[subject_id]) if key)
    return keys


def clashes(conn: Connection, keys: set[str], installation_id: str) -> list[Clash]:
    """The subjects among `keys` that another installation's merged data hold, sorted."""
    if not keys:
        return []
    subjects, sources = schema.DATA_TABLES["subjects"], schema.sources
    found = conn.execute(
        select(subjects.c.subject, subjects.c.subject_id, subjects.c.source, sources.c.site_code)
        .join(sources, sources.c.installation_id == subjects.c.source)
        .where(subjects.c.source != installation_id,
               or_(subjects.c.subject.in_(sorted(keys)), subjects.c.subject_id.in_(sorted(keys)))))
    result = {Clash(key, row.source, row.site_code)
              for row in found for key in (row.subject, row.subject_id) if key in keys}
    return sorted(result, key=lambda c: (c.subject, c.held_by))


def record_conflicts(conn: Connection, found: list[Clash], facts: BundleFacts) -> None:
    conn.execute(delete(schema.conflicts).where(schema.conflicts.c.bundle_sha256 == facts.bundle_sha256))
    rows = {c.subject: c for c in found}  # one row per subject and bundle (the table's key)
    conn.execute(insert(schema.conflicts), [
        {"subject": c.subject, "bundle_sha256": facts.bundle_sha256, "held_by": c.held_by,
         "claimed_by": facts.installation_id} for c in rows.values()])


def conflict_reason(found: list[Clash], facts: BundleFacts, file_name: str) -> str:
    subjects = ", ".join(c.subject for c in found[:SHOWN_AT_MOST])
    if len(found) > SHOWN_AT_MOST:
        subjects += f" and {len(found) - SHOWN_AT_MOST} more"
    holders = ", ".join(sorted({f"{c.held_by_site} (installation {c.held_by})" for c in found}))
    return MergeError("merge-subject-conflict", file=file_name, subjects=subjects, site=facts.site_code,
                      installation=facts.installation_id, held_by=holders).message
