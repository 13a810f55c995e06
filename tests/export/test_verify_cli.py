"""`ecrf verify` output and exit codes over small bundles; real PAdES-signed PDFs through verify_bundle."""
from __future__ import annotations

import argparse
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ecrf.cli.verify import add_verify_command
from ecrf.export.bundle.identity import SigningIdentity, format_fingerprint, new_identity
from ecrf.export.verify import bundle as verify
from ecrf.export.verify.bundle import verify_bundle
from tests.export import test_verify as shared
from tests.export.test_verify import FILES, make_bundle, rezip

REAL_PDF_PROBLEM = verify.pdf_problem  # before fake_checkers replaces it
fake_checkers = shared.fake_checkers  # autouse here too


@pytest.fixture(scope="module")
def other() -> SigningIdentity:
    return new_identity("MSC-COVID19", "DEMO", "Demo hospital", datetime.now(UTC))


NOT_CHECKED = ("INTACT, signer NOT CHECKED: no trust registry and no --trust; register the site certificate with "
               "`ecrf trust add --site CODE CERT`, or give --trust CERT|FINGERPRINT")


@pytest.fixture(autouse=True)
def no_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No trust registry at the default place: `ecrf verify` without --trust has no trust source."""
    path = tmp_path / "no-registry.json"
    monkeypatch.setenv("ECRF_TRUST_REGISTRY", str(path))
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    parser = argparse.ArgumentParser(prog="ecrf")
    add_verify_command(parser.add_subparsers())
    args = parser.parse_args(["verify", *argv])
    code = args.run(args)
    return code, capsys.readouterr().out.splitlines()


@pytest.mark.req("EXPORT-VERIFY")
def test_verified_without_trust_says_the_signer_was_not_checked(tmp_path: Path, identity: SigningIdentity, capsys):  # type: ignore[no-untyped-def]
    code, lines = run([str(make_bundle(tmp_path, FILES, identity))], capsys)
    assert code == 3  # intact, but the signer was compared with nothing: not the 0 of a verified bundle
    assert lines[0] == NOT_CHECKED
    assert f"  signed by: certificate SHA-256 {format_fingerprint(identity.fingerprint)}" in lines
    assert any(line.startswith("  trust:     NOT CHECKED") for line in lines)
    assert "  site:      DEMO (Demo hospital)" in lines and "  subjects:  2" in lines


@pytest.mark.req("EXPORT-VERIFY")
def test_verified_with_trust(tmp_path: Path, identity: SigningIdentity, capsys):  # type: ignore[no-untyped-def]
    code, lines = run([str(make_bundle(tmp_path, FILES, identity)), "--trust", identity.fingerprint], capsys)
    assert (code, lines[0]) == (0, "VERIFIED")
    assert "  trust:     the signer is the trusted site certificate (fingerprint given with --trust)" in lines


@pytest.mark.req("EXPORT-VERIFY")
def test_a_bundle_re_signed_by_another_key_fails_with_trust(tmp_path: Path, identity: SigningIdentity,
                                                            other: SigningIdentity, capsys):  # type: ignore[no-untyped-def]
    forged = make_bundle(tmp_path, FILES, other)
    pem = tmp_path / "site.pem"
    pem.write_text(identity.certificate_pem)
    for trust in (identity.fingerprint, str(pem)):
        code, lines = run([str(forged), "--trust", trust], capsys)
        assert code == 1
        assert lines[0].startswith(f"NOT VERIFIED: manifest.sig: signed by certificate "
                                   f"{format_fingerprint(other.fingerprint)}, not by the trusted site certificate")
        assert f"  signed by: certificate SHA-256 {format_fingerprint(other.fingerprint)}" in lines
        assert format_fingerprint(other.fingerprint) != format_fingerprint(identity.fingerprint)
        assert any(line.startswith("  trust:     MISMATCH") for line in lines)


@pytest.mark.req("EXPORT-VERIFY")
def test_a_changed_file_is_the_first_line(tmp_path: Path, identity: SigningIdentity, capsys):  # type: ignore[no-untyped-def]
    good = make_bundle(tmp_path, FILES, identity)
    changed = rezip(good, tmp_path / "changed.zip", {"csv/subjects.csv": FILES["csv/subjects.csv"].replace(b"2", b"3")})
    code, lines = run([str(changed)], capsys)
    assert code == 1
    assert lines[0].startswith("NOT VERIFIED: csv/subjects.csv: its content differs from the manifest")
    assert "  (as the bundle states; not verified)" in lines


def test_many_problems_are_summed_up(tmp_path: Path, identity: SigningIdentity, capsys):  # type: ignore[no-untyped-def]
    good = make_bundle(tmp_path, FILES, identity)
    crowded = rezip(good, tmp_path / "crowded.zip", {f"extra/{i:02d}.csv": b"x" for i in range(30)})
    code, lines = run([str(crowded)], capsys)
    assert code == 1 and lines[0].startswith("NOT VERIFIED: extra/00.csv: in the bundle but not listed")
    assert "Other problems (29):" in lines and "  ... and 9 more" in lines


@pytest.mark.parametrize("make", [lambda p: p / "none.zip", lambda p: p])
def test_missing_or_unreadable_path(tmp_path: Path, make, capsys):  # type: ignore[no-untyped-def]
    code, lines = run([str(make(tmp_path))], capsys)
    assert code == 1 and lines[0].startswith("NOT VERIFIED: ") and len(lines) == 2


def test_a_bad_trust_argument(tmp_path: Path, identity: SigningIdentity, capsys):  # type: ignore[no-untyped-def]
    code, lines = run([str(make_bundle(tmp_path, FILES, identity)), "--trust", "site-cert"], capsys)
    assert code == 1 and lines[0].startswith("NOT VERIFIED: --trust site-cert: neither a certificate file")


def _pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=True)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


@pytest.mark.req("EXPORT-SIGNED")
def test_real_pdf_signatures_must_be_by_the_manifest_signer(tmp_path: Path, identity: SigningIdentity,
                                                             other: SigningIdentity,
                                                             monkeypatch: pytest.MonkeyPatch):
    from ecrf.export.pdf.sign import sign_pdf

    monkeypatch.setattr(verify, "pdf_problem", REAL_PDF_PROBLEM)
    by_site = sign_pdf(_pdf("blank CRF"), identity, reason="test", location="DEMO")
    files = {**FILES, "pdf/blank_crf.pdf": by_site,
             "pdf/casebooks/S-01.pdf": sign_pdf(_pdf("S-01"), identity, reason="test", location="DEMO")}
    assert verify_bundle(make_bundle(tmp_path, files, identity, name="a.zip")).ok
    files["pdf/casebooks/S-01.pdf"] = sign_pdf(_pdf("S-01"), other, reason="test", location="DEMO")
    assert verify_bundle(make_bundle(tmp_path, files, identity, name="b.zip")).problems == [
        "pdf/casebooks/S-01.pdf: the PDF is signed with another certificate than the site's"]
    files["pdf/casebooks/S-01.pdf"] = _pdf("S-01")
    assert verify_bundle(make_bundle(tmp_path, files, identity, name="c.zip")).problems == [
        "pdf/casebooks/S-01.pdf: the PDF carries no signature"]
