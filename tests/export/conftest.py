"""Export tests: the demo site read once into export records, and a signing identity made once per run."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from ecrf import __version__
from ecrf.export.bundle.identity import SigningIdentity, new_identity
from ecrf.export.records import ExportContext
from tests.export.helpers import DemoRecords


@pytest.fixture(scope="session")
def identity() -> SigningIdentity:
    return new_identity("MSC-COVID19", "DEMO", "Demo hospital (synthetic data)", datetime.now(UTC))


@pytest.fixture(scope="session")
def demo_records(demo_template: Path, study) -> DemoRecords:  # type: ignore[no-untyped-def]
    """The 20-subject demo as the exporter sees it (read from the session's demo template, not copied)."""
    from ecrf.services import export_records
    from ecrf.services.auth import login

    session = login(demo_template / "site.db", study, "nurse", "demo-nurse-2020")
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
    import shutil

    from ecrf.services.auth import login
    from ecrf.services.export import export_bundle

    root = tmp_path_factory.mktemp("demo-bundle")
    shutil.copytree(demo_template, root / "site")
    out = root / "out"
    out.mkdir()
    session = login(root / "site" / "site.db", study, "nurse", "demo-nurse-2020")
    try:
        return export_bundle(session, out).path
    finally:
        session.close()
