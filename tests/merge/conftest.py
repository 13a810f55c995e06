"""Merge tests: five real sites with three bundles each (and a twin of CN05), made once per run."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from run_once import made_once_per_run

from tests.merge.site_bundles import SITE_CODES, SITE_NAMES, TWIN_CODE, MultiSite, SiteBundles, make_site

_made: dict[str, MultiSite] = {}


@pytest.fixture(scope="session")
def multi_site(tmp_path_factory, study) -> MultiSite:  # type: ignore[no-untyped-def]
    """Shared by every test and worker of the run: treat its files as read-only (copy a site to change it).
    Each site is made once, by the first worker that needs it; the workers take the sites in opposite orders,
    so two of them make half each instead of one waiting for the other to make them all."""
    if "sites" not in _made:
        odd = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0) % 2
        folders: dict[str, Path] = {}
        for name in (SITE_NAMES[::-1] if odd else SITE_NAMES):
            folders[name] = made_once_per_run(tmp_path_factory, f"merge-site-{name}",
                                              lambda folder, name=name: make_site(folder, study, name))
        _made["sites"] = _describe(folders)
    return _made["sites"]


def _describe(folders: dict[str, Path]) -> MultiSite:
    """The MultiSite of the folders `make_site` filled (possibly in another worker): found again from its files."""
    def found(folder: Path, code: str) -> SiteBundles:
        bundles = tuple(sorted((folder / "bundles").glob("*.zip")))
        return SiteBundles(code, folder / "site", folder / "after-first", bundles, folder / f"{code}.pem")

    return MultiSite(tuple(found(folders[code], code) for code in SITE_CODES), found(folders["twin"], TWIN_CODE))


@pytest.fixture(params=["sqlite", "postgresql"])
def central_target(request, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """Where a merge test merges into: a new SQLite file, or a new database on a real PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "central.db")
    return str(request.getfixturevalue("pg_database"))
