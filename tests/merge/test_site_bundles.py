"""The multi-site fixture itself: real sites, real bundles that verify."""
from __future__ import annotations

from ecrf.export.verify.bundle import verify_bundle


def test_five_sites_with_three_verified_bundles_each(multi_site) -> None:  # type: ignore[no-untyped-def]
    assert [s.code for s in multi_site.sites] == ["CN01", "CN02", "CN03", "CN04", "CN05"]
    for site in multi_site.sites:
        assert len(site.bundles) == 3
        verdict = verify_bundle(site.bundles[-1], str(site.certificate))
        assert verdict.ok, verdict.problems
    assert multi_site.twin.bundles and multi_site.twin.code == "CN05"
