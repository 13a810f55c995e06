"""The monitoring part of a casebook: queries with their whole threads, source data verification per form,
electronic signatures (21 CFR 11.50: printed name, meaning, date and time; valid or broken) and locks.

Each section says "None recorded." when empty. States are written as words, never by colour alone.
"""
from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from ecrf.export.pdf.casebook_forms import utc_text
from ecrf.export.pdf.style import REMOVED, cell, columns, heading, note, table
from ecrf.export.records import LockRecord, QueryRecord, SignatureRecord, SubjectRecord
from ecrf.export.sdv_progress import FormSdv, subject_sdv
from ecrf.study.model import Study
from ecrf.study.status import QUERY_STATE_TEXT, RESPONSE_TEXT, SDV_STATE_TEXT, SdvState

NONE = "None recorded."
QUERY_COLUMNS = columns(16, 26, 16, 30, 22, 70)  # query, where, state, time, by, step: text
SDV_COLUMNS = columns(40, 26, 22, 52, 40)  # form, state, n of m, changed since verified, last verified
SIGNATURE_COLUMNS = columns(24, 28, 66, 32, 30)  # signed, signed by, meaning, time, state
LOCK_COLUMNS = columns(40, 50, 90)  # where, locked, state
_QUERY_STATE = {s.value: text for s, text in QUERY_STATE_TEXT.items()}
_ORIGIN_WORDS = {"auto": "automatic", "manual": "manual", "sponsor": "sponsor"}
_SDV_STATE = {s.value: text for s, text in SDV_STATE_TEXT.items()}
_RESPONSE = {r.value: text for r, text in RESPONSE_TEXT.items()}


def monitoring_blocks(study: Study, subject: SubjectRecord) -> list[Flowable]:
    return [*query_blocks(subject.queries), *sdv_blocks(subject_sdv(study, subject)),
            *signature_blocks(subject.signatures), *lock_blocks(subject.locks)]


def where(visit: str, form: str, timepoint: str, repeat: int, item: str = "") -> str:
    parts = [visit or ("log" if form else ""), form, timepoint, f"#{repeat}" if repeat else "", item]
    return " ".join(p for p in parts if p) or "whole casebook"


def query_blocks(queries: tuple[QueryRecord, ...] | list[QueryRecord], title: str = "Queries") -> list[Flowable]:
    """One row per message of each query's thread; the query's number, place and state on its first row."""
    out: list[Flowable] = [*heading(title, 10.5, space_before=10)]
    if not queries:
        return [*out, note(NONE)]
    w = QUERY_COLUMNS
    rows: list[list[object]] = [["Query", "Where", "State", "Time", "By (role)", "Step: text"]]
    for q in queries:
        state = f"{_QUERY_STATE.get(q.state, q.state)}\n{_ORIGIN_WORDS.get(q.origin, q.origin)}"
        for n, m in enumerate(q.messages or ()):
            step = m.kind + (f" ({_RESPONSE.get(m.response_code, m.response_code)})" if m.response_code else "")
            rows.append([q.query_id if n == 0 else "",
                         cell(where(q.visit, q.form, q.timepoint, q.repeat, q.item), w[1]) if n == 0 else "",
                         state if n == 0 else "", utc_text(m.at_utc), cell(f"{m.author} ({m.role})", w[4]),
                         cell(f"{step}: {m.text}", w[5])])
        if not q.messages:
            rows.append([q.query_id, cell(where(q.visit, q.form, q.timepoint, q.repeat, q.item), w[1]), state,
                         utc_text(q.raised_at), cell(q.raised_by, w[4]), ""])
    return [*out, table(rows, w)]


def sdv_blocks(progress: list[FormSdv]) -> list[Flowable]:
    """Per form: its state, "n of m verified", the items changed since verified, the last verification."""
    out = heading("Source data verification", 10.5, space_before=8)
    if not progress:
        return [*out, note(NONE)]
    w = SDV_COLUMNS
    rows: list[list[object]] = [["Form", "State", "Verified", "Changed since verified", "Last verified"]]
    flagged: dict[int, Color] = {}
    for p in progress:
        r = p.record
        state = _SDV_STATE.get(p.state.value, p.state.value)
        if p.required and not p.complete:
            state += " (form not complete)"
        count = f"{p.done} of {len(p.required)}" if p.required else f"{len(p.verified)} (not required)"
        last = f"{utc_text(p.last.verified_at)} {p.last.verified_by}" if p.last else ""
        if p.state is SdvState.CHANGED:
            flagged[len(rows)] = REMOVED
        rows.append([cell(where(r.visit, r.form, r.timepoint, r.repeat), w[0]), cell(state, w[1]), count,
                     cell(", ".join(p.changed), w[3]), cell(last, w[4])])
    return [*out, table(rows, w, row_colors=flagged)]


def signature_blocks(signatures: tuple[SignatureRecord, ...]) -> list[Flowable]:
    out = heading("Electronic signatures", 10.5, space_before=8)
    if not signatures:
        return [*out, note(NONE)]
    w = SIGNATURE_COLUMNS
    rows: list[list[object]] = [["Signed", "Signed by", "Meaning", "Time", "State"]]
    broken: dict[int, Color] = {}
    for s in signatures:
        if s.state != "valid":
            broken[len(rows)] = REMOVED
        rows.append([cell(f"{s.scope}: {where(s.visit, s.form, s.timepoint, s.repeat)}", w[0]),
                     cell(f"{s.full_name} ({s.username})", w[1]),
                     cell(f"{s.meaning_en}\n{s.meaning_zh}\n(text version {s.meaning_version})", w[2]),
                     utc_text(s.signed_at), cell(_signature_state(s), w[4])])
    out.append(table(rows, w, row_colors=broken))
    out.append(note("Each signature is an Ed25519 signature by the signer's personal key over the SHA-256 of the "
                    "data it covers; csv/signatures.csv holds the key, the hash and the signature to check it."))
    return out


def _signature_state(s: SignatureRecord) -> str:
    if s.state == "valid":
        return "valid"
    return f"BROKEN {utc_text(s.broken_at)}: {s.broken_reason or ''}" if s.broken_at else "BROKEN"


def lock_blocks(locks: tuple[LockRecord, ...]) -> list[Flowable]:
    out = heading("Locks", 10.5, space_before=8)
    if not locks:
        return [*out, note(NONE)]
    w = LOCK_COLUMNS
    rows: list[list[object]] = [["Locked", "Since", "State"]]
    for lock in locks:
        state = "locked" if lock.active else \
            f"unlocked {utc_text(lock.unlocked_at or '')} by {lock.unlocked_by or ''}: {lock.unlock_reason or ''}"
        rows.append([cell(f"{lock.scope}: {where(lock.visit, lock.form, lock.timepoint, lock.repeat)}", w[0]),
                     cell(f"{utc_text(lock.locked_at)} by {lock.locked_by}", w[1]), cell(state, w[2])])
    return [*out, table(rows, w)]

