"""A sponsor query's whole round trip with real sites and the real merge (`ecrf merge`): raised on merged data,
sent in a signed query bundle, imported and answered at the site, back in the site's next bundle, closed by the
sponsor, closed at the site."""
from __future__ import annotations

from pathlib import Path

import pytest

from ecrf.services import queries
from ecrf.services.auth import login
from ecrf.services.sponsor_queries import import_query_bundle, register_sponsor_certificate
from ecrf.study.status import QueryOrigin, QueryState, ResponseCode
from tests.merge.query_bundle_helpers import (
    ADMIN,
    ADMIN_PASSWORD,
    NURSE,
    NURSE_PASSWORD,
    Central,
    place_args,
    site_copy,
    use_sponsor_folder,
)
from tests.merge.site_bundles import export_now

pytestmark = pytest.mark.req("MERGE-QUERY")


@pytest.fixture
def sponsor_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_sponsor_folder(tmp_path, monkeypatch)


def _merged(ecrf, central: Central, bundle: Path, certificate: Path) -> None:  # type: ignore[no-untyped-def]
    """`ecrf merge` (the engine: verify against the site certificate, continuity, replace the site's rows)."""
    code, out, err = ecrf("merge", bundle, "--into", central.path, "--trust", certificate)
    assert code == 0, out + err


def _listed(ecrf, central: Central, *extra: str) -> str:  # type: ignore[no-untyped-def]
    code, out, err = ecrf("query", "list", "--central", central.path, *extra)
    assert code == 0, err
    return out


def test_a_sponsor_query_goes_to_the_site_and_its_answer_comes_back(ecrf, tmp_path: Path, multi_site, study,  # type: ignore[no-untyped-def]
                                                                    sponsor_env, central_target) -> None:
    """The same round trip with the central database in SQLite and in PostgreSQL."""
    site = multi_site.site("CN02")
    central = Central(central_target)
    _merged(ecrf, central, site.bundles[-1], site.certificate)
    place = central.item_place("CN02")

    # The sponsor raises a query on merged data and makes its key on the first bundle.
    code, out, err = ecrf("query", "raise", "--central", central.path, "--site", "CN02", *place_args(place),
                          "--text", "Please check this value against the source.", "--by", "dm.lee")
    assert code == 0, err
    assert "SQ-0001" in out
    assert "new" in _listed(ecrf, central)
    code, out, err = ecrf("sponsor", "key", "--out", tmp_path)
    assert code == 0, err
    certificate = tmp_path / "sponsor-certificate.pem"
    code, out, err = ecrf("query", "bundle", "--central", central.path, "--site", "CN02", "--out",
                          tmp_path / "nowhere" / "to-site")
    assert code == 1 and "query-bundle-folder-missing" in err and not (tmp_path / "nowhere").exists()
    code, out, err = ecrf("query", "bundle", "--central", central.path, "--site", "CN02", "--out", tmp_path / "to-site")
    assert code == 0, err  # the outbox is made when the folder above it exists
    [first_bundle] = (tmp_path / "to-site").glob("*.zip")

    # The site registers the sponsor's certificate and imports the bundle (with the command).
    db = site_copy(site.folder, tmp_path)
    code, out, err = ecrf("site", "sponsor-certificate", certificate, "--db", db, "--user", ADMIN, "--password-stdin",
                          stdin=ADMIN_PASSWORD + "\n")
    assert code == 0, err
    code, out, err = ecrf("query", "import", first_bundle, "--db", db, "--user", ADMIN, "--password-stdin",
                          stdin=ADMIN_PASSWORD + "\n")
    assert code == 0, err
    assert "1 new queries" in out

    # In the nurse's inbox as the sponsor's query, authored by the data manager; she answers it.
    nurse = login(db, study, NURSE, NURSE_PASSWORD)
    try:
        [query] = [q for q in queries.query_inbox(nurse, QueryState.OPEN) if q.origin is QueryOrigin.SPONSOR]
        assert (query.check_key, query.raised_by, query.raised_role) == ("sponsor:SQ-0001", "dm.lee@sponsor",
                                                                         "sponsor")
        assert (query.place.subject, query.place.form, query.place.item) == (place.subject, place.form, place.item)
        assert query.last_text.startswith("[SQ-0001] Please check")
        queries.answer_query(nurse, query.id, "Checked: the value is as in the source.",
                             ResponseCode.CONFIRMED_CORRECT)
    finally:
        nurse.close()
    bundle = export_now(db, study, tmp_path / "from-site")

    # Back at the sponsor: the site's bundle verifies and merges; the answer shows.
    _merged(ecrf, central, bundle, site.certificate)
    listed = _listed(ecrf, central, "--state", "answered")
    assert "SQ-0001" in listed and "[confirmed_correct] Checked" in listed
    code, out, err = ecrf("query", "close", "--central", central.path, "SQ-0001", "--text", "Accepted.",
                          "--by", "dm.lee")
    assert code == 0, err
    assert "closing" in _listed(ecrf, central)
    code, out, err = ecrf("query", "bundle", "--central", central.path, "--site", "CN02", "--out", tmp_path / "to-site")
    assert code == 0, err
    second_bundle = next(p for p in (tmp_path / "to-site").glob("*.zip") if p != first_bundle)

    # The site imports the close (with the service this time); the query is closed by the sponsor.
    admin = login(db, study, ADMIN, ADMIN_PASSWORD)
    try:
        result = import_query_bundle(admin, second_bundle)
        assert (result.sequence, result.raised, len(result.closed)) == (2, (), 1)
        again = import_query_bundle(admin, second_bundle)
        assert again.already_imported
    finally:
        admin.close()
    nurse = login(db, study, NURSE, NURSE_PASSWORD)
    try:
        thread = queries.query_thread(nurse, query.id)
        assert thread.query.state is QueryState.CLOSED
        assert [(m.kind, m.author) for m in thread.messages] == [
            ("raised", "dm.lee@sponsor"), ("answered", NURSE), ("closed", "dm.lee@sponsor")]
    finally:
        nurse.close()

    # The site's next bundle verifies (trail replay included) and closes the loop at the sponsor.
    _merged(ecrf, central, export_now(db, study, tmp_path / "from-site"), site.certificate)
    assert "closed" in _listed(ecrf, central, "--state", "closed")
    code, out, err = ecrf("audit", "verify", "--db", db, "--user", ADMIN, "--password-stdin",
                          stdin=ADMIN_PASSWORD + "\n")
    assert code == 0, out + err


def test_the_service_registers_the_certificate_and_says_whose_it_is(tmp_path: Path, multi_site, study,  # type: ignore[no-untyped-def]
                                                                     sponsor_env) -> None:
    from datetime import UTC, datetime

    from ecrf.merge.query_bundle.sponsor_key import create_sponsor_key

    identity = create_sponsor_key(sponsor_env, "a long passphrase", "ACME Pharma", datetime.now(UTC))
    db = site_copy(multi_site.site("CN03").folder, tmp_path)
    admin = login(db, study, ADMIN, ADMIN_PASSWORD)
    try:
        registered = register_sponsor_certificate(admin, identity.certificate_pem.encode("ascii"))
    finally:
        admin.close()
    assert (registered.sponsor, registered.fingerprint, registered.registered_by) == (
        "ACME Pharma", identity.fingerprint, ADMIN)
