"""Seals and key certificates are linked to what they sign (21 CFR 11.70): a seal made for one installation,
head or signer does not verify for another, and cannot be moved to another record."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ecrf.export.bundle.identity import new_identity
from ecrf.trail.seals import KeyCertificate, Seal, key_id, public_hex

HEAD = "ab" * 32


@pytest.mark.req("P11.70")
def test_a_seal_verifies_only_for_its_installation_head_and_signer():
    key = Ed25519PrivateKey.generate()
    seal = Seal.make("site-a", 7, HEAD, "nurse", key, "2026-12-03T10:00:00Z")
    public = public_hex(key)
    assert seal.key_id == key_id(public) and seal.valid("site-a", public)
    assert not seal.valid("site-b", public)  # copied to another installation
    for moved in (Seal(8, HEAD, "nurse", seal.key_id, seal.signature, seal.at_utc),
                  Seal(7, "cd" * 32, "nurse", seal.key_id, seal.signature, seal.at_utc),
                  Seal(7, HEAD, "investigator", seal.key_id, seal.signature, seal.at_utc)):
        assert not moved.valid("site-a", public)  # moved to another head, another record or another name
    assert not seal.valid("site-a", public_hex(Ed25519PrivateKey.generate()))


@pytest.mark.req("P11.70")
def test_a_key_certificate_verifies_only_with_the_site_key_for_its_user_and_head():
    site = new_identity("STUDY", "CN01", "Hospital", datetime.now(UTC), installation_id="site-a")
    other = new_identity("STUDY", "CN02", "Hospital", datetime.now(UTC), installation_id="site-b")
    public = public_hex(Ed25519PrivateKey.generate())
    cert = KeyCertificate.make("site-a", "admin", public, 5, HEAD, site.key, site.fingerprint, "2026-12-03T10:00:00Z")
    assert cert.valid("site-a", site.key.public_key())
    assert not cert.valid("site-a", other.key.public_key())
    assert not cert.valid("site-b", site.key.public_key())
    forged = KeyCertificate("nurse", public, 5, HEAD, site.fingerprint, cert.signature, cert.at_utc)
    assert not forged.valid("site-a", site.key.public_key())


def test_a_key_that_is_not_hex_names_no_one():
    assert key_id("not a key") == "invalid"
