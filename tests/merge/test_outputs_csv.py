"""The merged CSV files: a site bundle's layout with a site column, every site's rows in site order."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecrf.export.bundle import layout
from ecrf.merge.central.schema import DATA_FILES
from ecrf.merge.outputs.manifest import file_sha256
from tests.merge.merged_set import bundle_member, csv_rows, export, files_of, fill_central

SHUFFLED = ("CN04", "CN02", "CN05", "CN01", "CN03")


@pytest.fixture(scope="module")
def merged(tmp_path_factory, multi_site, study):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("merged-csv")
    central = fill_central(root / "central.db", [multi_site.site(code).bundles[-1] for code in SHUFFLED], study)
    return export(central, root / "set", study)


def _site_files(multi_site) -> list[tuple[str, Path]]:  # type: ignore[no-untyped-def]
    return [(site.code, site.bundles[-1]) for site in sorted(multi_site.sites, key=lambda s: s.code)]


@pytest.mark.req("MERGE-OUT")
def test_every_data_file_is_the_sites_files_one_after_another_with_a_site_column(merged, multi_site,
                                                                                 study) -> None:  # type: ignore[no-untyped-def]
    paths = [path for path, _ in DATA_FILES.values()] + [layout.form_csv(code) for code in study.forms]
    for path in paths:
        merged_rows = csv_rows((merged.folder / path).read_bytes())
        expected: list[list[str]] = []
        for code, bundle in _site_files(multi_site):
            header, *rows = csv_rows(bundle_member(bundle, path))
            has_site = "site" in header
            expected += [row if has_site else [code, *row] for row in rows]
        assert merged_rows[0] == (header if has_site else ["site", *header]), path
        assert merged_rows[0].count("site") == 1, path
        assert merged_rows[1:] == expected, path
    subjects = csv_rows((merged.folder / layout.SUBJECTS).read_bytes())[1:]
    assert sorted({row[0] for row in subjects}) == ["CN01", "CN02", "CN03", "CN04", "CN05"]


@pytest.mark.req("MERGE-OUT")
def test_the_files_are_written_in_the_sites_own_dialect_and_the_dictionary_as_a_site_writes_it(
        merged, multi_site) -> None:  # type: ignore[no-untyped-def]
    code, bundle = _site_files(multi_site)[0]
    for path in (layout.DICT_ITEMS, layout.DICT_CODELISTS, layout.DICT_CHECKS):
        assert (merged.folder / path).read_bytes() == bundle_member(bundle, path)
    site_lines = bundle_member(bundle, layout.AUDIT_TRAIL).split(b"\r\n")
    merged_lines = (merged.folder / layout.AUDIT_TRAIL).read_bytes().split(b"\r\n")
    bom = b"\xef\xbb\xbf"  # each file starts with the byte-order mark, the site's and the merged one alike
    assert site_lines[0].startswith(bom) and merged_lines[0] == bom + b"site," + site_lines[0].removeprefix(bom)
    assert merged_lines[1:len(site_lines) - 1] == [f"{code},".encode() + line for line in site_lines[1:-1]]


@pytest.mark.req("MERGE-OUT")
def test_the_manifests_list_every_file_with_its_hash_and_the_bundles_it_came_from(merged,
                                                                                  multi_site) -> None:  # type: ignore[no-untyped-def]
    files = files_of(merged.folder)
    listed = dict(reversed(line.split("  ", 1)) for line in files["MANIFEST.txt"].decode().splitlines())
    assert set(listed) == set(files) - {"MANIFEST.txt", "manifest.json"}
    assert all(file_sha256(merged.folder / path) == sha for path, sha in listed.items())
    document = json.loads(files["manifest.json"])
    assert {entry["path"]: entry["sha256"] for entry in document["files"]} == listed
    assert [s["site_code"] for s in document["sources"]] == ["CN01", "CN02", "CN03", "CN04", "CN05"]
    assert {s["bundle_sha256"] for s in document["sources"]} == {file_sha256(b) for b in multi_site.newest()}
    assert not [p for p in merged.folder.parent.iterdir() if "partial" in p.name]
