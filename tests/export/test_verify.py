"""verify_bundle over small hand-made bundles: fast, and each failure is exactly the one made.

The PDF and ODM checkers are replaced here by fakes (their own tests and the demo-bundle tests in
test_verify_demo.py use the real ones); `make_bundle` and `rezip` are shared with those tests.
"""
from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ecrf.export.bundle.identity import SigningIdentity, format_fingerprint, new_identity
from ecrf.export.bundle.manifest_sig import sign_manifest
from ecrf.export.verify import bundle as verify
from ecrf.export.verify.bundle import verify_bundle
from ecrf.export.verify.trail import TrailVerdict

FILES = {
    "odm.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<ODM/>\n',
    "csv/subjects.csv": b"subject,site\r\nS-01,DEMO\r\nS-02,DEMO\r\n",
    "csv/forms/DM.csv": "subject,BRTHDTC,label\r\nS-01,1960-01-01,\u5e74\u9f84\r\n".encode(),
    "pdf/blank_crf.pdf": b"%PDF-1.7\n% a blank CRF stand-in\n%%EOF\n",
    "pdf/casebooks/S-01.pdf": b"%PDF-1.7\n% a casebook stand-in\n%%EOF\n",
}


def sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def manifest_for(files: dict[str, bytes], identity: SigningIdentity) -> dict[str, Any]:
    return {
        "format": "ecrf-bundle", "format_version": "1.0",
        "study": {"oid": "MSC-COVID19", "definition_version": "1.0", "definition_fingerprint": "ab" * 32,
                  "site_definition_version": "1.0"},
        "site": {"code": "DEMO", "name": "Demo hospital", "installation_id": "x",
                 "certificate_sha256": identity.fingerprint},
        "export": {"sequence": 3, "previous_manifest_sha256": None, "created_at": "2026-11-25T09:00:00.000000Z",
                   "data_as_of": "2026-11-25T08:59:00.000000Z", "app": "ecrf", "app_version": "0.1"},
        "audit": {"head_seq": 10, "head_hash": "cd" * 32},
        "counts": {"subjects": 2},
        "csv": {"encoding": "UTF-8", "dialect": "RFC 4180", "formula_rule": "..."},
        "files": [{"path": p, "sha256": sha256(d), "size": len(d)} for p, d in sorted(files.items())],
    }


def dump(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def write_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def make_bundle(tmp_path: Path, files: dict[str, bytes], identity: SigningIdentity, name: str = "bundle.zip",
                manifest: bytes | None = None) -> Path:
    """A bundle as the writer makes it: manifest, signature, then the files."""
    manifest = manifest if manifest is not None else dump(manifest_for(files, identity))
    return write_zip(tmp_path / name, {"manifest.json": manifest, "manifest.sig": sign_manifest(manifest, identity),
                                       **files})


def entries_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """The same bundle with some entries replaced (bytes), removed (None) or added (a new name)."""
    entries = entries_of(source)
    for name, data in change.items():
        if data is None:
            entries.pop(name)
        else:
            entries[name] = data
    return write_zip(target, entries)


def flip_middle_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]


@pytest.fixture(scope="module")
def other() -> SigningIdentity:
    return new_identity("MSC-COVID19", "DEMO", "Demo hospital", datetime.now(UTC))


@pytest.fixture(autouse=True)
def fake_checkers(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """PDFs 'signed' unless they contain UNSIGNED; ODM valid unless it contains BAD. Records the calls."""
    calls: dict[str, list] = {"pdf": [], "odm": []}

    def pdf_problem(pdf: bytes, certificate) -> str | None:  # type: ignore[no-untyped-def]
        calls["pdf"].append((pdf, certificate))
        return "no signature" if b"UNSIGNED" in pdf else None

    def odm_problems(stream) -> list[str]:  # type: ignore[no-untyped-def]
        data = stream.read()
        calls["odm"].append(data)
        return ["line 2: element 'BAD' is not expected"] if b"BAD" in data else []

    monkeypatch.setattr(verify, "pdf_problem", pdf_problem)
    monkeypatch.setattr(verify, "odm_problems", odm_problems)
    # These hand-made bundles carry no trail; the trail checks run on real bundles (test_verify_demo.py,
    # tests/test_tamper.py).
    monkeypatch.setattr(verify, "verify_trail", lambda *args: TrailVerdict())
    return calls


@pytest.fixture
def good(tmp_path: Path, identity: SigningIdentity) -> Path:
    return make_bundle(tmp_path, FILES, identity)


def first_problem(path: Path, trust: str | None = None) -> str:
    verdict = verify_bundle(path, trust)
    assert not verdict.ok
    return verdict.problems[0]


@pytest.mark.req("EXPORT-VERIFY")
def test_a_good_bundle_verifies(good: Path, identity: SigningIdentity, fake_checkers: dict[str, list]):
    verdict = verify_bundle(good)
    assert verdict.ok, verdict.problems
    assert (verdict.study, verdict.definition_version, verdict.site) == ("MSC-COVID19", "1.0", "DEMO (Demo hospital)")
    assert (verdict.sequence, verdict.subjects, verdict.files) == (3, 2, len(FILES))
    assert verdict.created_at == "2026-11-25T09:00:00.000000Z"
    assert verdict.fingerprint == identity.fingerprint and not verdict.trust_checked
    assert [pdf for pdf, _ in fake_checkers["pdf"]] == [FILES["pdf/blank_crf.pdf"], FILES["pdf/casebooks/S-01.pdf"]]
    assert all(cert == identity.certificate for _, cert in fake_checkers["pdf"])  # the manifest's signer
    assert fake_checkers["odm"] == [FILES["odm.xml"]]


@pytest.mark.req("EXPORT-VERIFY")
@pytest.mark.parametrize("name", [*FILES, "manifest.json", "manifest.sig"])
def test_one_changed_byte_names_the_file(good: Path, tmp_path: Path, name: str):
    changed = rezip(good, tmp_path / "changed.zip", {name: flip_middle_byte(entries_of(good)[name])})
    assert first_problem(changed).startswith(f"{name}: ")


@pytest.mark.req("EXPORT-VERIFY")
@pytest.mark.parametrize("name", list(FILES))
def test_a_removed_file(good: Path, tmp_path: Path, name: str):
    removed = rezip(good, tmp_path / "removed.zip", {name: None})
    assert first_problem(removed) == f"{name}: listed in the manifest but missing from the bundle"


@pytest.mark.req("EXPORT-VERIFY")
@pytest.mark.parametrize("name", ["csv/extra.csv", "pdf/casebooks/S-99.pdf", "README.txt"])
def test_an_added_file(good: Path, tmp_path: Path, name: str):
    added = rezip(good, tmp_path / "added.zip", {name: b"added later"})
    assert first_problem(added) == f"{name}: in the bundle but not listed in the manifest (added after signing)"


@pytest.mark.req("EXPORT-VERIFY")
def test_a_replaced_file_with_its_hash_edited_into_the_manifest(good: Path, tmp_path: Path):
    manifest = json.loads(entries_of(good)["manifest.json"])
    forged = b"subject,site\r\nS-01,DEMO\r\n"
    entry = next(e for e in manifest["files"] if e["path"] == "csv/subjects.csv")
    entry.update(sha256=sha256(forged), size=len(forged))
    edited = rezip(good, tmp_path / "edited.zip", {"manifest.json": dump(manifest), "csv/subjects.csv": forged})
    assert first_problem(edited) == ("manifest.json: not the bytes that manifest.sig signed (their SHA-256 differs): "
                                     "the manifest was edited after signing")


@pytest.mark.req("EXPORT-VERIFY")
def test_manifest_and_signature_are_required(good: Path, tmp_path: Path):
    assert first_problem(rezip(good, tmp_path / "a.zip", {"manifest.sig": None})) == (
        "manifest.sig: missing; the bundle is not signed")
    assert first_problem(rezip(good, tmp_path / "b.zip", {"manifest.json": None})) == (
        "manifest.json: missing; the bundle has no manifest")


@pytest.mark.req("EXPORT-VERIFY")
def test_re_signed_by_another_key_without_updating_the_certificate_named(good: Path, tmp_path: Path,
                                                                          other: SigningIdentity):
    manifest = entries_of(good)["manifest.json"]
    resigned = rezip(good, tmp_path / "r.zip", {"manifest.sig": sign_manifest(manifest, other)})
    problem = first_problem(resigned)
    assert problem.startswith(f"manifest.sig: signed by certificate {format_fingerprint(other.fingerprint)}, but the "
                              "manifest names the site certificate")


@pytest.mark.req("EXPORT-VERIFY")
def test_re_signed_consistently_by_another_key_is_caught_only_by_trust(tmp_path: Path, identity: SigningIdentity,
                                                                       other: SigningIdentity):
    """A forger who rewrites everything makes an internally sound bundle: only the registered certificate tells."""
    forged = make_bundle(tmp_path, FILES, other)
    verdict = verify_bundle(forged)
    assert verdict.ok and not verdict.trust_checked
    assert verdict.fingerprint == other.fingerprint != identity.fingerprint
    pem = tmp_path / "site.pem"
    pem.write_text(identity.certificate_pem)
    for trust in (identity.fingerprint, format_fingerprint(identity.fingerprint), str(pem)):
        verdict = verify_bundle(forged, trust)
        assert not verdict.ok and verdict.trust_checked
        expected = (f"manifest.sig: signed by certificate {format_fingerprint(other.fingerprint)}, not by the trusted "
                    f"site certificate ({format_fingerprint(identity.fingerprint)}); this bundle was not signed by the "
                    "registered site key")
        assert verdict.problems == [expected]


@pytest.mark.req("EXPORT-VERIFY")
def test_swapped_certificate_in_the_signature(good: Path, tmp_path: Path, other: SigningIdentity):
    from tests.export.test_manifest_sig import with_certificates

    swapped = with_certificates(entries_of(good)["manifest.sig"], other)
    assert first_problem(rezip(good, tmp_path / "s.zip", {"manifest.sig": swapped})).startswith(
        "manifest.sig: the certificate it includes is not the one that signed")


@pytest.mark.req("EXPORT-SIGNED")
def test_pdf_and_odm_problems_name_the_file(tmp_path: Path, identity: SigningIdentity):
    files = {**FILES, "pdf/casebooks/S-01.pdf": b"%PDF UNSIGNED", "odm.xml": b"<BAD/>"}
    verdict = verify_bundle(make_bundle(tmp_path, files, identity))
    assert verdict.problems == ["pdf/casebooks/S-01.pdf: no signature",
                                "odm.xml: line 2: element 'BAD' is not expected"]


def test_a_checker_that_crashes_is_a_problem_not_a_crash(good: Path, monkeypatch: pytest.MonkeyPatch):
    def boom(*args: object) -> None:
        raise RuntimeError("validator exploded")

    monkeypatch.setattr(verify, "pdf_problem", boom)
    monkeypatch.setattr(verify, "odm_problems", boom)
    assert verify_bundle(good).problems == [
        "pdf/blank_crf.pdf: its signature could not be checked (RuntimeError: validator exploded)",
        "pdf/casebooks/S-01.pdf: its signature could not be checked (RuntimeError: validator exploded)",
        "odm.xml: could not be checked against the ODM 1.3.2 schema (RuntimeError: validator exploded)"]


def test_odm_must_be_in_the_bundle(tmp_path: Path, identity: SigningIdentity):
    files = {k: v for k, v in FILES.items() if k != "odm.xml"}
    assert first_problem(make_bundle(tmp_path, files, identity)) == (
        "odm.xml: not listed in the manifest; every bundle has one")


@pytest.mark.req("EXPORT-VERIFY")
def test_every_byte_of_the_signature_matters(good: Path, tmp_path: Path):
    """Flip any byte of manifest.sig: the bundle is refused, naming manifest.sig (a byte of the certificate
    outside its key changes the certificate's fingerprint, which the manifest names)."""
    entries = entries_of(good)
    signature = entries["manifest.sig"]
    damaged = tmp_path / "damaged.zip"
    accepted = []
    for offset in range(len(signature)):
        flipped = signature[:offset] + bytes([signature[offset] ^ 0x5A]) + signature[offset + 1:]
        verdict = verify_bundle(write_zip(damaged, {**entries, "manifest.sig": flipped}))
        if verdict.ok or not verdict.problems[0].startswith("manifest.sig: "):
            accepted.append((offset, verdict.problems[:1]))
    assert accepted == []
