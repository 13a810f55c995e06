"""The trail as evidence inside a bundle: every event exactly as chained (`audit/trail.jsonl`, one JSON list
per line in the order of `ecrf.trail.chain.CHAINED_FIELDS` plus the hash), every seal and every key
certificate; and the exporting user's personal signature over the manifest (`manifest.signer.json`).
`ecrf verify` recomputes the chain and every seal from these with no site database."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import IO

from ecrf.errors import Bug
from ecrf.export.bundle.layout import KEY_CERTIFICATES, SEALS, TRAIL
from ecrf.export.records import AuditRecord, ExportContext, SubjectRecord
from ecrf.trail.chain import CHAINED_FIELDS
from ecrf.trail.seals import key_id, manifest_message, public_hex, sign_b64


def json_line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def values_line(values: Sequence[object]) -> str:
    """`json_line` of a list of plain values, the same text: json.dumps makes a new encoder for every call,
    which was most of the time of writing a 10,000-event trail."""
    return "[" + ",".join([_json_text(v) if v.__class__ is str else "null" if v is None else str(v)
                           if v.__class__ is int else json.dumps(v, ensure_ascii=False) for v in values]) + "]\n"


_json_text = json.encoder.encode_basestring  # json.dumps's escape of a string with ensure_ascii=False


class EvidencePart:
    """BundlePart for `audit/`: the exact trail, its seals and key certificates."""

    def __init__(self) -> None:
        self._trail: IO[str] | None = None

    def begin(self, ctx: ExportContext) -> None:
        self._ctx = ctx  # without evidence (a test's bare context) the seal files are empty: it will not verify
        (ctx.staging / "audit").mkdir(parents=True, exist_ok=True)
        self._trail = open(ctx.staging / TRAIL, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed in close()

    def add_subject(self, subject: SubjectRecord) -> None:
        return None

    def add_audit_event(self, event: AuditRecord) -> None:
        if self._trail is None:
            raise Bug("EvidencePart.add_audit_event before begin")
        self._trail.write(values_line([getattr(event, name) for name in CHAINED_FIELDS] + [event.hash]))

    def finish(self) -> None:
        evidence = self._ctx.evidence
        _write_lines(self._ctx.staging / SEALS, [asdict(seal) for seal in evidence.seals] if evidence else [])
        _write_lines(self._ctx.staging / KEY_CERTIFICATES,
                     [asdict(cert) for cert in evidence.certificates] if evidence else [])
        self.close()

    def close(self) -> None:
        if self._trail is not None:
            self._trail.close()
            self._trail = None


def _write_lines(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json_line(row) for row in rows), encoding="utf-8", newline="\n")


def signer_document(ctx: ExportContext, manifest_sha256: str) -> bytes:
    """`manifest.signer.json`: who exported, with which personal key, and their signature over the manifest."""
    evidence = ctx.evidence
    if evidence is None:
        raise Bug("a bundle needs the exporting user's key")
    public = public_hex(evidence.signer_key)
    kid = key_id(public)
    doc = {"username": evidence.signer, "key_id": kid, "public_key": public, "manifest_sha256": manifest_sha256,
           "signature": sign_b64(evidence.signer_key, manifest_message(manifest_sha256, evidence.signer, kid))}
    return (json.dumps(doc, sort_keys=True, indent=2) + "\n").encode("utf-8")
