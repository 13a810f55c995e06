"""The trust registry (ecrf.merge.trust_registry): entries bound to one study, site and installation; the file
written atomically and refused, untouched, when damaged; the binding checked by `verify_bundle`."""
from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ecrf.export.bundle.identity import SigningIdentity, SiteNaming, format_fingerprint, new_identity
from ecrf.merge.errors import TrustRegistryError
from ecrf.merge.trust_registry import Selection, default_registry_path, load_registry, open_registry
from ecrf.merge.trust_source import AddRequest, new_entry

pytestmark = pytest.mark.req("MERGE-TRUST")

STUDY = "MSC-COVID19"
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


def identity(code: str, installation: str | None = None, study: str = STUDY) -> SigningIdentity:
    return new_identity(study, code, f"Hospital {code}", NOW, installation_id=installation or f"inst-{code}")


@pytest.fixture(scope="module")
def site_a() -> SigningIdentity:
    return identity("CN01")


@pytest.fixture(scope="module")
def site_b() -> SigningIdentity:
    return identity("CN02")


def pem_file(folder: Path, signer: SigningIdentity, name: str | None = None) -> str:
    path = folder / (name or f"{signer.fingerprint[:8]}.pem")
    path.write_text(signer.certificate_pem, encoding="ascii")
    return str(path)


def add(path: Path, spec: str, site: str, replace: bool = False, **options: str) -> None:
    registry = open_registry(path)
    registry.add(new_entry(AddRequest(spec, site, options.get("study"), options.get("installation"),
                                      options.get("note")), NOW), replace=replace)
    registry.save()


def refused(code: str, call, *args, **kwargs) -> TrustRegistryError:  # type: ignore[no-untyped-def]
    with pytest.raises(TrustRegistryError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def test_an_entry_from_a_certificate_takes_its_binding_from_the_certificate(tmp_path: Path, site_a: SigningIdentity):
    registry_path = tmp_path / "sponsor" / "trust.json"  # the folder is made on first use
    add(registry_path, pem_file(tmp_path, site_a), "CN01", note="checked by phone with Dr Li")
    [entry] = load_registry(registry_path).entries
    assert (entry.study_oid, entry.site_code, entry.installation_id) == (STUDY, "CN01", "inst-CN01")
    assert entry.certificate_sha256 == site_a.fingerprint and entry.certificate_pem == site_a.certificate_pem
    assert entry.added_at == "2026-12-03T09:30:00Z" and entry.note == "checked by phone with Dr Li"
    text = registry_path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert list(document) == sorted(document) and list(document["entries"][0]) == sorted(document["entries"][0])
    assert document["format"] == "ecrf-trust-registry" and document["format_version"] == 1
    assert text.endswith("}\n") and list(registry_path.parent.iterdir()) == [registry_path]  # no temporary left


def test_a_der_certificate_is_stored_as_pem(tmp_path: Path, site_a: SigningIdentity):
    der = tmp_path / "site.der"
    der.write_bytes(site_a.certificate_der)
    add(tmp_path / "r.json", str(der), "CN01")
    assert load_registry(tmp_path / "r.json").entries[0].certificate_pem == site_a.certificate_pem


def test_an_entry_by_fingerprint_needs_study_and_installation(tmp_path: Path, site_a: SigningIdentity):
    path = tmp_path / "r.json"
    spaced = format_fingerprint(site_a.fingerprint)  # colons, upper case: as `ecrf site certificate` prints it
    error = refused("trust-fingerprint-unbound", add, path, spaced, "CN01")
    assert "--study OID --installation ID" in error.message
    refused("trust-fingerprint-unbound", add, path, spaced, "CN01", study=STUDY)
    assert not path.exists()
    add(path, spaced, "CN01", study=STUDY, installation="inst-CN01")
    [entry] = load_registry(path).entries
    assert entry.certificate_sha256 == site_a.fingerprint and entry.certificate_pem is None
    assert entry.naming == SiteNaming(STUDY, "CN01", "inst-CN01")


def test_the_options_must_match_the_certificate(tmp_path: Path, site_a: SigningIdentity):
    path, pem = tmp_path / "r.json", pem_file(tmp_path, site_a)
    error = refused("trust-option-mismatch", add, path, pem, "CN02")
    assert "--site CN02 does not match the certificate" in error.message and "(--site CN01)" in error.message
    refused("trust-option-mismatch", add, path, pem, "CN01", installation="inst-other")
    refused("trust-option-mismatch", add, path, pem, "CN01", study="OTHER-STUDY")
    add(path, pem, "CN01", study=STUDY, installation="inst-CN01")  # the same values are welcome
    assert len(load_registry(path).entries) == 1


def test_bad_input_is_refused_with_its_reason(tmp_path: Path, site_a: SigningIdentity, site_b: SigningIdentity):
    path = tmp_path / "r.json"
    refused("trust-add-not-recognised", add, path, "site-a-cert", "CN01")
    refused("trust-certificate-missing", add, path, str(tmp_path / "none.pem"), "CN01")
    (tmp_path / "not.pem").write_text("-----BEGIN CERTIFICATE-----\nnonsense\n-----END CERTIFICATE-----\n")
    refused("trust-certificate-invalid", add, path, str(tmp_path / "not.pem"), "CN01")
    both = tmp_path / "both.pem"
    both.write_text(site_a.certificate_pem + site_b.certificate_pem)
    assert "holds 2 certificates" in refused("trust-certificate-several", add, path, str(both), "CN01").message
    refused("trust-option-invalid", add, path, site_a.fingerprint, "CN01", study=STUDY, installation="bad\nid")
    refused("trust-option-invalid", add, path, site_a.fingerprint, " ", study=STUDY, installation="i")
    assert not path.exists()


def older_certificate(code: str) -> SigningIdentity:
    """A certificate as ecrf made them before they named study, site and installation as URIs."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"ecrf site {code} of study {STUDY}"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"study {STUDY}")])
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(NOW - timedelta(days=1))
                   .not_valid_after(NOW + timedelta(days=3650)).sign(key, hashes.SHA256()))
    return SigningIdentity(key, certificate)


def test_an_older_certificate_needs_study_and_installation_and_its_words_must_fit(tmp_path: Path):
    path, old = tmp_path / "r.json", older_certificate("CN03")
    pem = pem_file(tmp_path, old)
    refused("trust-certificate-unnamed", add, path, pem, "CN03")
    refused("trust-certificate-other-site", add, path, pem, "CN04", study=STUDY, installation="inst-x")
    add(path, pem, "CN03", study=STUDY, installation="inst-x")
    assert load_registry(path).entries[0].naming == SiteNaming(STUDY, "CN03", "inst-x")


def test_duplicates_and_conflicts_are_refused(tmp_path: Path, site_a: SigningIdentity):
    path, pem = tmp_path / "r.json", pem_file(tmp_path, site_a)
    add(path, pem, "CN01")
    before = path.read_bytes()
    assert "already registered" in refused("trust-already-registered", add, path, pem, "CN01").message
    # the same certificate for another installation (or site) by fingerprint: one certificate, one installation
    error = refused("trust-certificate-registered-elsewhere", add, path, site_a.fingerprint, "CN02", study=STUDY,
                    installation="inst-CN02")
    assert "site CN01 of study MSC-COVID19, installation inst-CN01" in error.message
    refused("trust-certificate-registered-elsewhere", add, path, site_a.fingerprint, "CN01", study=STUDY,
            installation="inst-twin", replace=True)
    # a second certificate for the same installation: only with --replace
    renewed = identity("CN01", "inst-CN01")
    error = refused("trust-installation-has-certificate", add, path, pem_file(tmp_path, renewed), "CN01")
    assert "--replace" in error.message
    assert path.read_bytes() == before
    add(path, pem_file(tmp_path, renewed), "CN01", replace=True)
    [entry] = load_registry(path).entries
    assert entry.certificate_sha256 == renewed.fingerprint


def test_another_installation_of_a_site_has_its_own_entry(tmp_path: Path, site_a: SigningIdentity):
    path = tmp_path / "r.json"
    add(path, pem_file(tmp_path, site_a), "CN01")
    add(path, pem_file(tmp_path, identity("CN01", "inst-second")), "CN01")
    assert sorted(e.installation_id for e in load_registry(path).entries) == ["inst-CN01", "inst-second"]


def test_remove_takes_exactly_one_entry(tmp_path: Path, site_a: SigningIdentity, site_b: SigningIdentity):
    path = tmp_path / "r.json"
    second = identity("CN01", "inst-second")
    for code, signer in (("CN01", site_a), ("CN02", site_b), ("CN01", second)):
        add(path, pem_file(tmp_path, signer), code)
    registry = load_registry(path)
    assert "2 entries" in refused("trust-remove-ambiguous", registry.remove, Selection("CN01")).message
    refused("trust-remove-none", registry.remove, Selection("CN09"))
    refused("trust-remove-none", registry.remove, Selection("CN02", fingerprint=site_a.fingerprint))
    assert registry.remove(Selection("CN01", installation_id="inst-second")).certificate_sha256 == second.fingerprint
    registry.save()
    registry = load_registry(path)
    assert registry.remove(Selection("CN01", fingerprint=site_a.fingerprint)).site_code == "CN01"
    registry.save()
    assert [e.site_code for e in load_registry(path).entries] == ["CN02"]


def test_a_missing_registry_is_an_error_for_use_but_empty_for_adding(tmp_path: Path):
    path = tmp_path / "none.json"
    assert "ecrf trust add" in refused("trust-registry-missing", load_registry, path).message
    assert open_registry(path).entries == [] and not open_registry(path).on_disk


def test_the_default_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("ECRF_TRUST_REGISTRY", raising=False)
    monkeypatch.setenv("ECRF_DATA_DIR", str(tmp_path / "data"))
    assert default_registry_path() == tmp_path / "data" / "sponsor" / "trust-registry.json"
    monkeypatch.setenv("ECRF_TRUST_REGISTRY", str(tmp_path / "elsewhere.json"))
    assert default_registry_path() == tmp_path / "elsewhere.json"


def good_document(site_a: SigningIdentity) -> dict:  # type: ignore[type-arg]
    entry = {"study_oid": STUDY, "site_code": "CN01", "installation_id": "inst-CN01", "note": None,
             "certificate_sha256": site_a.fingerprint, "certificate_pem": site_a.certificate_pem,
             "added_at": "2026-12-03T09:30:00Z"}
    return {"format": "ecrf-trust-registry", "format_version": 1, "entries": [entry]}


def damage(document: dict, how: str, other: SigningIdentity) -> bytes:  # type: ignore[type-arg]
    entry = document["entries"][0]
    if how == "not json":
        return b'{"format": "ecrf-trust-registry", '
    if how == "not utf-8":
        return b'{"format": "\xff"}'
    changes = {
        "other format": lambda: document.update(format="something-else"),
        "newer version": lambda: document.update(format_version=2),
        "unknown field": lambda: entry.update(trusted_forever=True),
        "short fingerprint": lambda: entry.update(certificate_sha256="ab" * 20),
        "pem of another certificate": lambda: entry.update(certificate_pem=other.certificate_pem),
        "bound to a site its certificate does not name": lambda: entry.update(site_code="CN02"),
        "no added_at": lambda: entry.pop("added_at"),
        "the same certificate twice": lambda: document["entries"].append({**entry, "installation_id": "inst-z"}),
        "entries not a list": lambda: document.update(entries={}),
    }
    changes[how]()
    return json.dumps(document).encode()


DAMAGES = ["not json", "not utf-8", "other format", "newer version", "unknown field", "short fingerprint",
           "pem of another certificate", "bound to a site its certificate does not name", "no added_at",
           "the same certificate twice", "entries not a list"]


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_registry_is_refused_and_left_untouched(tmp_path: Path, site_a: SigningIdentity,
                                                          site_b: SigningIdentity, how: str):
    path = tmp_path / "r.json"
    path.write_bytes(damage(good_document(site_a), how, site_b))
    before = path.read_bytes()
    for attempt in (lambda: load_registry(path),
                    lambda: add(path, pem_file(tmp_path, site_b), "CN02")):
        with pytest.raises(TrustRegistryError) as caught:
            attempt()
        assert caught.value.code.startswith("trust-registry-"), caught.value.message
        assert str(path) in caught.value.message
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_good_document_of_the_damage_tests_loads(tmp_path: Path, site_a: SigningIdentity):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(good_document(site_a)))
    assert load_registry(path).entries[0].certificate_sha256 == site_a.fingerprint


def test_a_change_made_meanwhile_is_not_overwritten(tmp_path: Path, site_a: SigningIdentity,
                                                    site_b: SigningIdentity):
    path = tmp_path / "r.json"
    add(path, pem_file(tmp_path, site_a), "CN01")
    mine = load_registry(path)
    add(path, pem_file(tmp_path, site_b), "CN02")  # another sponsor's command, between my read and my write
    mine.remove(Selection("CN01"))
    refused("trust-registry-changed", mine.save)
    assert len(load_registry(path).entries) == 2


def test_a_failed_write_keeps_the_old_registry(tmp_path: Path, site_a: SigningIdentity, site_b: SigningIdentity,
                                               monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "r.json"
    add(path, pem_file(tmp_path, site_a), "CN01")
    before = path.read_bytes()

    def no_space(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    assert "No space left" in refused("trust-registry-write-failed", add, path, pem_file(tmp_path, site_b),
                                      "CN02").message
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_file_is_the_same_for_the_same_entries_in_any_order(tmp_path: Path, site_a: SigningIdentity,
                                                                 site_b: SigningIdentity):
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    pems = {"CN01": pem_file(tmp_path, site_a), "CN02": pem_file(tmp_path, site_b)}
    for path, order in ((one, ["CN01", "CN02"]), (two, ["CN02", "CN01"])):
        for code in order:
            add(path, pems[code], code)
    assert one.read_bytes() == two.read_bytes()


def test_replace_stores_the_certificate_over_a_fingerprint_only_entry(tmp_path: Path, site_a: SigningIdentity):
    path = tmp_path / "r.json"
    add(path, site_a.fingerprint, "CN01", study=STUDY, installation="inst-CN01")
    refused("trust-already-registered", add, path, pem_file(tmp_path, site_a), "CN01")
    add(path, pem_file(tmp_path, site_a), "CN01", replace=True, note="certificate received")
    [entry] = load_registry(path).entries
    assert entry.certificate_pem == site_a.certificate_pem and entry.note == "certificate received"
