"""`ecrf verify`, electronic signatures: every row of `csv/signatures.csv` is checked from the bundle alone.

For each signature: the Ed25519 signature over `ecrf.trail.esign.Signed` (study and installation from the
manifest, the subject's screening number from `csv/subjects.csv`) verifies with the row's public key; the
signature's own `signed` event is in the trail, by the signer, who held that personal key at that event (as
the checked trail issued it, certified back to the site certificate) in a role that may sign; and, for a
signature still valid, the data hash recomputed from `csv/items_long.csv` is the one signed. A broken
signature is reported as broken (its data changed after signing, as the trail records), not as a problem:
its hash is not compared.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ecrf.export.bundle.layout import ITEMS_LONG, SIGNATURES, SUBJECTS, TRAIL
from ecrf.export.csv.safe import restore
from ecrf.export.records import AuditRecord
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.trail.esign import SIGNED_EVENT, SIGNER_ROLES, ItemEntry, Place, Signed, ceremony_of, data_hash, valid
from ecrf.trail.keys import KeyBook
from ecrf.trail.seals import key_id

SignedAt = tuple[str, str, str, str, str, int]  # ceremony, scope, visit, form, timepoint, repeat

PROBLEM_LIMIT = 20  # a bundle with every signature wrong says so without a thousand lines


@dataclass
class SignatureVerdict:
    checked: int = 0
    broken: int = 0  # broken at the site (the data changed after signing); reported, not a problem
    problems: list[str] = field(default_factory=list)


def verify_signatures(bundle: SafeZip, manifest: dict[str, Any], keys: KeyBook) -> SignatureVerdict:
    verdict = SignatureVerdict()
    if SIGNATURES not in bundle.names():
        return verdict
    rows = [{k: restore(v or "") for k, v in row.items()} for row in _csv_rows(bundle, SIGNATURES)]
    if not rows:
        return verdict
    study = str((manifest.get("study") or {}).get("oid", ""))
    installation = str((manifest.get("site") or {}).get("installation_id", ""))
    recorded = _signed_events(bundle)
    screening = _screening_numbers(bundle)
    forms = _forms(bundle, {screening.get(row.get("subject", ""), row.get("subject", "")) for row in rows})
    for line, row in enumerate(rows, start=2):
        verdict.checked += 1
        problem = _problem(row, study, installation, screening, forms, keys) or _event_problem(row, recorded, keys)
        if problem:
            if len(verdict.problems) < PROBLEM_LIMIT:
                verdict.problems.append(f"{SIGNATURES}: line {line} ({row.get('subject')} {_where(row)}, signed by "
                                        f"{row.get('username')}): {problem}")
        elif row.get("state") == "broken":
            verdict.broken += 1
    return verdict


def _problem(row: dict[str, str], study: str, installation: str, screening: dict[str, str],
             forms: dict[str, dict[Place, list[ItemEntry]]], keys: KeyBook) -> str | None:
    try:
        place = Place(row["visit"], row["form"], row["timepoint"], int(row["repeat"] or 0))
        screening_no = screening.get(row["subject"], row["subject"])
        signed = Signed(study, installation, row["ceremony"], row["scope"], screening_no, place.visit, place.form,
                        place.timepoint, place.repeat, row["username"], row["full_name"], row["meaning_en"],
                        row["meaning_zh"], row["meaning_version"], row["signed_at"], row["data_hash"])
        public, kid, signature = row["public_key"], row["key_id"], row["signature"]
    except (KeyError, ValueError) as exc:
        return f"cannot be read ({type(exc).__name__}: {exc})"
    if key_id(public) != kid or not valid(signed, public, signature):
        return "the signature does not verify with its public key over what the row says was signed"
    if row.get("state") != "broken":
        recomputed = data_hash(screening_no, signed.scope, place, forms.get(screening_no, {}))
        if recomputed != signed.data_hash:
            return ("the signed data differ from the bundle's items_long.csv, yet the signature is not marked "
                    "broken")
    return None


def _event_problem(row: dict[str, str], recorded: dict[SignedAt, AuditRecord], keys: KeyBook) -> str | None:
    """The signature's own audit event: it exists, names the signer, who held this key and could sign then."""
    place = (row["ceremony"], row["scope"], row["visit"], row["form"], row["timepoint"], int(row["repeat"] or 0))
    event = recorded.get(place)
    username = row["username"]
    if event is None:
        return "no 'signed' event of the audit trail records this signature"
    if event.username != username:
        return f"the audit trail records it as signed by {event.username}"
    period = keys.key_for(username, row["key_id"], event.seq)
    if period is None or period.public_key != row["public_key"]:
        return f"signed with a key the audit trail did not give {username} at event {event.seq}"
    if keys.role_at(username, event.seq) not in SIGNER_ROLES:
        return f"{username} was not in a role that may sign at event {event.seq}"
    return None


def _signed_events(bundle: SafeZip) -> dict[SignedAt, AuditRecord]:
    """The trail's `signed` events by ceremony and place (the trail itself is checked by verify_trail)."""
    found: dict[SignedAt, AuditRecord] = {}
    with bundle.open(TRAIL) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8", newline="\n"):
            event = AuditRecord(*json.loads(line))
            ceremony = ceremony_of(event.reason) if event.action == SIGNED_EVENT else None
            if ceremony is not None:
                found[(ceremony, event.item or "", event.visit or "", event.form or "", event.timepoint or "",
                       event.repeat or 0)] = event
    return found


def _where(row: dict[str, str]) -> str:
    if row.get("scope") == "subject":
        return "casebook"
    if row.get("scope") == "visit":
        return f"visit {row.get('visit')}"
    where = f"{row.get('visit')}/{row.get('form')}" if row.get("visit") else f"{row.get('form')} #{row.get('repeat')}"
    return where + (f"/{row['timepoint']}" if row.get("timepoint") else "")


def _csv_rows(bundle: SafeZip, name: str) -> Iterator[dict[str, str]]:
    with bundle.open(name) as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))


def _screening_numbers(bundle: SafeZip) -> dict[str, str]:
    """Subject label (id once enrolled, else screening number) -> screening number."""
    found: dict[str, str] = {}
    for row in _csv_rows(bundle, SUBJECTS):
        number = restore(row["screening_no"])
        found[number] = number
        if row.get("subject_id"):
            found[restore(row["subject_id"])] = number
    return found


def _forms(bundle: SafeZip, wanted: set[str]) -> dict[str, dict[Place, list[ItemEntry]]]:
    """The non-removed forms of the `wanted` subjects (screening numbers) with their (item, value, missing), as
    signatures cover them."""
    forms: dict[str, dict[Place, list[ItemEntry]]] = {}
    for row in _csv_rows(bundle, ITEMS_LONG):
        if row["form_deleted"] == "true" or restore(row["screening_no"]) not in wanted:
            continue
        place = Place(restore(row["visit"]), restore(row["form"]), restore(row["timepoint"]), int(row["repeat"] or 0))
        entries = forms.setdefault(restore(row["screening_no"]), {}).setdefault(place, [])
        entries.append((restore(row["item"]), restore(row["value"]) or None, restore(row["missing"]) or None))
    return forms
