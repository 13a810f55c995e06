"""`ecrf verify`, the trail: recompute the chain and every seal from what the bundle carries (the users' keys
as the trail issued them, their certification back to the site certificate), check that the last event is the
manifest's head, replay the trail against `csv/items_long.csv` and `csv/subjects.csv`, check that the readable
`csv/audit_trail.csv` says exactly what the checked trail says, and check the exporting user's own signature
over the manifest. Everything streams; nothing is trusted that the site key or a user's key did not sign.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from ecrf.export.bundle.layout import (
    AUDIT_TRAIL,
    ITEMS_LONG,
    KEY_CERTIFICATES,
    LOCKS,
    MANIFEST_SIGNER,
    QUERIES,
    SDV,
    SEALS,
    SUBJECTS,
    TRAIL,
)
from ecrf.export.csv.safe import cell_text, restore
from ecrf.export.records import AuditRecord
from ecrf.export.verify.manifest import BundleRefused
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.trail.chain import CHAINED_FIELDS
from ecrf.trail.check import Evidence, Head, TrailReport, check_trail
from ecrf.trail.keys import EXPORT_ROLES
from ecrf.trail.replay import Stored
from ecrf.trail.seals import KeyCertificate, Seal, ed25519_valid, key_id, manifest_message, marks_sealed_trail

MAX_SIGNER = 64 << 10


@dataclass
class TrailVerdict:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    report: TrailReport | None = None


def verify_trail(bundle: SafeZip, manifest: dict[str, Any], manifest_sha256: str,
                 certificate: x509.Certificate) -> TrailVerdict:
    verdict = TrailVerdict()
    names = set(bundle.names())
    missing = [n for n in (TRAIL, SEALS, KEY_CERTIFICATES, MANIFEST_SIGNER) if n not in names]
    if missing:
        verdict.problems.append(f"{missing[0]}: missing; a bundle of this version carries its trail's evidence "
                                "(trail, seals, key certificates and the exporter's signature)")
        return verdict
    try:
        report = _check(bundle, manifest, certificate)
    except BundleRefused as exc:
        verdict.problems.append(exc.message)
        return verdict
    except (ValueError, TypeError, KeyError) as exc:  # malformed JSON or CSV, a field of the wrong type
        verdict.problems.append(f"{TRAIL}: cannot be read as a trail ({type(exc).__name__}: {exc})")
        return verdict
    verdict.report = report
    verdict.problems += [f"audit trail: {p}" for p in report.problems]
    verdict.notes += report.notes
    verdict.problems += _csv_matches(bundle)
    verdict.problems += _signer_problems(bundle, manifest, manifest_sha256, report)
    verdict.notes += _finding_notes(manifest, report)
    return verdict


def _check(bundle: SafeZip, manifest: dict[str, Any], certificate: x509.Certificate) -> TrailReport:
    audit, site = manifest.get("audit") or {}, manifest.get("site") or {}
    public = certificate.public_key()
    site_keys = {site.get("certificate_sha256", ""): public} if isinstance(public, ec.EllipticCurvePublicKey) else {}
    evidence = Evidence(str(site.get("installation_id", "")), [Seal(**row) for row in _json_lines(bundle, SEALS)],
                        [KeyCertificate(**row) for row in _json_lines(bundle, KEY_CERTIFICATES)], site_keys,
                        Head(int(audit["head_seq"]), str(audit["head_hash"]), "the manifest"), _stored(bundle),
                        sealed_from_creation=marks_sealed_trail(certificate))
    return check_trail(_events(bundle), evidence)


def _lines(bundle: SafeZip, name: str) -> Iterator[str]:
    with bundle.open(name) as raw:
        yield from io.TextIOWrapper(raw, encoding="utf-8", newline="\n")


def _json_lines(bundle: SafeZip, name: str) -> Iterator[dict[str, Any]]:
    for line in _lines(bundle, name):
        row = json.loads(line)
        if not isinstance(row, dict):
            raise BundleRefused("trail-evidence-unreadable", file=name, detail="a line is not a JSON object")
        yield row


def _events(bundle: SafeZip) -> Iterator[AuditRecord]:
    for row in _event_rows(bundle):
        yield AuditRecord(*row)


def _event_rows(bundle: SafeZip) -> Iterator[list[Any]]:
    for line in _lines(bundle, TRAIL):
        row = json.loads(line)
        if not isinstance(row, list) or len(row) != len(CHAINED_FIELDS) + 1:
            raise BundleRefused("trail-evidence-unreadable", file=TRAIL,
                                detail=f"a line does not hold the {len(CHAINED_FIELDS) + 1} fields of an event")
        yield row


def _csv_rows(bundle: SafeZip, name: str) -> Iterator[dict[str, str]]:
    with bundle.open(name) as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))


def _stored(bundle: SafeZip) -> Stored:
    """What the bundle's CSV files say is stored (forms only where they hold a value: the long file has a row
    per value, so a form with none is not in it)."""
    stored = Stored(partial_forms=True)
    screening: dict[str, str] = {}  # the label other files name a subject by -> its screening number
    for row in _csv_rows(bundle, SUBJECTS):
        stored.subjects[restore(row["screening_no"])] = (restore(row["subject_id"]) or None, restore(row["status"]))
        screening[restore(row["subject"])] = restore(row["screening_no"])
    for row in _csv_rows(bundle, ITEMS_LONG):
        form = (restore(row["screening_no"]), restore(row["visit"]), restore(row["form"]), restore(row["timepoint"]),
                int(row["repeat"] or 0))
        stored.forms[form] = (restore(row["form_status"]), row["form_deleted"] == "true")
        value, missing = restore(row["value"]) or None, restore(row["missing"]) or None
        if value is not None or missing is not None:
            stored.values[(*form, restore(row["item"]))] = (value, missing)
    if {SDV, QUERIES, LOCKS} <= set(bundle.names()):  # format 1.1: monitoring travels, and must match the trail
        _stored_monitoring(bundle, stored, screening)
    return stored


def _stored_monitoring(bundle: SafeZip, stored: Stored, screening: dict[str, str]) -> None:
    """SDV marks, query states and locks in force as the bundle's files state them, keyed as the replay keys
    them (a subject by its screening number), so a mark or a state written without its event is found."""
    stored.monitoring = True

    def place(row: dict[str, str]) -> tuple[str, str, str, str, int]:
        subject = restore(row["subject"])
        return (screening.get(subject, subject), restore(row["visit"]), restore(row["form"]),
                restore(row["timepoint"]), int(row["repeat"] or 0))

    for row in _csv_rows(bundle, SDV):
        stored.sdv[(*place(row), restore(row["item"]))] = restore(row["state"])
    for row in _csv_rows(bundle, QUERIES):
        stored.queries[restore(row["query_id"])] = restore(row["state"])
    for row in _csv_rows(bundle, LOCKS):
        if row["active"] == "true":
            stored.locks.add(place(row))


def _csv_matches(bundle: SafeZip) -> list[str]:
    """The readable audit trail must say exactly what the checked one says, row for row."""
    with bundle.open(AUDIT_TRAIL) as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
        next(reader, None)
        for event in _event_rows(bundle):  # the CSV has the AuditRecord's fields: the chained ones, then hash
            row = next(reader, None)
            if row != [cell_text(value) for value in event]:
                return [f"{AUDIT_TRAIL}: the row of event {event[0]} differs from {TRAIL}"]
        if next(reader, None) is not None:
            return [f"{AUDIT_TRAIL}: has rows past the end of {TRAIL}"]
    return []


def _signer_problems(bundle: SafeZip, manifest: dict[str, Any], manifest_sha256: str,
                     report: TrailReport) -> list[str]:
    if bundle.declared_size(MANIFEST_SIGNER) > MAX_SIGNER:
        return [f"{MANIFEST_SIGNER}: too large"]
    try:
        doc = json.loads(bundle.read(MANIFEST_SIGNER))
    except (ValueError, RecursionError):
        doc = None
    if not isinstance(doc, dict):
        return [f"{MANIFEST_SIGNER}: not a JSON object naming the exporter, their key and signature"]
    username, kid, public = str(doc.get("username")), str(doc.get("key_id")), str(doc.get("public_key"))
    head = int((manifest.get("audit") or {}).get("head_seq", 0))
    if doc.get("manifest_sha256") != manifest_sha256 or key_id(public) != kid or not ed25519_valid(
            public, str(doc.get("signature")), manifest_message(manifest_sha256, username, kid)):
        return [f"{MANIFEST_SIGNER}: not a valid signature of {username} over this manifest"]
    period = report.keys.key_for(username, kid, head)
    if period is None or period.public_key != public:
        return [f"{MANIFEST_SIGNER}: signed with a key the trail does not give {username} at event {head}"]
    if report.keys.role_at(username, head) not in EXPORT_ROLES:
        return [f"{MANIFEST_SIGNER}: {username} was not in a role that may export"]
    if (manifest.get("audit") or {}).get("exported_by") != username:
        return [f"{MANIFEST_SIGNER}: signed by {username}, but the manifest names another exporter"]
    return []


def _finding_notes(manifest: dict[str, Any], report: TrailReport) -> list[str]:
    finding = (manifest.get("audit") or {}).get("finding")
    if not isinstance(finding, dict):
        return []
    return [f"the site recorded this finding: {len(finding.get('problems') or [])} problem(s), acknowledged by "
            f"{finding.get('acknowledged_by')} at {finding.get('acknowledged_at')}: {finding.get('reason')}"]
