"""Trust binds identity: a site certificate names its study, site and installation, and a bundle verifies only
for the site its signer names, whatever else a trust file lists (issue 12, item 7)."""
from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ecrf.cli.verify import add_verify_command
from ecrf.export.bundle.identity import (
    SigningIdentity,
    SiteNaming,
    certificate_naming,
    format_fingerprint,
    names_site,
    new_identity,
)
from ecrf.export.verify.bundle import verify_bundle
from tests.export import test_verify as shared
from tests.export.test_verify import FILES, dump, make_bundle, manifest_for

fake_checkers = shared.fake_checkers  # PDF and ODM checkers faked: the signer is what is tested here

pytestmark = [pytest.mark.req("EXPORT-TRUST-IDENTITY"), pytest.mark.req("EXPORT-SIGNED")]

NOW = datetime.now(UTC)
STUDY = "MSC-COVID19"


def site_identity(code: str, installation: str | None) -> SigningIdentity:
    return new_identity(STUDY, code, f"Hospital {code}", NOW, installation_id=installation)


def old_identity(code: str) -> SigningIdentity:
    """A certificate as ecrf made them before they named their installation (no subject alternative name)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"ecrf site {code} of study {STUDY}"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Hospital {code}"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"study {STUDY}")])
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(NOW - timedelta(days=1))
                   .not_valid_after(NOW + timedelta(days=3650)).sign(key, hashes.SHA256()))
    return SigningIdentity(key, certificate)


def bundle_claiming(tmp_path: Path, signer: SigningIdentity, code: str, installation: str,
                    name: str = "bundle.zip") -> Path:
    """A bundle signed by `signer` whose manifest says it comes from site `code`, installation `installation`."""
    manifest = manifest_for(FILES, signer)
    manifest["site"].update(code=code, installation_id=installation)
    return make_bundle(tmp_path, FILES, signer, name, manifest=dump(manifest))


def trust_file(tmp_path: Path, *identities: SigningIdentity) -> str:
    path = tmp_path / "registered.pem"
    path.write_text("".join(identity.certificate_pem for identity in identities))
    return str(path)


@pytest.fixture(scope="module")
def site_a() -> SigningIdentity:
    return site_identity("CN01", "inst-a")


@pytest.fixture(scope="module")
def site_b() -> SigningIdentity:
    return site_identity("CN02", "inst-b")


def test_a_new_certificate_names_study_site_and_installation_exactly():
    identity = new_identity("STUDY/2 ü", "CN 01:x", "Hospital", NOW, installation_id="d27f-11")
    assert certificate_naming(identity.certificate) == SiteNaming("STUDY/2 ü", "CN 01:x", "d27f-11")
    uris = identity.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "urn:ecrf:installation:d27f-11" in uris.get_values_for_type(x509.UniformResourceIdentifier)
    assert identity.certificate.subject.rfc4514_string().startswith("OU=study STUDY/2 ü,O=Hospital,CN=ecrf site")


def test_names_site_compares_study_site_and_installation(site_a: SigningIdentity):
    assert names_site(site_a.certificate, SiteNaming(STUDY, "CN01", "inst-a"))
    assert not names_site(site_a.certificate, SiteNaming(STUDY, "CN02", "inst-a"))
    assert not names_site(site_a.certificate, SiteNaming("OTHER", "CN01", "inst-a"))
    assert not names_site(site_a.certificate, SiteNaming(STUDY, "CN01", "inst-z"))
    assert not names_site(site_a.certificate, SiteNaming(STUDY, "CN01", None))


def test_an_older_certificate_matches_on_study_and_site_only():
    old = old_identity("CN01")
    assert certificate_naming(old.certificate) is None
    assert names_site(old.certificate, SiteNaming(STUDY, "CN01", "any installation"))
    assert not names_site(old.certificate, SiteNaming(STUDY, "CN02", "any installation"))
    assert not names_site(old.certificate, SiteNaming(None, None, None))


def test_the_own_site_verifies_with_a_trust_file_of_several_sites(tmp_path: Path, site_a: SigningIdentity,
                                                                  site_b: SigningIdentity):
    verdict = verify_bundle(bundle_claiming(tmp_path, site_a, "CN01", "inst-a"),
                            trust_file(tmp_path, site_b, site_a))
    assert verdict.ok, verdict.problems
    assert verdict.signer_trusted


def test_site_b_cannot_sign_for_site_a_although_the_trust_file_lists_both(tmp_path: Path, site_a: SigningIdentity,
                                                                          site_b: SigningIdentity):
    """The attack of issue 12: B's key, B's trusted certificate, a manifest claiming to be site A."""
    forged = bundle_claiming(tmp_path, site_b, "CN01", "inst-a")
    expected = ("manifest.sig: signed by the certificate of site CN02 of study MSC-COVID19, installation inst-b, but "
                "the manifest claims site CN01 of study MSC-COVID19, installation inst-a: a bundle signed with another "
                "site's key")
    for trust in (trust_file(tmp_path, site_a, site_b), None, site_b.fingerprint):
        verdict = verify_bundle(forged, trust)
        assert not verdict.ok and not verdict.signer_trusted
        assert verdict.problems == [expected]


def test_another_installation_of_the_same_site_is_not_the_registered_one(tmp_path: Path, site_a: SigningIdentity):
    copy = site_identity("CN01", "inst-a2")  # a second installation at site CN01, or a database rebuilt
    forged = bundle_claiming(tmp_path, copy, "CN01", "inst-a")
    verdict = verify_bundle(forged, trust_file(tmp_path, site_a, copy))
    assert not verdict.ok and not verdict.signer_trusted
    assert verdict.problems[0].startswith("manifest.sig: signed by the certificate of site CN01 of study MSC-COVID19, "
                                          "installation inst-a2, but the manifest claims")


def test_a_trusted_certificate_that_is_not_the_signer_does_not_match(tmp_path: Path, site_a: SigningIdentity):
    impostor = site_identity("CN01", "inst-a")  # names site A exactly, but is not A's registered certificate
    verdict = verify_bundle(bundle_claiming(tmp_path, impostor, "CN01", "inst-a"), trust_file(tmp_path, site_a))
    assert not verdict.ok and not verdict.signer_trusted
    assert verdict.problems[0].startswith(f"manifest.sig: signed by certificate {impostor.fingerprint[:2].upper()}:")
    assert "not by the trusted site certificate" in verdict.problems[0]


def test_bundles_of_an_older_certificate_still_verify_for_their_own_site(tmp_path: Path):
    old_a, old_b = old_identity("CN01"), old_identity("CN02")
    trust = trust_file(tmp_path, old_a, old_b)
    verdict = verify_bundle(bundle_claiming(tmp_path, old_a, "CN01", "inst-a", "a.zip"), trust)
    assert verdict.ok and verdict.signer_trusted, verdict.problems
    verdict = verify_bundle(bundle_claiming(tmp_path, old_b, "CN01", "inst-a", "b.zip"), trust)
    assert verdict.problems == ["manifest.sig: signed by the certificate of 'ecrf site CN02 of study MSC-COVID19', "
                                "but the manifest claims site CN01 of study MSC-COVID19, installation inst-a: a "
                                "bundle signed with another site's key"]


def test_the_cli_says_the_trust_did_not_match(tmp_path: Path, site_a: SigningIdentity, site_b: SigningIdentity,
                                              capsys: pytest.CaptureFixture[str]):
    parser = argparse.ArgumentParser(prog="ecrf")
    add_verify_command(parser.add_subparsers())
    forged = bundle_claiming(tmp_path, site_b, "CN01", "inst-a")
    args = parser.parse_args(["verify", str(forged), "--trust", trust_file(tmp_path, site_a, site_b)])
    assert args.run(args) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("NOT VERIFIED: manifest.sig: signed by the certificate of site CN02")
    assert any(line.startswith("  trust:     MISMATCH") for line in lines)


def test_an_exported_bundle_names_its_installation_in_the_certificate(demo_bundle: Path):
    import zipfile

    from ecrf.export.bundle.manifest_sig import manifest_signer

    with zipfile.ZipFile(demo_bundle) as archive:
        manifest_bytes, signature = archive.read("manifest.json"), archive.read("manifest.sig")
    manifest = json.loads(manifest_bytes)
    naming = certificate_naming(manifest_signer(manifest_bytes, signature))
    assert naming == SiteNaming(manifest["study"]["oid"], manifest["site"]["code"], manifest["site"]["installation_id"])


def test_a_registry_trust_binds_each_fingerprint_to_its_registered_installation(tmp_path: Path,
                                                                                 site_a: SigningIdentity):
    """What `ecrf.merge` hands in: the claim must equal the entry, not only what the certificate names."""
    from ecrf.export.verify.trust import Registered, Trust

    bundle = bundle_claiming(tmp_path, site_a, "CN01", "inst-a")
    right = Trust.registered([Registered(site_a.fingerprint.upper(), SiteNaming(STUDY, "CN01", "inst-a"))], "reg.json")
    verdict = verify_bundle(bundle, right)
    assert verdict.ok and verdict.signer_trusted, verdict.problems
    elsewhere = Trust.registered([Registered(site_a.fingerprint, SiteNaming(STUDY, "CN01", "inst-z"))], "reg.json")
    verdict = verify_bundle(bundle, elsewhere)
    assert not verdict.ok and not verdict.signer_trusted
    assert verdict.problems == [f"manifest.sig: signed by certificate {format_fingerprint(site_a.fingerprint)}, which "
                                "the trust registry reg.json holds for site CN01 of study MSC-COVID19, installation "
                                "inst-z, but the manifest claims site CN01 of study MSC-COVID19, installation inst-a: "
                                "a registered key signing for another site or installation"]
    verdict = verify_bundle(bundle, Trust.registered([], "reg.json"))
    assert verdict.problems[0].startswith("manifest.sig: signed by certificate ")
    assert "which is not in the trust registry reg.json" in verdict.problems[0]
