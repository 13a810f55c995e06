"""Merge tests: five real sites with three bundles each (and a twin of CN05), made once per run."""
from __future__ import annotations

import pytest
from run_once import made_once_per_run

from tests.merge.site_bundles import MultiSite, make_sites

_made: dict[str, MultiSite] = {}


@pytest.fixture(scope="session")
def multi_site(tmp_path_factory, study) -> MultiSite:  # type: ignore[no-untyped-def]
    """Shared by every test and worker of the run: treat its files as read-only (copy a site to change it)."""
    def make(root):  # type: ignore[no-untyped-def]
        make_sites(root, study)

    folder = made_once_per_run(tmp_path_factory, "merge-sites", make)
    if "sites" not in _made:
        _made["sites"] = _describe(folder, study)
    return _made["sites"]


def _describe(root, study) -> MultiSite:  # type: ignore[no-untyped-def]
    """The MultiSite of a folder `make_sites` filled (possibly in another worker): found again from its files."""
    from tests.merge.site_bundles import SITE_CODES, TWIN_CODE, SiteBundles

    def found(folder, code):  # type: ignore[no-untyped-def]
        bundles = tuple(sorted((folder / "bundles").glob("*.zip")))
        return SiteBundles(code, folder / "site", folder / "after-first", bundles, folder / f"{code}.pem")

    return MultiSite(tuple(found(root / code, code) for code in SITE_CODES), found(root / "twin", TWIN_CODE))


@pytest.fixture(params=["sqlite", "postgresql"])
def central_target(request, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """Where a merge test merges into: a new SQLite file, or a new database on a real PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "central.db")
    return str(request.getfixturevalue("pg_database"))
