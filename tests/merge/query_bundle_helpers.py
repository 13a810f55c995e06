"""What the query bundle tests share: a central database with real merged site bundles, a sponsor key, a place
to ask about, and a copy of a site to import into (the fixture's sites are read-only)."""
from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecrf.errors import EcrfError
from ecrf.export.bundle.identity import SigningIdentity
from ecrf.export.verify.bundle import verify_bundle
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.bundle_read import bundle_facts, file_sha256
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.merge.load import replace_source
from ecrf.merge.query_bundle.manifest import BundledQuery, BundledStep, QueryBundle
from ecrf.merge.query_bundle.signed import write_query_bundle
from ecrf.merge.query_bundle.sponsor_key import create_sponsor_key
from ecrf.merge.sponsor_queries import SponsorPlace
from ecrf.services.auth import login
from ecrf.services.permissions import Do
from ecrf.services.sponsor_queries import import_query_bundle, register_sponsor_certificate
from ecrf.store.models import AuditEvent, QueryMessage, QueryRow
from ecrf.study.model import Study

PASSPHRASE = "sponsor passphrase for tests"
NOW = "2026-12-01T09:00:00Z"
ADMIN, ADMIN_PASSWORD = "admin", "demo-admin-2020"
NURSE, NURSE_PASSWORD = "nurse", "demo-nurse-2020"


@dataclass(frozen=True)
class Central:
    path: str | Path  # a SQLite file or a postgresql:// URL

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


def use_sponsor_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
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


@dataclasses.dataclass
class World:
    """A copy of site CN01 that registered the sponsor's certificate, and a sound query bundle for it (`base`) to
    write as it is or changed."""

    tmp: Path
    study: object
    identity: SigningIdentity
    base: QueryBundle  # a sound bundle for the site copy `db`
    db: Path

    def write(self, name: str, bundle: QueryBundle | None = None, identity: SigningIdentity | None = None) -> Path:
        folder = self.tmp / "bundles" / name
        folder.mkdir(parents=True)
        path, _ = write_query_bundle(bundle or self.base, identity or self.identity, folder)
        return path

    def admin_import(self, path: Path):  # type: ignore[no-untyped-def]
        """Import as the site administrator (the service's ImportResult)."""
        admin = login(self.db, self.study, ADMIN, ADMIN_PASSWORD)  # type: ignore[arg-type]
        try:
            return import_query_bundle(admin, path)
        finally:
            admin.close()

    def refused(self, path: Path, code: str) -> EcrfError:
        before = self.head()
        with pytest.raises(EcrfError) as refused:
            self.admin_import(path)
        assert refused.value.code == code, refused.value.message
        assert self.head() == before, "a refused import wrote to the site"
        return refused.value

    def head(self) -> tuple[int, int, int]:
        """What an import writes: queries, their messages, and query events of the trail."""
        admin = login(self.db, self.study, ADMIN, ADMIN_PASSWORD)  # type: ignore[arg-type]
        try:
            with admin.read(Do.READ_AUDIT) as db:
                def count(model, *where) -> int:  # type: ignore[no-untyped-def]
                    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0
                return (count(QueryRow), count(QueryMessage), count(AuditEvent, AuditEvent.action.like("query_%")))
        finally:
            admin.close()


def bundled_query(place: SponsorPlace, query_id: str = "SQ-0001", closed: bool = False) -> BundledQuery:
    steps = [BundledStep("raised", "dm.lee", NOW, "Please check.")]
    if closed:
        steps.append(BundledStep("closed", "dm.lee", NOW, "Accepted."))
    return BundledQuery(query_id, place.subject, place.scope.value, place.visit, place.form, place.timepoint,
                        place.repeat, place.item, tuple(steps))


def make_world(tmp_path: Path, multi_site, study) -> World:  # type: ignore[no-untyped-def]
    site = multi_site.site("CN01")
    central = Central(tmp_path / "central.db")
    central.load(site.bundles[-1], site.certificate, study)
    place = central.item_place("CN01")
    with SafeZip(site.bundles[-1]) as archive:
        facts = bundle_facts(archive, file_sha256(site.bundles[-1]))
    identity = create_sponsor_key(tmp_path / "sponsor", PASSPHRASE, "ACME", datetime.now(UTC))
    base = QueryBundle(facts.study_oid, facts.definition_fingerprint, "CN01", facts.installation_id, 1, NOW, "ACME",
                       (bundled_query(place),))
    db = site_copy(site.folder, tmp_path)
    admin = login(db, study, ADMIN, ADMIN_PASSWORD)
    try:
        register_sponsor_certificate(admin, identity.certificate_pem.encode("ascii"))
    finally:
        admin.close()
    return World(tmp_path, study, identity, base, db)


