"""Helpers of the merge engine tests: trust files, the central tables to compare, and histories that part."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ecrf.export.verify.bundle import Verdict, verify_bundle
from ecrf.merge import engine as merge_engine
from ecrf.merge.bundle_read import file_sha256
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.study.model import Study
from tests.merge.site_bundles import MultiSite, SiteBundles, export_now, screen_one

# Everything that says what the central database holds for the sites (the bundles log is left out: it says
# how the data came, which depends on the order of arrival, and is checked on its own where it matters).
COMPARED_TABLES = (*schema.PER_SOURCE_TABLES, schema.sources)


def trust_file(folder: Path, sites: list[SiteBundles]) -> str:
    """A PEM file of the sites' certificates, as `--trust` takes it."""
    path = folder / "trust.pem"
    path.write_text("".join(site.certificate.read_text(encoding="ascii") for site in sites), encoding="ascii")
    return str(path)


def all_trusted(folder: Path, multi_site: MultiSite) -> str:
    return trust_file(folder, [*multi_site.sites, multi_site.twin])


# Verdicts of bundles that verified, by (SHA-256 of the file, bytes of the trust file): see `verified_once`.
_VERIFIED: dict[tuple[str, bytes], Verdict] = {}


def verified_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The merge verifies each bundle file once per test process: a file that verified before, against a trust
    file with the same certificates, gets that verdict again (for its new private copy) instead of the ~0.4 s
    of checks. Only for tests whose subject is the order of arrival, the target or a refusal after verification,
    and their reference merges: every verdict remembered comes from a real verification of the same bytes, and a
    bundle that does not verify is always checked again."""
    def remembered(path: Path, trust: Any) -> Verdict:
        if not isinstance(trust, str) or not Path(trust).is_file():
            return verify_bundle(path, trust)
        key = (file_sha256(path), Path(trust).read_bytes())
        if key in _VERIFIED:
            known = _VERIFIED[key]
            return dataclasses.replace(known, bundle=path, problems=[], notes=list(known.notes))
        verdict = verify_bundle(path, trust)
        if verdict.ok:
            _VERIFIED[key] = dataclasses.replace(verdict, notes=list(verdict.notes))
        return verdict

    monkeypatch.setattr(merge_engine, "verify_bundle", remembered)


def central_tables(target: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every compared table's rows, in key order (bytes as bytes), to compare two central databases."""
    engine = open_central(target, create=False)
    try:
        with engine.connect() as conn:
            return {table.name: [tuple(row) for row in conn.execute(
                select(table).order_by(*table.primary_key.columns))] for table in COMPARED_TABLES}
    finally:
        engine.dispose()


def bundle_log(target: str) -> dict[str, tuple[Any, ...]]:
    """The bundles log: SHA-256 → (outcome, alarm, reason)."""
    engine = open_central(target, create=False)
    try:
        with engine.connect() as conn:
            table = schema.bundles
            return {r.bundle_sha256: (r.outcome, r.alarm, r.reason) for r in conn.execute(select(table))}
    finally:
        engine.dispose()


def forked_exports(site: SiteBundles, study: Study, folder: Path) -> tuple[Path, Path]:
    """Two histories that part from the site's after export no. 1, as a restored backup would go on:
    (a different "export 2": another subject screened; an "export 4" made by exporting three times without new
    data, whose trail ends before the real export 3's head: a rollback with a growing number)."""
    fork_site, rollback_site = folder / "fork-site", folder / "rollback-site"
    shutil.copytree(site.after_first, fork_site)
    shutil.copytree(site.after_first, rollback_site)
    screen_one(fork_site / "site.db", study)
    fork = export_now(fork_site / "site.db", study, folder / "fork")
    for _ in range(3):
        rollback = export_now(rollback_site / "site.db", study, folder / "rollback")
    return fork, rollback
