"""verify_bundle: the --trust argument in every spelling, and a manifest the site signed but got wrong."""
from __future__ import annotations

from pathlib import Path

import pytest

from ecrf.export.bundle.identity import SigningIdentity, format_fingerprint
from ecrf.export.verify.bundle import verify_bundle
from tests.export import test_verify as shared
from tests.export.test_verify import FILES, dump, first_problem, make_bundle, manifest_for

fake_checkers, good, other = shared.fake_checkers, shared.good, shared.other  # the same fixtures here


@pytest.mark.req("EXPORT-VERIFY")
def test_trust_in_every_spelling(good: Path, tmp_path: Path, identity: SigningIdentity, other: SigningIdentity):
    (tmp_path / "site.pem").write_text(identity.certificate_pem)
    (tmp_path / "site.der").write_bytes(identity.certificate_der)
    (tmp_path / "registry.pem").write_text(other.certificate_pem + identity.certificate_pem)
    fingerprint = identity.fingerprint
    spellings = [fingerprint, fingerprint.upper(), format_fingerprint(fingerprint),
                 f"sha256 Fingerprint={format_fingerprint(fingerprint)}", f"  {fingerprint}\n",
                 str(tmp_path / "site.pem"), str(tmp_path / "site.der"), str(tmp_path / "registry.pem")]
    for trust in spellings:
        verdict = verify_bundle(good, trust)
        assert verdict.ok and verdict.trust_checked, (trust, verdict.problems)


@pytest.mark.parametrize(("trust", "expected"), [
    ("abc", "--trust abc: neither a certificate file"), ("nothere.pem", "--trust nothere.pem: there is no such"),
    ("g" * 64, f"--trust {'g' * 64}: neither a certificate file"),
])
def test_a_bad_trust_argument(good: Path, trust: str, expected: str):
    assert first_problem(good, trust).startswith(expected)


def test_a_trust_file_that_is_not_a_certificate(good: Path, tmp_path: Path):
    (tmp_path / "notes.txt").write_text("hello")
    assert "not a certificate (PEM or DER)" in first_problem(good, str(tmp_path / "notes.txt"))


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda m: b"not json", "manifest.json: not valid JSON (line 1, column 1"),
    (lambda m: b"\xff\xfe", "manifest.json: not UTF-8 text"),
    (lambda m: b"[1, 2]", "manifest.json: not a JSON object"),
    (lambda m: dump({**m, "format": "zip"}), "manifest.json: its format is 'zip', not 'ecrf-bundle'"),
    (lambda m: dump({**m, "format_version": "2.0"}), "manifest.json: bundle format 2.0 is not supported"),
    (lambda m: dump({**m, "format_version": 1}), "manifest.json: its format_version 1 is not a version"),
    (lambda m: dump({**m, "site": {}}), "manifest.json: site.certificate_sha256 is missing"),
    (lambda m: dump({**m, "files": None}), "manifest.json: has no 'files' list"),
    (lambda m: dump({**m, "files": [*m["files"], m["files"][0]]}), "manifest.json: files[5] lists csv/forms/DM"),
    (lambda m: dump({**m, "files": [{"path": "manifest.json", "sha256": "0" * 64, "size": 1}]}),
     "manifest.json: files[0] lists manifest.json, which the manifest cannot vouch for"),
    (lambda m: dump({**m, "files": [{"path": "a", "sha256": "x", "size": 1}]}),
     "manifest.json: files[0] (a) has no valid SHA-256"),
    (lambda m: dump({**m, "files": [{"path": "a", "sha256": "0" * 64, "size": -1}]}),
     "manifest.json: files[0] (a) has no valid size"),
    (lambda m: dump({**m, "files": ["a"]}), "manifest.json: files[0] has no path"),
])
def test_a_malformed_manifest_signed_by_the_site(tmp_path: Path, identity: SigningIdentity, edit, expected: str):  # type: ignore[no-untyped-def]
    manifest = edit(manifest_for(FILES, identity))
    assert first_problem(make_bundle(tmp_path, FILES, identity, manifest=manifest)).startswith(expected)
