"""Audit records, annotations and the transactions of one item: how a value came to be, in ODM.

Each `value` / `value_derived` audit event becomes one ItemData (Insert the first time, Update after) with its
own AuditRecord (user, site, time, reason, SourceID = audit sequence number). A confirmed soft-check warning
is an ItemData with TransactionType Context (the value re-sent, not changed) and a WARNING flag. A missing
code is `IsNull="Yes"` with a MISSING flag, since ODM 1.3.2 has no missing-value attribute.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from lxml import etree

from ecrf.export.odm import keys as k
from ecrf.export.odm.elements import plain_sub, sub
from ecrf.export.odm.values import to_odm
from ecrf.export.records import AuditRecord, ValueRecord
from ecrf.study.model import Item

VALUE_ACTIONS = frozenset({"value", "value_derived"})
WARNING_ACTION = "warning_confirmed"


@dataclass(frozen=True)
class Stamp:
    """Who did something, when, why: the content of one ODM AuditRecord."""

    username: str
    at_utc: str
    offset_min: int = 0
    reason: str | None = None
    seq: int | None = None  # the audit event; None when the stamp comes from a record's saved_at/saved_by
    derived: bool = False

    @classmethod
    def of(cls, event: AuditRecord, reason: str | None = None) -> Stamp:
        return cls(event.username, event.at_utc, event.utc_offset_min, reason if reason is not None else event.reason,
                   event.seq, event.action == "value_derived")


def date_time_stamp(at_utc: str, offset_min: int) -> str:
    """The workstation's local time with its UTC offset: the same instant as the audit trail's UTC time, and the
    offset the audit trail keeps (P11.10e). UTC events keep their stored text."""
    if not offset_min:
        return at_utc
    local = datetime.fromisoformat(at_utc) + timedelta(minutes=offset_min)
    sign, minutes = ("+" if offset_min > 0 else "-"), abs(offset_min)
    timespec = "microseconds" if "." in at_utc else "seconds"
    return local.replace(tzinfo=None).isoformat(timespec=timespec) + f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def audit_record(parent: etree._Element, stamp: Stamp, location: str) -> etree._Element:
    node = plain_sub(parent, "AuditRecord", _DERIVED if stamp.derived else _ENTERED)
    plain_sub(node, "UserRef", {"UserOID": k.user_oid(stamp.username)})
    plain_sub(node, "LocationRef", {"LocationOID": location})
    plain_sub(node, "DateTimeStamp", None, date_time_stamp(stamp.at_utc, stamp.offset_min))
    if stamp.reason:
        plain_sub(node, "ReasonForChange", None, stamp.reason)
    if stamp.seq is not None:
        plain_sub(node, "SourceID", None, str(stamp.seq))
    return node


_ENTERED = {"EditPoint": "Monitoring"}
_DERIVED = {"EditPoint": "Monitoring", "UsedImputationMethod": "Yes"}


def annotation(parent: etree._Element, seq: int, flags: Iterable[tuple[str, str]], comment: str | None = None,
               by: str = "Site") -> etree._Element:
    """`<Annotation>` with an optional comment and (FlagType, FlagValue) flags from ecrf's codelists."""
    node = sub(parent, "Annotation", {"SeqNum": seq})
    if comment:
        sub(node, "Comment", {"SponsorOrSite": by}, comment)
    for flag_type, value in flags:
        flag = sub(node, "Flag")
        sub(flag, "FlagValue", {"CodeListOID": k.FLAG_LISTS[flag_type][0]}, value)
        sub(flag, "FlagType", {"CodeListOID": k.FLAG_TYPES}, flag_type)
    return node


def item_transactions(group: etree._Element, form: str, code: str, item: Item | None, events: Sequence[AuditRecord],
                      current: ValueRecord | None, location: str) -> None:
    """Every change of one item, in audit order, ending on its current value. If the events do not lead to the
    stored value (the trail check's finding, which the export only passes once an administrator acknowledged
    it), the stored value follows with no audit record of its own: none is invented for it, and a comment
    says why."""
    oid = k.item_oid(form, code)
    state: tuple[str | None, str | None] | None = None  # (value, missing) after the transactions so far
    for event in events:
        if event.action in VALUE_ACTIONS:
            kind = "Insert" if state is None else "Update"
            state = (event.new_value, event.new_missing)
            _item_data(group, oid, kind, item, state, Stamp.of(event), location)
        elif event.action == WARNING_ACTION:
            # The event's reason is the warning text; it goes into the comment, not ReasonForChange.
            node = _item_data(group, oid, "Context", item, state or (None, None), Stamp.of(event, ""), location)
            annotation(node, 2, [("WARNING", "confirmed")], _warning_text(event))
    if current is not None and state != (current.value, current.missing):
        node = _item_data(group, oid, "Insert" if state is None else "Update", item,
                          (current.value, current.missing), None, location)
        annotation(node, 2, [], NOT_IN_TRAIL)


NOT_IN_TRAIL = ("The stored value is not reached by the audit trail: no audit record exists for it. See the "
                "site's finding in manifest.json.")


def _item_data(group: etree._Element, oid: str, kind: str, item: Item | None,
               state: tuple[str | None, str | None], stamp: Stamp | None, location: str) -> etree._Element:
    value, missing = state
    attrs = {"ItemOID": oid, "TransactionType": kind}
    if value is None:
        attrs["IsNull"] = "Yes"
    else:
        attrs["Value"] = to_odm(item, value)
    node = plain_sub(group, "ItemData", attrs)
    if stamp is not None:
        audit_record(node, stamp, location)
    if missing:
        annotation(node, 1, [("MISSING", missing)])
    return node


def _warning_text(event: AuditRecord) -> str:
    """'OXYSAT:outside-soft-range — Oxygen saturation … confirm it is correct.' (check key, then its message)."""
    return " — ".join(part for part in (event.new_value, event.reason) if part)
