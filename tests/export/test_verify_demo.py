"""`ecrf verify` over a real bundle exported from the demo site, with the real PDF and ODM checkers."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ecrf.cli.main import main
from ecrf.export.bundle.identity import SigningIdentity, format_fingerprint, new_identity
from ecrf.export.bundle.manifest_sig import manifest_signer, sign_manifest
from ecrf.export.verify.bundle import verify_bundle
from tests.export.test_verify import entries_of, flip_middle_byte, sha256

ROOT = Path(__file__).resolve().parents[2]
KINDS = {  # every entry of the bundle falls in exactly one group
    "manifest": lambda name: name in ("manifest.json", "manifest.sig", "manifest.signer.json"),
    "audit": lambda name: name.startswith("audit/"),
    "odm": lambda name: name == "odm.xml",
    "csv": lambda name: name.startswith("csv/") and not name.startswith("csv/forms/"),
    "form csv": lambda name: name.startswith("csv/forms/"),
    "pdf": lambda name: name.startswith("pdf/"),
}


def write_stored(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:  # stored: quick to rewrite
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


@pytest.fixture(scope="module")
def demo_entries(demo_bundle: Path) -> dict[str, bytes]:
    return entries_of(demo_bundle)


@pytest.fixture(scope="module")
def site_certificate_pem(demo_entries: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cryptography.hazmat.primitives import serialization

    certificate = manifest_signer(demo_entries["manifest.json"], demo_entries["manifest.sig"])
    path = tmp_path_factory.mktemp("trust") / "site.pem"
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return path


@pytest.mark.req("EXPORT-VERIFY")
@pytest.mark.req("EXPORT-SIGNED")
def test_the_demo_bundle_verifies(demo_bundle: Path, demo_entries: dict[str, bytes], site_certificate_pem: Path):
    verdict = verify_bundle(demo_bundle)
    assert verdict.ok, verdict.problems
    assert verdict.files == len(demo_entries) - 3 and verdict.subjects == 20
    assert verdict.events and verdict.seals and verdict.esignatures
    # a site sealed from its first event: the only note is the demo's broken signature (casebook and form)
    assert [note.split(":")[0] for note in verdict.notes] == ["2 electronic signature(s) are marked broken"]
    assert any(name.startswith("pdf/casebooks/") for name in demo_entries)
    verdict = verify_bundle(demo_bundle, str(site_certificate_pem))
    assert verdict.ok and verdict.trust_checked, verdict.problems


def test_every_entry_is_in_one_group(demo_entries: dict[str, bytes]):
    assert all(sum(test(name) for test in KINDS.values()) == 1 for name in demo_entries)


@pytest.mark.req("EXPORT-VERIFY")
@pytest.mark.parametrize("kind", list(KINDS))
def test_one_changed_byte_in_any_file_names_it(demo_entries: dict[str, bytes], tmp_path: Path, kind: str):
    names = [name for name in demo_entries if KINDS[kind](name)]
    assert names
    wrong = {}
    for name in names:
        changed = write_stored(tmp_path / "changed.zip", {**demo_entries, name: flip_middle_byte(demo_entries[name])})
        verdict = verify_bundle(changed)
        if verdict.ok or not verdict.problems[0].startswith(f"{name}: "):
            wrong[name] = verdict.problems[:1]
    assert wrong == {}


@pytest.mark.req("EXPORT-VERIFY")
def test_removed_and_added_files(demo_entries: dict[str, bytes], tmp_path: Path):
    casebook = next(name for name in sorted(demo_entries) if name.startswith("pdf/casebooks/"))
    removed = write_stored(tmp_path / "removed.zip", {k: v for k, v in demo_entries.items() if k != casebook})
    assert verify_bundle(removed).problems[0] == f"{casebook}: listed in the manifest but missing from the bundle"
    added = write_stored(tmp_path / "added.zip", {**demo_entries, "csv/notes.csv": b"a,b\r\n"})
    assert verify_bundle(added).problems[0] == "csv/notes.csv: in the bundle but not listed in the manifest " \
                                               "(added after signing)"


def forge(entries: dict[str, bytes], forger: SigningIdentity) -> dict[str, bytes]:
    """What someone with another key can do: rewrite the manifest over the changed files and sign it."""
    manifest = json.loads(entries["manifest.json"])
    manifest["site"]["certificate_sha256"] = forger.fingerprint
    for entry in manifest["files"]:
        entry.update(sha256=sha256(entries[entry["path"]]), size=len(entries[entry["path"]]))
    text = (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()
    return {**entries, "manifest.json": text, "manifest.sig": sign_manifest(text, forger)}


@pytest.fixture(scope="module")
def forger() -> SigningIdentity:
    return new_identity("MSC-COVID19", "DEMO", "Demo hospital", datetime.now(UTC))


@pytest.mark.req("EXPORT-VERIFY")
def test_a_forger_cannot_re_sign_the_pdfs(demo_entries: dict[str, bytes], tmp_path: Path,
                                           site_certificate_pem: Path, forger: SigningIdentity):
    """Another key re-signs a consistent manifest over an edited CSV: the manifest verifies internally, but the
    PDFs still carry the site's signature, and --trust names the wrong signer."""
    edited = {**demo_entries, "csv/subjects.csv": demo_entries["csv/subjects.csv"] + b"S-99,forged\r\n"}
    forged = write_stored(tmp_path / "forged.zip", forge(edited, forger))
    verdict = verify_bundle(forged)
    assert not verdict.ok and verdict.fingerprint == forger.fingerprint
    assert verdict.problems[0].startswith("pdf/")
    assert "signed with another certificate" in verdict.problems[0]
    verdict = verify_bundle(forged, str(site_certificate_pem))
    forger_fingerprint = format_fingerprint(forger.fingerprint)
    assert verdict.problems[0].startswith(f"manifest.sig: signed by certificate {forger_fingerprint}")


@pytest.mark.req("EXPORT-ODM")
def test_an_invalid_odm_is_named(demo_entries: dict[str, bytes], tmp_path: Path, forger: SigningIdentity):
    odm = b'<?xml version="1.0" encoding="UTF-8"?>\n<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3"><Nonsense/></ODM>\n'
    verdict = verify_bundle(write_stored(tmp_path / "odm.zip", forge({**demo_entries, "odm.xml": odm}, forger)))
    assert any(problem.startswith("odm.xml: ") for problem in verdict.problems), verdict.problems


@pytest.fixture
def no_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No trust registry at the default place: `ecrf verify` without --trust has no trust source."""
    path = tmp_path / "no-registry.json"
    monkeypatch.setenv("ECRF_TRUST_REGISTRY", str(path))
    return path


@pytest.mark.req("EXPORT-VERIFY")
def test_cli_exit_codes(demo_bundle: Path, demo_entries: dict[str, bytes], tmp_path: Path,
                        site_certificate_pem: Path, no_registry: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["verify", str(demo_bundle)]) == 3  # intact, signer not checked
    assert capsys.readouterr().out.startswith("INTACT, signer NOT CHECKED: no trust registry and no --trust")
    assert main(["verify", str(demo_bundle), "--trust", str(site_certificate_pem)]) == 0
    capsys.readouterr()
    changed = write_stored(tmp_path / "changed.zip", {**demo_entries, "odm.xml": flip_middle_byte(
        demo_entries["odm.xml"])})
    assert main(["verify", str(changed)]) == 1
    assert capsys.readouterr().out.startswith("NOT VERIFIED: odm.xml: ")
    assert main(["verify", str(tmp_path / "none.zip")]) == 1
    assert capsys.readouterr().out.startswith("NOT VERIFIED: none.zip: no such file")


def test_the_installed_command(demo_bundle: Path, site_certificate_pem: Path):
    result = subprocess.run([sys.executable, "-m", "ecrf", "verify", str(demo_bundle), "--trust",
                             str(site_certificate_pem)], capture_output=True, text=True, cwd=ROOT, timeout=300,
                            check=False)
    assert (result.returncode, result.stdout.splitlines()[0]) == (0, "VERIFIED"), result.stdout + result.stderr
