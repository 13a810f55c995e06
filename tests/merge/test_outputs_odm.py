"""The merged ODM file: valid ODM 1.3.2, every site's subjects and values, users and locations without clashes."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ecrf.export.bundle import layout
from ecrf.export.odm.keys import ODM_NS
from ecrf.export.odm.read import read_clinical_values
from ecrf.export.odm.schema import schema_problems
from ecrf.merge.outputs.sources import as_utc
from tests.merge.merged_set import bundle_member, csv_rows, export, fill_central

NS = {"o": ODM_NS}


@pytest.fixture(scope="module")
def merged(tmp_path_factory, multi_site, study):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("merged-odm")
    central = fill_central(root / "central.db", multi_site.newest(), study)
    return export(central, root / "set", study)


@pytest.fixture(scope="module")
def twin_set(tmp_path_factory, multi_site, study):  # type: ignore[no-untyped-def]
    """CN05 and its twin, two installations under one site code, in one central database."""
    root = tmp_path_factory.mktemp("merged-twin")
    bundles = [multi_site.site("CN05").bundles[-1], multi_site.twin.bundles[-1], multi_site.site("CN01").bundles[-1]]
    return export(fill_central(root / "central.db", bundles, study), root / "set", study)


def _expected_values(items_long: Path) -> dict:  # type: ignore[type-arg]
    header, *rows = csv_rows(items_long.read_bytes())
    at = {name: n for n, name in enumerate(header)}
    return {(r[at["subject"]], r[at["visit"]], r[at["form"]], r[at["timepoint"]], int(r[at["repeat"]]),
             r[at["item"]]): (r[at["value"]] or None, r[at["missing"]] or None)
            for r in rows if r[at["form_deleted"]] == "false"}


@pytest.mark.req("MERGE-OUT")
def test_the_merged_odm_is_valid_and_holds_every_sites_current_values(merged) -> None:  # type: ignore[no-untyped-def]
    odm = merged.folder / layout.ODM
    assert schema_problems(odm) == []
    expected = _expected_values(merged.folder / layout.ITEMS_LONG)
    assert {key[0][:4] for key in expected} == {"CN01", "CN02", "CN03", "CN04", "CN05"}
    assert any(missing for _, missing in expected.values()), "the sites should have missing codes to compare"
    assert read_clinical_values(odm) == expected


@pytest.mark.req("MERGE-OUT")
def test_users_and_locations_are_qualified_by_site_and_every_reference_resolves(merged) -> None:  # type: ignore[no-untyped-def]
    root = etree.parse(str(merged.folder / layout.ODM)).getroot()
    users = root.xpath("o:AdminData/o:User/@OID", namespaces=NS)
    locations = root.xpath("o:AdminData/o:Location/@OID", namespaces=NS)
    meanings = root.xpath("o:AdminData/o:SignatureDef/@OID", namespaces=NS)
    assert len(users) == len(set(users)) and {"USR.CN01.nurse", "USR.CN02.nurse"} <= set(users)
    assert locations == [f"LOC.CN0{n}" for n in range(1, 6)]
    assert len(meanings) == len(set(meanings)) == 1  # the same meaning text at every site: kept once
    assert set(root.xpath("//o:UserRef/@UserOID", namespaces=NS)) <= set(users)
    assert set(root.xpath("//o:LocationRef/@LocationOID | //o:SiteRef/@LocationOID", namespaces=NS)) <= set(locations)
    assert set(root.xpath("//o:SignatureRef/@SignatureOID", namespaces=NS)) == set(meanings)
    for subject in root.iterfind("o:ClinicalData/o:SubjectData", NS):
        [site] = subject.xpath("o:SiteRef/@LocationOID", namespaces=NS) or [None]
        refs = subject.xpath(".//o:UserRef/@UserOID", namespaces=NS)
        code = subject.get("SubjectKey")[:4]
        assert site in (None, f"LOC.{code}") and all(ref.startswith(f"USR.{code}.") for ref in refs)


@pytest.mark.req("MERGE-OUT")
def test_the_file_is_dated_by_the_newest_data_not_the_clock(merged, multi_site) -> None:  # type: ignore[no-untyped-def]
    root = etree.parse(str(merged.folder / layout.ODM)).getroot()
    newest = max((s.data_as_of for s in merged.sources), key=as_utc)
    assert root.get("CreationDateTime") == root.get("AsOfDateTime") == newest
    site_times = [etree.fromstring(bundle_member(b, layout.ODM)).get("AsOfDateTime") for b in multi_site.newest()]
    assert newest == max(site_times, key=as_utc)


@pytest.mark.req("MERGE-OUT")
def test_two_installations_of_one_site_code_get_distinct_users_and_locations(twin_set) -> None:  # type: ignore[no-untyped-def]
    odm = twin_set.folder / layout.ODM
    assert schema_problems(odm) == []
    root = etree.parse(str(odm)).getroot()
    twins = [s for s in twin_set.sources if s.site_code == "CN05"]
    assert len(twins) == 2 and twins[0].qualifier != twins[1].qualifier
    locations = root.xpath("o:AdminData/o:Location/@OID", namespaces=NS)
    assert locations == ["LOC.CN01", *(f"LOC.CN05.{s.installation_id}" for s in twins)]
    users = root.xpath("o:AdminData/o:User/@OID", namespaces=NS)
    assert len(users) == len(set(users))
    assert {f"USR.CN05.{s.installation_id}.nurse" for s in twins} <= set(users)
    sites = root.xpath("o:ClinicalData/o:SubjectData/o:SiteRef/@LocationOID", namespaces=NS)
    assert set(sites) == set(locations)
