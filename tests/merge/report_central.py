"""A central database for the report tests: the five sites' newest real bundles loaded with the merge's own
`replace_source`, and a record of bundles and conflicts written by hand (accepted, covered, refused with
reasons, one alarm), as the merge engine would leave them."""
from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine, insert, update

from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.bundle_read import BundleFacts, bundle_facts, file_sha256
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.merge.load import replace_source
from ecrf.study.model import Study
from tests.merge.site_bundles import MultiSite

FORK_REASON = "Fork: export 2 does not hold the audit head merged from export 2 of this installation"
TAMPER_REASON = "The file csv/items_long.csv does not match its hash in the manifest"


def facts_of(path: Path) -> BundleFacts:
    with SafeZip(path) as bundle:
        return bundle_facts(bundle, file_sha256(path))


def central_with_sites(target: Path | str, multi_site: MultiSite, study: Study) -> Engine:
    engine = open_central(target)
    with engine.begin() as conn:
        for site in multi_site.sites:
            newest = site.bundles[-1]
            with SafeZip(newest) as bundle:
                replace_source(conn, bundle, bundle_facts(bundle, file_sha256(newest)), study)
            for path in site.bundles:
                facts = facts_of(path)
                outcome = "accepted" if path == newest else "superseded"
                conn.execute(insert(schema.bundles).values(_bundle_row(path, facts, outcome, None, False)))
        _extra_bundles(conn, multi_site)
    return engine


def _bundle_row(path: Path, facts: BundleFacts, outcome: str, reason: str | None, alarm: bool) -> dict[str, object]:
    return {"bundle_sha256": facts.bundle_sha256, "file_name": path.name,
            "installation_id": facts.installation_id, "site_code": facts.site_code, "study_oid": facts.study_oid,
            "export_sequence": facts.sequence, "head_seq": facts.head_seq, "head_hash": facts.head_hash,
            "manifest_sha256": facts.manifest_sha256, "created_at": facts.created_at,
            "data_as_of": facts.data_as_of, "outcome": outcome, "reason": reason, "alarm": alarm}


def _extra_bundles(conn, multi_site: MultiSite) -> None:  # type: ignore[no-untyped-def]
    """CN01's export 1 again under another name (covered), a refused fork of CN02 (an alarm), a tampered file
    without facts, and the twin CN05 whose subjects clash with CN05's (a conflict)."""
    cn01, cn02, cn05 = (multi_site.site(c) for c in ("CN01", "CN02", "CN05"))
    first = facts_of(cn01.bundles[0])
    conn.execute(insert(schema.bundles).values(
        {**_bundle_row(cn01.bundles[0], first, "covered", "Covered by export 3 (already merged)", False),
         "bundle_sha256": "c" * 64, "file_name": "copy of " + cn01.bundles[0].name}))
    fork = facts_of(cn02.bundles[1])
    conn.execute(insert(schema.bundles).values(
        {**_bundle_row(cn02.bundles[1], fork, "refused", FORK_REASON, True), "bundle_sha256": "a" * 64,
         "file_name": "CN02_restored_export0002.zip"}))
    conn.execute(update(schema.sources).where(schema.sources.c.installation_id == fork.installation_id)
                 .values(alarm=FORK_REASON))
    conn.execute(insert(schema.bundles).values(
        bundle_sha256="b" * 64, file_name="damaged.zip", installation_id=None, site_code=None, study_oid=None,
        export_sequence=None, head_seq=None, head_hash=None, manifest_sha256=None, created_at=None,
        data_as_of=None, outcome="refused", reason=TAMPER_REASON, alarm=False))
    twin = facts_of(multi_site.twin.bundles[0])
    conn.execute(insert(schema.bundles).values(
        {**_bundle_row(multi_site.twin.bundles[0], twin, "refused", "Subject ids already held by CN05", False),
         "bundle_sha256": twin.bundle_sha256}))
    held = facts_of(cn05.bundles[-1]).installation_id
    for subject in ("CN05-001", "CN05-002"):
        conn.execute(insert(schema.conflicts).values(subject=subject, bundle_sha256=twin.bundle_sha256,
                                                     held_by=held, claimed_by=twin.installation_id))


_built: dict[str, Path] = {}


def central_copy(folder: Path, multi_site: MultiSite, study: Study) -> Path:
    """A central database of its own for one test (built once per process, copied: each test may change it)."""
    if "db" not in _built or not _built["db"].exists():
        first = folder / "built-central.db"
        central_with_sites(first, multi_site, study).dispose()
        _built["db"] = first
    copy = folder / "central.db"
    shutil.copyfile(_built["db"], copy)
    return copy
