"""What the query bundle tests share: a central database with real merged site bundles, a sponsor key, a place
to ask about, and a copy of a site to import into (the fixture's sites are read-only)."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from ecrf.export.verify.bundle import verify_bundle
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.bundle_read import bundle_facts, file_sha256
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.merge.load import replace_source
from ecrf.merge.sponsor_queries import SponsorPlace
from ecrf.study.model import Study

PASSPHRASE = "sponsor passphrase for tests"
ADMIN, ADMIN_PASSWORD = "admin", "demo-admin-2020"
NURSE, NURSE_PASSWORD = "nurse", "demo-nurse-2020"


@dataclass(frozen=True)
class Central:
    path: Path

    def load(self, bundle: Path, certificate: Path, study: Study) -> None:
        """Merge one site bundle the way the merge does: only after it verified against the site's certificate."""
        verdict = verify_bundle(bundle, str(certificate))
        assert verdict.ok, verdict.problems
        engine = open_central(self.path)
        try:
            with SafeZip(bundle) as archive, engine.begin() as conn:
                replace_source(conn, archive, bundle_facts(archive, file_sha256(bundle)), study)
        finally:
            engine.dispose()

    def item_place(self, site_code: str) -> SponsorPlace:
        """An item with a value of an allocated subject of the site, at a scheduled visit."""
        engine = open_central(self.path)
        try:
            with engine.connect() as conn:
                s, items = schema.DATA_TABLES["subjects"].c, schema.DATA_TABLES["items_long"].c
                source = conn.execute(select(schema.sources.c.installation_id)
                                      .where(schema.sources.c.site_code == site_code)).scalar_one()
                row = conn.execute(select(items.subject, items.visit, items.form, items.timepoint, items.item)
                                   .join(schema.DATA_TABLES["subjects"],
                                         (s.source == items.source) & (s.subject == items.subject))
                                   .where(items.source == source, items.visit != "", items.timepoint == "",
                                          items.value != "", s.subject_id != "")
                                   .order_by(items.row_no).limit(1)).one()
        finally:
            engine.dispose()
        return SponsorPlace(row.subject, row.visit, row.form, row.timepoint, 0, row.item)


@pytest.fixture
def sponsor_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sponsor folder of this test, its passphrase given as a script gives it."""
    folder = tmp_path / "sponsor"
    monkeypatch.setenv("ECRF_SPONSOR_DIR", str(folder))
    monkeypatch.setenv("ECRF_SPONSOR_PASSPHRASE", PASSPHRASE)
    return folder


def site_copy(folder: Path, tmp_path: Path, name: str = "site") -> Path:
    """A private copy of a fixture site's folder; the path of its database."""
    target = tmp_path / name
    shutil.copytree(folder, target)
    return target / "site.db"


def place_args(place: SponsorPlace) -> list[str]:
    return ["--subject", place.subject, "--visit", place.visit, "--form", place.form, "--item", place.item]
