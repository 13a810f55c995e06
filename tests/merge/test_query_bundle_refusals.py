"""Every query bundle a site must refuse, and every sponsor step the central side must refuse, with its reason;
a refused import changes nothing at the site."""
from __future__ import annotations

import dataclasses
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ecrf.errors import EcrfError
from ecrf.merge.central.db import open_central
from ecrf.merge.query_bundle.manifest import MANIFEST, BundledStep
from ecrf.merge.query_bundle.sponsor_key import create_sponsor_key, load_sponsor_key
from ecrf.merge.sponsor_queries import close_sponsor_query, raise_sponsor_query
from ecrf.services import queries
from ecrf.services.auth import login
from ecrf.services.errors import PermissionDenied
from ecrf.services.sponsor_queries import import_query_bundle, register_sponsor_certificate
from ecrf.study.status import QueryOrigin, QueryState, ResponseCode
from tests.merge.query_bundle_helpers import (
    ADMIN,
    ADMIN_PASSWORD,
    NOW,
    NURSE,
    NURSE_PASSWORD,
    PASSPHRASE,
    Central,
    World,
    make_world,
    site_copy,
)

pytestmark = pytest.mark.req("MERGE-QUERY")


@pytest.fixture
def world(tmp_path: Path, multi_site, study) -> World:  # type: ignore[no-untyped-def]
    return make_world(tmp_path, multi_site, study)


def test_a_bundle_for_another_site_installation_or_study_is_refused(world: World, ecrf) -> None:  # type: ignore[no-untyped-def]
    other_site = world.write("site", dataclasses.replace(world.base, site_code="CN02"))
    world.refused(other_site, "query-bundle-other-site")
    code, out, err = ecrf("query", "import", other_site, "--db", world.db, "--user", "admin", "--password-stdin",
                          stdin="demo-admin-2020\n")
    assert code == 1 and "error [query-bundle-other-site]: The query bundle is for site CN02; this is site CN01." in err
    world.refused(world.write("inst", dataclasses.replace(world.base, installation_id="another-pc")),
                  "query-bundle-other-installation")
    world.refused(world.write("study", dataclasses.replace(world.base, study_oid="OTHER")),
                  "query-bundle-other-study")


def test_an_unregistered_or_other_signer_is_refused(world: World, multi_site, study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stranger = create_sponsor_key(tmp_path / "stranger", PASSPHRASE, "ACME", datetime.now(UTC))
    world.refused(world.write("stranger", identity=stranger), "query-bundle-wrong-signer")
    fresh = World(world.tmp, study, world.identity, world.base, site_copy(multi_site.site("CN01").folder, tmp_path,
                                                                          "fresh"))
    fresh.refused(world.write("unregistered"), "sponsor-certificate-not-registered")
    admin = login(fresh.db, study, ADMIN, ADMIN_PASSWORD)
    try:
        with pytest.raises(EcrfError) as refused:  # a site's certificate is no sponsor's
            register_sponsor_certificate(admin, multi_site.site("CN02").certificate.read_bytes())
        assert refused.value.code == "sponsor-certificate-not-sponsor"
        with pytest.raises(EcrfError) as refused:
            register_sponsor_certificate(admin, b"not a certificate")
        assert refused.value.code == "sponsor-certificate-invalid"
    finally:
        admin.close()


def test_a_tampered_or_unsigned_bundle_is_refused(world: World) -> None:
    sound = world.write("sound")
    with zipfile.ZipFile(sound) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    tampered = world.tmp / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data.replace(b"Please check.", b"Please delete.") if name == MANIFEST else data)
    world.refused(tampered, "query-bundle-tampered")
    unsigned = world.tmp / "unsigned.zip"
    with zipfile.ZipFile(unsigned, "w") as archive:
        archive.writestr(MANIFEST, members[MANIFEST])
    world.refused(unsigned, "query-bundle-unsigned")
    truncated = world.tmp / "truncated.zip"
    truncated.write_bytes(sound.read_bytes()[:200])
    world.refused(truncated, "query-bundle-damaged")


def test_an_older_bundle_is_refused_and_the_same_one_changes_nothing(world: World) -> None:
    first = world.write("one")
    second = world.write("two", dataclasses.replace(world.base, sequence=2))
    assert world.admin_import(second).raised
    before = world.head()
    assert world.admin_import(second).already_imported
    assert world.head() == before
    world.refused(first, "query-bundle-rolled-back")
    forged = world.write("other-two", dataclasses.replace(world.base, sequence=2, created_at="2026-12-02T00:00:00Z"))
    world.refused(forged, "query-bundle-rolled-back")


def test_only_the_site_administrator_imports_and_only_the_sponsor_closes(world: World) -> None:
    path = world.write("one")
    nurse = login(world.db, world.study, NURSE, NURSE_PASSWORD)  # type: ignore[arg-type]
    try:
        with pytest.raises(PermissionDenied):
            import_query_bundle(nurse, path)
    finally:
        nurse.close()
    world.admin_import(path)
    monitor = login(world.db, world.study, "monitor", "demo-monitor-2020")  # type: ignore[arg-type]
    try:
        [query] = [q for q in queries.query_inbox(monitor) if q.origin is QueryOrigin.SPONSOR]
        with pytest.raises(PermissionDenied) as refused:
            queries.close_query(monitor, query.id, "Fine.")
        assert "the sponsor's data manager" in refused.value.message
    finally:
        monitor.close()


def test_a_sponsor_close_waits_for_the_sites_answer(world: World) -> None:
    world.admin_import(world.write("one"))
    closing = dataclasses.replace(world.base, sequence=2, queries=(dataclasses.replace(
        world.base.queries[0], steps=(*world.base.queries[0].steps, BundledStep("closed", "dm.lee", NOW, "Ok."))),))
    result = world.admin_import(world.write("two", closing))
    assert result.closed == () and len(result.not_yet_answered) == 1
    nurse = login(world.db, world.study, NURSE, NURSE_PASSWORD)  # type: ignore[arg-type]
    try:
        [query] = [q for q in queries.query_inbox(nurse, QueryState.OPEN) if q.origin is QueryOrigin.SPONSOR]
        queries.answer_query(nurse, query.id, "Corrected in the source.", ResponseCode.OTHER)
    finally:
        nurse.close()
    result = world.admin_import(world.write("three", dataclasses.replace(closing, sequence=3)))
    assert len(result.closed) == 1


def test_a_query_on_a_subject_or_place_the_site_does_not_hold_is_refused(world: World) -> None:
    query = world.base.queries[0]
    world.refused(world.write("subject", dataclasses.replace(world.base, queries=(dataclasses.replace(
        query, subject="NO-SUCH"),))), "query-bundle-subject-unknown")
    world.refused(world.write("form", dataclasses.replace(world.base, queries=(dataclasses.replace(
        query, item="NO_SUCH_ITEM"),))), "query-bundle-place-unknown")


def test_the_central_side_refuses_what_it_cannot_send(tmp_path: Path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    site = multi_site.site("CN04")
    central = Central(tmp_path / "central.db")
    central.load(site.bundles[-1], site.certificate, study)
    place = central.item_place("CN04")
    engine = open_central(central.path)
    try:
        with engine.begin() as conn:
            query_id = raise_sponsor_query(conn, study, "CN04", place, "Why?", "dm.lee", NOW)
        cases = [
            (lambda c: raise_sponsor_query(c, study, "CN09", place, "Why?", "dm.lee", NOW), "sponsor-site-unknown"),
            (lambda c: raise_sponsor_query(c, study, "CN04", dataclasses.replace(place, subject="X-1"), "Why?",
                                           "dm.lee", NOW), "sponsor-subject-unknown"),
            (lambda c: raise_sponsor_query(c, study, "CN04", dataclasses.replace(place, form="NOPE"), "Why?",
                                           "dm.lee", NOW), "sponsor-query-place-unknown"),
            (lambda c: raise_sponsor_query(c, study, "CN04", place, "  ", "dm.lee", NOW),
             "sponsor-query-text-required"),
            (lambda c: raise_sponsor_query(c, study, "CN04", place, "Why?", "Dm Lee", NOW), "sponsor-handle-invalid"),
            (lambda c: close_sponsor_query(c, query_id, "Ok.", "dm.lee", NOW), "sponsor-query-not-answered"),
            (lambda c: close_sponsor_query(c, "SQ-0099", "Ok.", "dm.lee", NOW), "sponsor-query-not-found"),
        ]
        for run, code in cases:
            with pytest.raises(EcrfError) as refused, engine.begin() as conn:
                run(conn)
            assert refused.value.code == code
    finally:
        engine.dispose()
    create_sponsor_key(tmp_path / "sponsor", PASSPHRASE, "ACME", datetime.now(UTC))
    for run, code in [(lambda: load_sponsor_key(tmp_path / "sponsor", "wrong passphrase"), "sponsor-passphrase-wrong"),
                      (lambda: create_sponsor_key(tmp_path / "sponsor", PASSPHRASE, "ACME", datetime.now(UTC)),
                       "sponsor-key-exists"),
                      (lambda: create_sponsor_key(tmp_path / "short", "short", "ACME", datetime.now(UTC)),
                       "sponsor-passphrase-short")]:
        with pytest.raises(EcrfError) as refused:
            run()
        assert refused.value.code == code


def test_a_signed_manifest_that_is_not_as_ecrf_writes_it_is_refused(world: World) -> None:
    from ecrf.export.bundle.manifest_sig import sign_manifest
    from ecrf.merge.query_bundle.manifest import SIGNATURE, manifest_bytes

    sound = manifest_bytes(world.base)
    cases = [(b'{"format": "something else"}', "not an ecrf query bundle manifest"),
             (sound.replace(b'"Please check."', b'"\\ud800"'), "not text"),
             (sound.replace(b'"sequence": 1', b'"sequence": 0'), "'sequence' is not a whole number"),
             (b"\xff\xfe", "not JSON")]
    for n, (raw, detail) in enumerate(cases):
        path = world.tmp / f"malformed-{n}.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(MANIFEST, raw)
            archive.writestr(SIGNATURE, sign_manifest(raw, world.identity))
        assert detail in world.refused(path, "query-bundle-malformed").message


@pytest.mark.parametrize(("make", "code"), [("folder", "query-bundle-is-folder"), ("nothing", "query-bundle-missing")])
def test_a_folder_or_nothing_given_as_the_bundle_is_named(tmp_path: Path, make: str, code: str) -> None:
    from ecrf.merge.query_bundle.signed import read_query_bundle

    given = tmp_path / "out1"
    if make == "folder":
        given.mkdir()
    with pytest.raises(EcrfError) as caught:
        read_query_bundle(given)
    assert caught.value.code == code and str(given) in caught.value.message
