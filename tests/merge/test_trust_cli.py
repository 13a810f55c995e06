"""`ecrf trust add|list|remove` and `ecrf verify` with the registry, over the real bundles of five demo sites:
exit 0 only when the signer is registered for what the manifest claims, 1 when not, 3 without a trust source."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from cryptography import x509

from ecrf.cli.main import main
from ecrf.export.bundle.identity import SigningIdentity, certificate_naming, format_fingerprint
from ecrf.export.bundle.manifest_sig import sign_manifest
from ecrf.export.verify.bundle import verify_bundle
from ecrf.merge.trust_registry import load_registry
from ecrf.study.model import Study
from tests.merge.site_bundles import NURSE, NURSE_PASSWORD, MultiSite, SiteBundles

pytestmark = pytest.mark.req("MERGE-TRUST")

NOT_CHECKED = ("INTACT, signer NOT CHECKED: no trust registry and no --trust; register the site certificate with "
               "`ecrf trust add --site CODE CERT`, or give --trust CERT|FINGERPRINT")


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default registry's place for this test (no file yet): never the shared data folder's."""
    path = tmp_path / "sponsor" / "trust-registry.json"
    monkeypatch.setenv("ECRF_TRUST_REGISTRY", str(path))
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def naming(site: SiteBundles) -> tuple[str, str, str]:
    named = certificate_naming(x509.load_pem_x509_certificate(site.certificate.read_bytes()))
    assert named is not None and named.study_oid and named.site_code and named.installation_id
    return named.study_oid, named.site_code, named.installation_id


def fingerprint(site: SiteBundles) -> str:
    from ecrf.export.bundle.identity import certificate_fingerprint

    return certificate_fingerprint(x509.load_pem_x509_certificate(site.certificate.read_bytes()))


def test_add_list_remove(multi_site: MultiSite, registry: Path, capsys: pytest.CaptureFixture[str]):
    cn01, cn02, cn03 = (multi_site.site(code) for code in ("CN01", "CN02", "CN03"))
    code, lines, _ = run(["trust", "list"], capsys)
    assert code == 0 and lines[0].startswith(f"No trust registry at {registry}")
    code, lines, _ = run(["trust", "add", "--site", "CN01", str(cn01.certificate)], capsys)
    assert code == 0 and lines[0] == f"Registered certificate {format_fingerprint(fingerprint(cn01))}"
    assert lines[1] == f"  for site CN01 of study {naming(cn01)[0]}, installation {naming(cn01)[2]} " \
                       "(from the certificate file)"
    assert run(["trust", "add", "--site", "CN02", str(cn02.certificate), "--note", "by courier"], capsys)[0] == 0
    study, _, installation = naming(cn03)
    assert run(["trust", "add", "--site", "CN03", format_fingerprint(fingerprint(cn03)), "--study", study,
                "--installation", installation], capsys)[0] == 0

    code, lines, _ = run(["trust", "list"], capsys)
    assert code == 0 and lines[0] == f"Trust registry {registry}: 3 certificate(s)."
    assert lines[1].split() == ["study", "site", "installation", "added", "(UTC)", "from", "fingerprint",
                                "(SHA-256)", "note"]
    rows = [line.split() for line in lines[2:]]
    assert [(r[1], r[4]) for r in rows] == [("CN01", "certificate"), ("CN02", "certificate"), ("CN03", "fingerprint")]
    assert rows[2][5] == format_fingerprint(fingerprint(cn03)) and rows[1][6:] == ["by", "courier"]

    code, lines, _ = run(["trust", "remove", "--site", "CN02"], capsys)
    assert code == 0 and lines[0] == f"Removed certificate {format_fingerprint(fingerprint(cn02))}"
    assert [e.site_code for e in load_registry(registry).entries] == ["CN01", "CN03"]


def test_refusals_through_the_cli_say_what_to_do(multi_site: MultiSite, registry: Path,
                                                 capsys: pytest.CaptureFixture[str]):
    cn01 = multi_site.site("CN01")
    assert run(["trust", "add", "--site", "CN01", str(cn01.certificate)], capsys)[0] == 0
    before = registry.read_bytes()
    code, _, err = run(["trust", "add", "--site", "CN02", str(cn01.certificate)], capsys)
    assert code == 1 and err.startswith("error [trust-option-mismatch]: --site CN02 does not match the certificate")
    code, _, err = run(["trust", "add", "--site", "CN01", str(cn01.certificate)], capsys)
    assert code == 1 and err.startswith("error [trust-already-registered]")
    code, _, err = run(["trust", "add", "--site", "CN02", fingerprint(cn01)], capsys)
    assert code == 1 and "needs --study OID --installation ID too" in err
    code, _, err = run(["trust", "remove", "--site", "CN01", "not-a-fingerprint"], capsys)
    assert code == 1 and err.startswith("error [trust-remove-fingerprint-invalid]")
    code, _, err = run(["trust", "remove", "--site", "CN01", "--registry", str(registry.parent / "none.json")], capsys)
    assert code == 1 and err.startswith("error [trust-registry-missing]")
    assert registry.read_bytes() == before


def test_verify_exit_codes(multi_site: MultiSite, registry: Path, capsys: pytest.CaptureFixture[str]):
    cn01, cn02 = multi_site.site("CN01"), multi_site.site("CN02")
    bundle = str(cn01.bundles[-1])
    code, lines, _ = run(["verify", bundle], capsys)  # no registry at the default place, no --trust
    assert code == 3 and lines[0] == NOT_CHECKED
    assert f"  trust:     NOT CHECKED: there is no trust registry at {registry}." in lines

    assert run(["trust", "add", "--site", "CN01", str(cn01.certificate)], capsys)[0] == 0
    code, lines, _ = run(["verify", bundle], capsys)  # the default registry, now there
    assert code == 0 and lines[0] == "VERIFIED"
    study, _, installation = naming(cn01)
    assert f"  trust:     the signer is the certificate registered for site CN01 of study {study}, installation " \
           f"{installation}" in lines
    assert run(["verify", bundle, "--registry", str(registry)], capsys)[0] == 0

    code, lines, _ = run(["verify", str(cn02.bundles[-1])], capsys)  # a site the registry does not know
    assert code == 1
    assert lines[0] == (f"NOT VERIFIED: manifest.sig: signed by certificate {format_fingerprint(fingerprint(cn02))}, "
                        f"which is not in the trust registry {registry}: the bundle was not signed by a registered "
                        "site key (if this is the site's new certificate, check it with the site and register it "
                        "with `ecrf trust add`)")
    assert run(["verify", str(cn02.bundles[-1]), "--trust", str(cn02.certificate)], capsys)[0] == 0  # --trust wins

    tampered = registry.parent / "tampered.zip"
    shutil.copy(cn01.bundles[-1], tampered)
    with tampered.open("r+b") as out:
        out.seek(tampered.stat().st_size // 2)
        byte = out.read(1)
        out.seek(-1, 1)
        out.write(bytes([byte[0] ^ 0xFF]))
    code, lines, _ = run(["verify", str(tampered)], capsys)
    assert code == 1 and lines[0].startswith("NOT VERIFIED: ")


def test_verify_refuses_a_missing_or_damaged_registry(multi_site: MultiSite, registry: Path,
                                                      capsys: pytest.CaptureFixture[str]):
    bundle = str(multi_site.site("CN01").bundles[-1])
    code, _, err = run(["verify", bundle, "--registry", str(registry.parent / "none.json")], capsys)
    assert code == 1 and err.startswith("error [trust-registry-missing]")
    registry.parent.mkdir(parents=True)
    registry.write_text('{"entries": [], "format": "ecrf-trust-registry", "format_version": 1')  # cut short
    code, out, err = run(["verify", bundle], capsys)  # the default one: damaged is never "no registry"
    assert (code, out) == (1, []) and err.startswith("error [trust-registry-damaged]")
    assert registry.read_text() == '{"entries": [], "format": "ecrf-trust-registry", "format_version": 1'
    with pytest.raises(SystemExit) as usage:  # argparse: one trust source at a time
        main(["verify", bundle, "--trust", "x", "--registry", str(registry)])
    assert usage.value.code == 2 and "not allowed with argument --trust" in capsys.readouterr().err


def test_a_fingerprint_entry_for_another_installation_is_refused(multi_site: MultiSite, registry: Path,
                                                                 capsys: pytest.CaptureFixture[str]):
    """CN05's fingerprint registered for the twin's installation (another PC also calling itself CN05) vouches
    for neither: not for CN05's bundles (they claim CN05's installation), not for the twin's (another key)."""
    cn05, twin = multi_site.site("CN05"), multi_site.twin
    study, _, twin_installation = naming(twin)
    assert naming(cn05)[2] != twin_installation
    assert run(["trust", "add", "--site", "CN05", fingerprint(cn05), "--study", study,
                "--installation", twin_installation], capsys)[0] == 0
    code, lines, _ = run(["verify", str(cn05.bundles[-1])], capsys)
    assert code == 1
    assert lines[0].startswith(f"NOT VERIFIED: manifest.sig: signed by certificate "
                               f"{format_fingerprint(fingerprint(cn05))}, which the trust registry {registry} holds "
                               f"for site CN05 of study {study}, installation {twin_installation}, but the manifest "
                               f"claims site CN05 of study {study}, installation {naming(cn05)[2]}")
    assert run(["verify", str(twin.bundles[-1])], capsys)[0] == 1
    # the merge engine's way in: the same binding
    verdict = verify_bundle(cn05.bundles[-1], load_registry(registry).trust())
    assert not verdict.ok and not verdict.signer_trusted


def site_key(site: SiteBundles, study: Study, tmp_path: Path) -> SigningIdentity:
    """Site B's own signing key, as an insider at B holds it (from a copy of B's database)."""
    from ecrf.services.auth import login
    from ecrf.services.permissions import Do
    from ecrf.services.signing import stored_identity

    copy = tmp_path / f"copy-{site.code}"
    shutil.copytree(site.folder, copy)
    session = login(copy / "site.db", study, NURSE, NURSE_PASSWORD)
    try:
        opened = session.database.opened
        with session.read(Do.EXPORT) as db:
            found = stored_identity(db, opened.site_kek if opened else None)
    finally:
        session.close()
    assert found is not None
    return found[0]


def claiming(bundle: Path, site: SiteBundles, signer: SigningIdentity, out: Path) -> Path:
    """`bundle` with its manifest rewritten to claim `site` (code, installation) and re-signed by `signer`."""
    with zipfile.ZipFile(bundle) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    manifest = json.loads(entries["manifest.json"])
    _, code, installation = naming(site)
    manifest["site"].update(code=code, installation_id=installation)
    entries["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()
    entries["manifest.sig"] = sign_manifest(entries["manifest.json"], signer)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out


def test_site_b_registered_for_b_never_makes_a_bundle_claiming_a_verify(multi_site: MultiSite, registry: Path,
                                                                       study: Study, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]):
    cn01, cn02 = multi_site.site("CN01"), multi_site.site("CN02")
    for site in (cn01, cn02):
        assert run(["trust", "add", "--site", site.code, str(site.certificate)], capsys)[0] == 0
    forged = claiming(cn02.bundles[-1], cn01, site_key(cn02, study, tmp_path), tmp_path / "forged.zip")
    code, lines, _ = run(["verify", str(forged)], capsys)
    assert code == 1 and lines[0].startswith("NOT VERIFIED: manifest.sig: signed by the certificate of site CN02")
    verdict = verify_bundle(forged, load_registry(registry).trust())
    assert not verdict.ok and not verdict.signer_trusted
    assert any("the manifest claims site CN01" in problem for problem in verdict.problems)
    # nor can B's certificate be registered for A, from its file or by its fingerprint
    code, _, err = run(["trust", "add", "--site", "CN01", str(cn02.certificate)], capsys)
    assert code == 1 and err.startswith("error [trust-option-mismatch]")
    study_oid, _, installation = naming(cn01)
    code, _, err = run(["trust", "add", "--site", "CN01", fingerprint(cn02), "--study", study_oid,
                        "--installation", installation, "--replace"], capsys)
    assert code == 1 and err.startswith("error [trust-certificate-registered-elsewhere]")
