"""A bundle that must not be merged is refused with its reason, and the central database does not change:
tampered, truncated, unsigned, another study or definition, a signer the sponsor did not register, a file that
changes while it is merged. The refusals that take different ways through the engine (refused by the verifier,
refused on the study after verification, refused after the load began and rolled back, refused beside a bundle
that is merged) run on SQLite and PostgreSQL; the other refusals take one of those ways and run on SQLite."""
from __future__ import annotations

import dataclasses
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecrf.export.bundle import layout
from ecrf.merge import engine
from ecrf.merge.central import schema
from ecrf.merge.engine import merge_bundles
from ecrf.merge.outcome.run import REFUSED
from tests.merge.engine_helpers import bundle_log, central_tables, trust_file, verified_once
from tests.pg_server import create_database, drop_database

ON_SQLITE_ONLY = pytest.mark.parametrize("central", ["sqlite"], indirect=True)


def _merged(target: str, folder: Path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    """Exports 1 and 2 of every site merged into `target` (the files verified once for both targets)."""
    paths = [bundle for site in multi_site.sites for bundle in site.bundles[:2]]
    with pytest.MonkeyPatch.context() as patch:
        verified_once(patch)
        assert merge_bundles(target, paths, trust_file(folder, list(multi_site.sites)), study).ok


@pytest.fixture(scope="module")
def merged_base(tmp_path_factory, multi_site, study) -> Path:  # type: ignore[no-untyped-def]
    """The merged central database in SQLite: each test works on its own copy."""
    folder = tmp_path_factory.mktemp("refusals")
    _merged(str(folder / "central.db"), folder, multi_site, study)
    return folder / "central.db"


@pytest.fixture(scope="module")
def merged_base_pg(tmp_path_factory, pg_server_url, multi_site, study) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The same in PostgreSQL: the template each test's database is created from."""
    url = create_database(pg_server_url)
    _merged(url, tmp_path_factory.mktemp("refusals-pg"), multi_site, study)
    yield url
    drop_database(pg_server_url, url)


@pytest.fixture(params=["sqlite", "postgresql"])
def central(request, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A copy of the merged central database, in SQLite or PostgreSQL."""
    if request.param == "sqlite":
        copy = tmp_path / "central.db"
        shutil.copyfile(request.getfixturevalue("merged_base"), copy)
        yield str(copy)
        return
    server = request.getfixturevalue("pg_server_url")
    url = create_database(server, template=request.getfixturevalue("merged_base_pg"))
    yield url
    drop_database(server, url)


def _changed_byte(source: Path, folder: Path) -> Path:
    data = bytearray(source.read_bytes())
    data[len(data) // 2] ^= 0x01
    return _written(folder / source.name, bytes(data))


def _truncated(source: Path, folder: Path) -> Path:
    data = source.read_bytes()
    return _written(folder / source.name, data[: len(data) * 3 // 5])


def _unsigned(source: Path, folder: Path) -> Path:
    target = folder / source.name
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            if info.filename != layout.MANIFEST_SIG:
                copy.writestr(info, original.read(info.filename))
    return target


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _refused_alone(central: str, bundle: Path, trust: str, study, alarm: bool = False) -> str:  # type: ignore[no-untyped-def]
    """Merge one bundle that must be refused (with an alarm or not); the reason. Nothing of the central data may
    change."""
    before = central_tables(central)
    run = merge_bundles(central, [bundle], trust, study)
    [outcome] = run.bundles
    assert outcome.outcome == REFUSED and not run.ok and outcome.alarm == alarm, outcome
    assert central_tables(central) == before
    logged = bundle_log(central)[outcome.sha256]
    assert logged[0] == REFUSED and logged[2] == outcome.reason
    return outcome.reason


@pytest.mark.req("MERGE-REFUSE")
@pytest.mark.parametrize(("damage", "expected", "alarm", "central"), [
    (_changed_byte, "", False, "sqlite"),  # wherever the byte falls, some check names it; damage is no alarm
    (_truncated, "", False, "sqlite"),
    (_unsigned, layout.MANIFEST_SIG, True, "sqlite"),  # ecrf never writes an unsigned bundle: tampering
    (_unsigned, layout.MANIFEST_SIG, True, "postgresql"),  # a refusal with an alarm logged in PostgreSQL
], indirect=["central"])
def test_a_damaged_bundle_is_refused_with_the_verifiers_reason(tmp_path, central, multi_site, study, damage,
                                                               expected, alarm) -> None:  # type: ignore[no-untyped-def]
    site = multi_site.site("CN01")
    bad = damage(site.bundles[2], tmp_path)
    reason = _refused_alone(central, bad, trust_file(tmp_path, list(multi_site.sites)), study, alarm)
    assert expected in reason and reason


@pytest.mark.req("MERGE-REFUSE")
@ON_SQLITE_ONLY  # refused by the verifier, as a damaged bundle is
def test_a_signer_the_sponsor_did_not_register_is_refused(tmp_path, central, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    others = [site for site in multi_site.sites if site.code != "CN01"]
    reason = _refused_alone(central, multi_site.site("CN01").bundles[2], trust_file(tmp_path, others), study)
    assert reason.startswith(layout.MANIFEST_SIG) and "trusted" in reason


@pytest.mark.req("MERGE-REFUSE")
def test_another_studys_bundle_and_another_definitions_are_refused(tmp_path, central, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    trust, bundle = trust_file(tmp_path, list(multi_site.sites)), multi_site.site("CN02").bundles[2]
    other_study = dataclasses.replace(study, info=dataclasses.replace(study.info, oid="OTHER-TRIAL"))
    reason = _refused_alone(central, bundle, trust, other_study)
    assert f"a bundle of study {study.info.oid}; this merge is for study OTHER-TRIAL" in reason
    other_definition = dataclasses.replace(study, fingerprint="0" * 64)
    reason = _refused_alone(central, bundle, trust, other_definition)
    assert "made under another study definition" in reason and study.fingerprint[:16] in reason


@pytest.mark.req("MERGE-REFUSE")
@ON_SQLITE_ONLY  # refused before verification, logged as the damaged bundle's refusal is
def test_a_file_that_changes_while_it_is_merged_is_refused(tmp_path, central, multi_site, study,
                                                          monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The sponsor's own folder is not trusted either: what is verified is a private copy, and a copy that is
    not the file first hashed is never merged."""
    site = multi_site.site("CN03")
    bundle = tmp_path / "incoming" / site.bundles[2].name
    bundle.parent.mkdir()
    shutil.copyfile(site.bundles[2], bundle)
    real_copy = engine.private_copy

    def swapped_before_copy(source: Path, folder: Path) -> tuple[Path, str]:
        shutil.copyfile(multi_site.site("CN04").bundles[2], source)  # another valid bundle, same name
        return real_copy(source, folder)

    monkeypatch.setattr(engine, "private_copy", swapped_before_copy)
    reason = _refused_alone(central, bundle, trust_file(tmp_path, list(multi_site.sites)), study)
    assert "changed while it was being merged" in reason


@pytest.mark.req("MERGE-REFUSE")
def test_a_bundle_laid_out_by_another_ecrf_version_is_refused_after_its_load_rolled_back(
        tmp_path, central, multi_site, study, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The signatures check out but one file has other columns than this ecrf merges: found half-way through the
    load (after subjects, visits and values were written), so the whole bundle's transaction rolls back."""
    path, header = schema.DATA_FILES["sdv"]
    monkeypatch.setitem(schema.DATA_FILES, "sdv", (path, (*header, "added_by_a_later_version")))
    reason = _refused_alone(central, multi_site.site("CN02").bundles[2], trust_file(tmp_path, list(multi_site.sites)),
                            study)
    assert reason.startswith(multi_site.site("CN02").bundles[2].name + ": csv/sdv.csv in this bundle has the columns")


@pytest.mark.req("MERGE-REFUSE")
def test_a_file_that_disappears_is_refused_and_the_others_are_merged(tmp_path, central, multi_site, study,
                                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    site = multi_site.site("CN05")
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    going = incoming / site.bundles[2].name
    shutil.copyfile(site.bundles[2], going)
    real_copy = engine.private_copy

    def removed_before_copy(source: Path, folder: Path) -> tuple[Path, str]:
        if source == going:
            source.unlink()  # a USB stick pulled out
        return real_copy(source, folder)

    monkeypatch.setattr(engine, "private_copy", removed_before_copy)
    trust = trust_file(tmp_path, list(multi_site.sites))
    run = merge_bundles(central, [going, multi_site.site("CN04").bundles[2]], trust, study)
    outcomes = {o.path: o for o in run.bundles}
    assert outcomes[going].outcome == REFUSED and "could not be read" in outcomes[going].reason
    assert outcomes[multi_site.site("CN04").bundles[2]].outcome == "accepted"


@pytest.mark.req("MERGE-REFUSE")
@ON_SQLITE_ONLY  # refused after verification and logged without facts, as a damaged bundle is
def test_a_verdict_whose_signer_was_not_matched_is_never_merged(tmp_path, central, multi_site, study,
                                                               monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The merge does not rely on the verifier listing an untrusted signer as a problem: it asks itself."""
    real_verify = engine.verify_bundle

    def unmatched(path, trust):  # type: ignore[no-untyped-def]
        verdict = real_verify(path, trust)
        verdict.signer_trusted = False
        return verdict

    monkeypatch.setattr(engine, "verify_bundle", unmatched)
    reason = _refused_alone(central, multi_site.site("CN02").bundles[2], trust_file(tmp_path, list(multi_site.sites)),
                            study)
    assert "its signer is not a registered certificate" in reason
