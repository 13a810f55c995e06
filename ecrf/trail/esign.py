"""Electronic signatures (21 CFR 11.50, 11.70): what an investigator signs, and the check anyone can run.

A signature covers the CLINICAL data of its place only (item values and missing codes; not the audit trail,
queries or source data verification), as a SHA-256 `data_hash`:

- a form: the subject's screening number, visit, form, timepoint and repeat, and every (item, value text,
  missing code) of the form, sorted by item. Items with neither a value nor a missing code are left out
  (the bundle's long file has no value for them either).
- a visit or a subject: the sorted hashes of every form in scope (for a subject: its scheduled forms and its
  log entries; removed log entries are not covered, their removal breaks the signature). A form without any
  value is not in the bundle's long file and adds nothing.

The subject is named by its screening number: it never changes, whereas the subject id is given at allocation.
Subject facts (arm, status, dates) are not covered; they are in the audit trail.

The signed `message` binds the data hash to the study, the installation, the ceremony, the place, the signer
(username and printed name), the meaning in both languages with its version, and the time (11.50, 11.70), as
a tagged JSON list so it never verifies for another purpose. Everything here is built from plain tuples, so
the bundle verifier recomputes it from `csv/items_long.csv` without a database.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ecrf.study.place import Place
from ecrf.trail.seals import ed25519_valid, key_id, public_hex, sign_b64

SIGNATURE_TAG, DATA_TAG = "ecrf-esignature-v1", "ecrf-signed-data-v1"
SIGNER_ROLES = frozenset({"investigator"})  # kept equal to the permission table (Do.SIGN) by a test
SIGNED_EVENT = "signed"  # the audit event of each signature row; its reason starts "ceremony <id>;"

ItemEntry = tuple[str, str | None, str | None]  # (item code, value text, missing code)


def _canonical(*parts: object) -> bytes:
    return json.dumps(list(parts), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _entries(items: Iterable[ItemEntry]) -> list[list[str | None]]:
    """The covered entries, canonical: '' reads as nothing (the CSV cannot tell them apart), empty ones dropped."""
    kept = [[code, value or None, missing or None] for code, value, missing in items]
    return sorted((entry for entry in kept if entry[1] is not None or entry[2] is not None),
                  key=lambda entry: entry[0] or "")


def form_hash(screening_no: str, place: Place, items: Iterable[ItemEntry]) -> str:
    """SHA-256 (hex) of one form instance's clinical data."""
    return hashlib.sha256(_canonical(DATA_TAG, "form", screening_no, *astuple(place), _entries(items))).hexdigest()


def data_hash(screening_no: str, scope: str, place: Place, forms: Mapping[Place, Iterable[ItemEntry]]) -> str:
    """The hash a signature of `scope` (form, visit or subject) at `place` covers. `forms` holds the subject's
    non-removed form instances with their entries (more than the scope needs is fine: it is filtered here)."""
    if scope == "form":
        return form_hash(screening_no, place, forms.get(place, ()))
    inside = [p for p in forms if scope == "subject" or (p.visit == place.visit and p.visit)]
    hashes = sorted(form_hash(screening_no, p, forms[p]) for p in inside)
    return hashlib.sha256(_canonical(DATA_TAG, scope, screening_no, place.visit, hashes)).hexdigest()


@dataclass(frozen=True)
class Signed:
    """Everything one electronic signature binds together (a SignatureRow's fields, the subject's screening
    number for its id)."""

    study_oid: str
    db_id: str
    ceremony: str
    scope: str
    subject: str  # screening number
    visit: str
    form: str
    timepoint: str
    repeat: int
    username: str
    full_name: str
    meaning_en: str
    meaning_zh: str
    meaning_version: str
    signed_at: str
    data_hash: str

    def message(self) -> bytes:
        return _canonical(SIGNATURE_TAG, *astuple(self))


@dataclass(frozen=True)
class Signature:
    key_id: str
    public_key: str  # hex
    signature: str  # base64 Ed25519


def sign(private: Ed25519PrivateKey, signed: Signed) -> Signature:
    public = public_hex(private)
    return Signature(key_id(public), public, sign_b64(private, signed.message()))


def valid(signed: Signed, public_key_hex: str, signature_b64: str) -> bool:
    return ed25519_valid(public_key_hex, signature_b64, signed.message())


def event_reason(ceremony: str, meaning_version: str, data_hash_hex: str, kid: str, note: str = "") -> str:
    """The reason of a `signed` audit event: what ties the event to its signature row."""
    return f"ceremony {ceremony}; meaning version {meaning_version}; data SHA-256 {data_hash_hex}; key {kid}{note}"


def ceremony_of(reason: str | None) -> str | None:
    """The ceremony a `signed` event's reason names (see `event_reason`), or None."""
    if not reason or not reason.startswith("ceremony "):
        return None
    return reason[len("ceremony "):].split(";", 1)[0]
