"""`ecrf demo --sponsor DIR`: demo data for the sponsor's side that the sponsor's commands take as they are."""
from __future__ import annotations

import pytest


@pytest.mark.req("MERGE-DEMO")
def test_the_sponsor_demo_makes_registered_sites_whose_bundles_verify(ecrf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "sponsor"
    code, out, err = ecrf("demo", "--sponsor", folder, "--sites", "2", "--subjects", "1")
    assert code == 0, err
    assert "ecrf merge" in out and not (tmp_path / "sponsor.partial").exists()
    bundles = sorted((folder / "bundles").glob("*.zip"))
    assert len(bundles) == 4
    registry = folder / "trust-registry.json"
    code, out, _ = ecrf("trust", "list", "--registry", registry)
    assert code == 0 and "DEMO1" in out and "DEMO2" in out
    for bundle in bundles:
        code, out, _ = ecrf("verify", bundle, "--registry", registry)
        assert code == 0, out
    # The commands the demo prints, as a sponsor runs them.
    central, report = folder / "merged.db", folder / "report"
    code, out, err = ecrf("merge", folder / "bundles", "--into", central, "--registry", registry, "--report", report)
    assert code == 0, err
    assert "4 bundles: 4 accepted; central: 2 sites" in out and "[4/4]" in err
    assert (report / "merge-report.html").is_file() and (report / "merge-report.pdf").is_file()
    code, _, err = ecrf("merged", "export", "--from", central, "--out", folder / "dataset")
    assert code == 0, err
    assert (folder / "dataset" / "odm.xml").is_file() and (folder / "dataset" / "MANIFEST.txt").is_file()


def test_the_sponsor_demo_never_writes_into_a_folder_in_use(ecrf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("mine", encoding="utf-8")
    code, _, err = ecrf("demo", "--sponsor", tmp_path / "used")
    assert code == 1 and "demo-sponsor-folder-used" in err
    assert (tmp_path / "used" / "keep.txt").read_text(encoding="utf-8") == "mine"
