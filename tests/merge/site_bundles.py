"""Several real sites of the study, each with several signed bundles, made by the project's own demo and export.

`make_site` builds each of them once per test run (`conftest.multi_site`, which shares the work among the workers):
- five sites CN01 … CN05, each a small demo site (monitoring included) with three exports: no. 1 from the demo,
  no. 2 after a nurse screened one more subject, no. 3 after another;
- a copy of each site's folder as it was right after export no. 1 (`after_first`), from which a test makes a
  fork (a restored backup that goes on differently and exports its own "no. 2");
- a "twin": a second installation that also calls itself CN05, so its subject ids clash with CN05's.
Every site's certificate is written beside it as PEM, for the trust registry. The folders are shared by every
test of the run: copy a site before logging in to it.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from subject_helpers import screen

from ecrf.study.model import Study

SITE_CODES = ("CN01", "CN02", "CN03", "CN04", "CN05")
TWIN_CODE = "CN05"
SUBJECTS_PER_SITE = 3
EXPORTS_PER_SITE = 3
NURSE, NURSE_PASSWORD = "nurse", "demo-nurse-2020"
ADMIN, ADMIN_PASSWORD = "admin", "demo-admin-2020"


@dataclass(frozen=True)
class SiteBundles:
    code: str
    folder: Path  # site.db and its key file; read-only: copy it before logging in
    after_first: Path  # a copy of `folder` as it was right after export no. 1
    bundles: tuple[Path, ...]  # export no. 1, 2, 3
    certificate: Path  # the site certificate (PEM) the sponsor registers

    @property
    def db_path(self) -> Path:
        return self.folder / "site.db"


@dataclass(frozen=True)
class MultiSite:
    sites: tuple[SiteBundles, ...]
    twin: SiteBundles  # another installation calling itself CN05: one bundle, same subject ids as CN05

    def site(self, code: str) -> SiteBundles:
        return next(s for s in self.sites if s.code == code)

    def newest(self) -> list[Path]:
        return [s.bundles[-1] for s in self.sites]

    def every_bundle(self) -> list[Path]:
        return [b for s in self.sites for b in s.bundles]


SITE_NAMES = (*SITE_CODES, "twin")  # the folder names: each code, and the twin


def make_site(folder: Path, study: Study, name: str) -> SiteBundles:
    """The site called `name` (a code of SITE_CODES, or "twin") with its bundles, in `folder`."""
    if name == "twin":
        return _make_site(folder, study, TWIN_CODE, exports=1)
    return _make_site(folder, study, name, exports=EXPORTS_PER_SITE)


def export_now(db_path: Path, study: Study, out: Path, username: str = NURSE, password: str = NURSE_PASSWORD) -> Path:
    """One more export of the site at `db_path` into `out`; the bundle's path."""
    from ecrf.services.auth import login
    from ecrf.services.export import export_bundle

    out.mkdir(parents=True, exist_ok=True)
    session = login(db_path, study, username, password)
    try:
        return export_bundle(session, out).path
    finally:
        session.close()


def screen_one(db_path: Path, study: Study) -> str:
    """A nurse screens one more subject: new data for the next export. The new screening number."""
    from ecrf.services.auth import login

    session = login(db_path, study, NURSE, NURSE_PASSWORD)
    try:
        return screen(session)
    finally:
        session.close()


def _make_site(folder: Path, study: Study, code: str, exports: int) -> SiteBundles:
    from ecrf.demo import create_demo

    site = folder / "site"
    create_demo(site / "site.db", study, subjects=SUBJECTS_PER_SITE, site=(code, f"Hospital {code} (synthetic)"))
    out = folder / "bundles"
    bundles = [export_now(site / "site.db", study, out)]
    after_first = folder / "after-first"
    shutil.copytree(site, after_first)
    for _ in range(exports - 1):
        screen_one(site / "site.db", study)
        bundles.append(export_now(site / "site.db", study, out))
    certificate = folder / f"{code}.pem"
    certificate.write_text(_certificate_pem(site / "site.db", study), encoding="ascii")
    return SiteBundles(code, site, after_first, tuple(bundles), certificate)


def _certificate_pem(db_path: Path, study: Study) -> str:
    from ecrf.services.auth import login
    from ecrf.services.signing import site_certificate

    session = login(db_path, study, NURSE, NURSE_PASSWORD)
    try:
        return site_certificate(session).pem
    finally:
        session.close()
