"""Monitoring in ODM 1.3.2 (docs/bundle-format.md, "Monitoring in the ODM"): Update transactions on the element a
record is about (FormData for a form or an item, StudyEventData for a visit, SubjectData for a subject), each
with the AuditRecord of who did it and when:

- a signature: a `Signature` (UserRef, LocationRef, SignatureRef to the SignatureDef of its meaning's text
  version, DateTimeStamp) and a SIGNATURE flag saying whether it is still valid as of the export (with the
  SHA-256 of the covered data, and why it broke);
- source data verification: one annotation per item (SDV flag, the item and when its value changed);
- a query: one Update per message of its thread, on the query's own annotation (SeqNum 10 + n), so the last
  one is its state: QUERY_STATUS (state after the step), QUERY_STEP, QUERY_ORIGIN, QUERY_RESPONSE for an
  answer, and the message in the Comment (Sponsor for a monitor's, Site for anyone else's);
- a lock: LOCK flag `locked`, and `unlocked` with the reason in the AuditRecord when it was lifted.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree

from ecrf.export.odm import keys as k
from ecrf.export.odm.elements import sub
from ecrf.export.odm.history import Stamp, annotation, audit_record
from ecrf.export.records import LockRecord, QueryMessageRecord, QueryRecord, SdvRecord, SignatureRecord
from ecrf.study.status import SPONSOR_ROLE, QueryState, SdvState

Builder = Callable[[etree._Element], None]
Updates = list[tuple[tuple[str, int, int], Builder]]  # (time, kind, order) → what one Update transaction holds

SPONSOR_SIDE = ("monitor", SPONSOR_ROLE)  # whose comments ODM's CommentType calls the sponsor's
SDV_SEQ_BASE = 1000  # one annotation per verified item, after the queries' (10 + n)
STATE_AFTER = {"raised": QueryState.OPEN.value, "answered": QueryState.ANSWERED.value,
               "closed": QueryState.CLOSED.value, "cancelled": QueryState.CANCELLED.value,
               "reopened": QueryState.OPEN.value}  # a note leaves the state as it was


@dataclass(frozen=True)
class Monitoring:
    """The monitoring records of one form instance, one visit or one subject."""

    queries: Sequence[QueryRecord] = ()
    sdv: Sequence[SdvRecord] = ()
    signatures: Sequence[SignatureRecord] = ()
    locks: Sequence[LockRecord] = ()


def monitoring_updates(monitoring: Monitoring, location: str) -> Updates:
    updates: Updates = []
    for n, signature in enumerate(monitoring.signatures):
        updates.append(((signature.signed_at, 1, n), _signature(signature, location)))
    for n, sdv in enumerate(monitoring.sdv):
        updates.append(((sdv.verified_at, 1, 1000 + n), _flagged(Stamp(sdv.verified_by, sdv.verified_at), location,
                                                                  SDV_SEQ_BASE + n, [("SDV", sdv.state)],
                                                                  _sdv_comment(sdv))))
    for n, lock in enumerate(monitoring.locks):
        updates.append(((lock.locked_at, 1, 3000 + n), _flagged(Stamp(lock.locked_by, lock.locked_at), location,
                                                                 k.LOCK_SEQ, [("LOCK", "locked")], _where(lock))))
        if lock.unlocked_at:
            stamp = Stamp(lock.unlocked_by or "", lock.unlocked_at, reason=lock.unlock_reason)
            updates.append(((lock.unlocked_at, 1, 3000 + n), _flagged(stamp, location, k.LOCK_SEQ,
                                                                       [("LOCK", "unlocked")], _where(lock))))
    queries = sorted(monitoring.queries, key=lambda q: (q.raised_at, q.query_id))
    for n, query in enumerate(queries):
        state = QueryState.OPEN.value
        for step in query.messages:
            state = STATE_AFTER.get(step.kind, state)
            updates.append(((step.at_utc, 1, 2000 + n), _flagged(
                Stamp(step.author, step.at_utc), location, k.QUERY_SEQ_BASE + n, _query_flags(query, step, state),
                f"{query.query_id} [{_where(query)}] {step.text}", "Sponsor" if step.role in SPONSOR_SIDE else "Site")))
    return updates


def _query_flags(query: QueryRecord, step: QueryMessageRecord, state: str) -> list[tuple[str, str]]:
    flags = [("QUERY_STATUS", state), ("QUERY_STEP", step.kind), ("QUERY_ORIGIN", query.origin)]
    if step.response_code:
        flags.append(("QUERY_RESPONSE", step.response_code))
    return flags


def _sdv_comment(sdv: SdvRecord) -> str:
    if sdv.state == SdvState.CHANGED and sdv.changed_at:
        return f"{sdv.item}: source data verified; its value changed on {sdv.changed_at}"
    return f"{sdv.item}: source data verified" if sdv.state == SdvState.VERIFIED else f"{sdv.item}: {sdv.state}"


def _where(record: QueryRecord | LockRecord) -> str:
    if isinstance(record, QueryRecord) and record.item:
        return record.item
    return record.form or record.visit or record.subject


def _flagged(stamp: Stamp, location: str, seq: int, flags: list[tuple[str, str]], comment: str,
             by: str = "Site") -> Builder:
    def build(node: etree._Element) -> None:
        audit_record(node, stamp, location)
        annotation(node, seq, flags, comment, by)
    return build


def _signature(signature: SignatureRecord, location: str) -> Builder:
    def build(node: etree._Element) -> None:
        audit_record(node, Stamp(signature.username, signature.signed_at), location)
        signed = sub(node, "Signature")
        sub(signed, "UserRef", {"UserOID": k.user_oid(signature.username)})
        sub(signed, "LocationRef", {"LocationOID": location})
        sub(signed, "SignatureRef", {"SignatureOID": k.signature_def_oid(signature.meaning_version)})
        sub(signed, "DateTimeStamp", text=signature.signed_at)
        comment = (f"Signed by {signature.full_name} ({signature.username}), {signature.scope}: "
                   f"{signature.meaning_en} SHA-256 of the signed data: {signature.data_hash}; "
                   f"key {signature.key_id}; ceremony {signature.ceremony}")
        if signature.broken_at:
            comment += f". Broken {signature.broken_at}: {signature.broken_reason or ''}"
        annotation(node, k.SIGNATURE_SEQ, [("SIGNATURE", signature.state)], comment)  # state as of AsOfDateTime
    return build
