"""Continuity per installation, as in Certificate Transparency: does a verified bundle extend the history the
sponsor already merged from that installation, repeat an older point of it, or contradict it?

The merged state of an installation is its last accepted bundle: export number, audit head (seq, hash) and
manifest hash (`sources`), and that bundle's whole trail (`audit_trail`). A trail is a hash chain, so one
event in common at the same seq means everything before it is common too:
- a newer export (greater number) must hold the merged head at the same seq (consistency); the very next
  number must also name the merged manifest as its previous one → it extends the history: accept;
- an export that is not newer and whose head is an event of the merged trail is a prefix of what was merged
  → covered (a stale bundle arriving late, or the same export again as another file);
- anything else is a rewritten, forked or rolled-back history → refused with an alarm, naming what differs.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Row, select

from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge import bundle_read
from ecrf.merge.bundle_read import BundleFacts
from ecrf.merge.central import schema
from ecrf.merge.errors import MergeError
from ecrf.merge.outcome.run import ACCEPTED, COVERED, REFUSED


@dataclass(frozen=True)
class Decision:
    outcome: str  # ACCEPTED, COVERED or REFUSED
    reason: str = ""
    alarm: bool = False


def merged_state(conn: Connection, installation_id: str) -> Row | None:
    """The installation's row of `sources`: what its last accepted bundle said (None: never merged)."""
    return conn.execute(select(schema.sources).where(schema.sources.c.installation_id == installation_id)).first()


def decide(conn: Connection, bundle: SafeZip, facts: BundleFacts, file_name: str) -> Decision:
    last = merged_state(conn, facts.installation_id)
    if last is None:
        return Decision(ACCEPTED)
    where = {"file": file_name, "sequence": facts.sequence, "site": facts.site_code, "merged": last.export_sequence}
    if facts.sequence > last.export_sequence:
        return _newer(conn, bundle, facts, last, where)
    if _merged_trail_holds(conn, facts):
        return Decision(COVERED, f"covered by the merged export {last.export_sequence} of {last.site_code}, "
                                 f"whose audit trail holds this export's head (event {facts.head_seq})")
    differs = _first_difference(conn, bundle, facts.installation_id)
    if differs is None:  # every event in common agrees, and it goes further: only its number is wrong
        return _alarm(MergeError("merge-sequence-not-growing", **where))
    return _alarm(MergeError("merge-fork", event=differs, **where))


def _newer(conn: Connection, bundle: SafeZip, facts: BundleFacts, last: Row, where: dict[str, object]) -> Decision:
    held = _trail_hash_at(bundle, last.head_seq)
    if held is None:
        return _alarm(MergeError("merge-rollback", head=facts.head_seq, event=last.head_seq, **where))
    if held != last.head_hash:
        differs = _first_difference(conn, bundle, facts.installation_id) or last.head_seq
        return _alarm(MergeError("merge-fork", event=differs, **where))
    if facts.sequence == last.export_sequence + 1 and facts.previous_manifest_sha256 != last.manifest_sha256:
        return _alarm(MergeError("merge-previous-differs", named=_short(facts.previous_manifest_sha256),
                                 actual=_short(last.manifest_sha256), **where))
    return Decision(ACCEPTED)


def _merged_trail_holds(conn: Connection, facts: BundleFacts) -> bool:
    """The merged trail of the installation has an event at the bundle's head seq with the head's hash."""
    trail = schema.DATA_TABLES["audit_trail"]
    found = conn.execute(select(trail.c.hash).where(trail.c.source == facts.installation_id,
                                                    trail.c.seq == str(facts.head_seq))).scalars().all()
    return facts.head_hash in found


def _first_difference(conn: Connection, bundle: SafeZip, installation_id: str) -> int | None:
    """The first event both trails have with different hashes, or one of them lacks (None: they agree as
    far as the shorter goes). Names the event where two histories part, for the alarm."""
    trail = schema.DATA_TABLES["audit_trail"]
    merged = {int(seq): hash_ for seq, hash_ in conn.execute(
        select(trail.c.seq, trail.c.hash).where(trail.c.source == installation_id))}
    last_merged = max(merged, default=0)
    for seq, hash_ in bundle_read.trail_hashes(bundle):
        if seq > last_merged:
            return None
        if merged.get(seq) != hash_:
            return seq
    return None


def _trail_hash_at(bundle: SafeZip, seq: int) -> str | None:
    """The hash of event `seq` in the bundle's trail.jsonl (streamed), or None when the trail ends before it."""
    for event_seq, event_hash in bundle_read.trail_hashes(bundle):
        if event_seq == seq:
            return event_hash
        if event_seq > seq:
            return None
    return None


def _alarm(problem: MergeError) -> Decision:
    return Decision(REFUSED, problem.message, alarm=True)


def _short(sha256: str | None) -> str:
    return f"{sha256[:16]}…" if sha256 else "none"
