"""Export tests: the demo site read once into export records, and a signing identity made once per run."""
from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from run_once import made_once_per_run

from ecrf import __version__
from ecrf.export.bundle.identity import SigningIdentity, new_identity
from ecrf.export.records import ExportContext
from tests.export.helpers import DemoRecords


@pytest.fixture(scope="session")
def identity() -> SigningIdentity:
    return new_identity("MSC-COVID19", "DEMO", "Demo hospital (synthetic data)", datetime.now(UTC))


@pytest.fixture(scope="session")
def demo_records(demo_template: Path, tmp_path_factory, study) -> DemoRecords:  # type: ignore[no-untyped-def]
    """The 20-subject demo as the exporter sees it (read from a copy of the session's demo template)."""
    from ecrf.services import export_records
    from ecrf.services.auth import login

    site = tmp_path_factory.mktemp("demo-records") / "site"
    shutil.copytree(demo_template, site)  # the template is shared by every worker: never log in to it
    session = login(site / "site.db", study, "nurse", "demo-nurse-2020")
    try:
        with session.read() as db:
            return DemoRecords(export_records.site_facts(db), export_records.users(db),
                               tuple(export_records.iter_subjects(db, study)),
                               tuple(export_records.iter_audit(db)))
    finally:
        session.close()


@pytest.fixture
def export_context(tmp_path: Path, study, demo_records: DemoRecords, identity: SigningIdentity) -> ExportContext:  # type: ignore[no-untyped-def]
    staging = tmp_path / "staging"
    staging.mkdir()
    return ExportContext(study=study, site=demo_records.site, users=demo_records.users, identity=identity,
                         staging=staging, export_seq=1, created_at="2026-11-25T09:00:00.000000Z",
                         app_version=__version__, subject_count=len(demo_records.subjects))


@pytest.fixture(scope="session")
def demo_bundle(demo_template: Path, tmp_path_factory, study) -> Path:  # type: ignore[no-untyped-def]
    """A real bundle exported by the demo's nurse from a copy of the demo site (made once per run)."""
    from ecrf.services.auth import login
    from ecrf.services.export import export_bundle

    def make(root: Path) -> None:
        shutil.copytree(demo_template, root / "site")
        (root / "out").mkdir()
        session = login(root / "site" / "site.db", study, "nurse", "demo-nurse-2020")
        try:
            export_bundle(session, root / "out")
        finally:
            session.close()

    out = made_once_per_run(tmp_path_factory, "demo-bundle", make) / "out"
    [bundle] = [p for p in out.iterdir() if p.suffix == ".zip"]
    return bundle
