"""Audit records, annotations and the transactions of one item: how a value came to be, in ODM.

Each `value` / `value_derived` audit event becomes one ItemData (Insert the first time, Update after) with its
own AuditRecord (user, site, time, reason, SourceID = audit sequence number). A confirmed soft-check warning
is an ItemData with TransactionType Context (the value re-sent, not changed) and a WARNING flag. A missing
code is `IsNull="Yes"` with a MISSING flag, since ODM 1.3.2 has no missing-value attribute.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from lxml import etree

from ecrf.export.odm import keys as k
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


def audit_record(parent: etree._Element, stamp: Stamp, location: str) -> None:
    parent.append(etree.fromstring(audit_record_xml(stamp, location)))


def annotation(parent: etree._Element, seq: int, flags: Iterable[tuple[str, str]], comment: str | None = None,
               by: str = "Site") -> None:
    """`<Annotation>` with an optional comment and (FlagType, FlagValue) flags from ecrf's codelists."""
    parent.append(etree.fromstring(annotation_xml(seq, flags, comment, by)))


# The elements of every value change are written as XML text and parsed by lxml in one go per item group: built
# element by element, they were most of the ODM's time. The text functions below are the only definitions of
# these elements; `attr` and `text` escape what the parser would otherwise change (line breaks in attributes,
# carriage returns), so the parsed tree holds exactly the strings given.

def audit_record_xml(stamp: Stamp, location: str) -> str:
    parts = ['<AuditRecord EditPoint="Monitoring"', ' UsedImputationMethod="Yes">' if stamp.derived else ">",
             f'<UserRef UserOID="{attr(k.user_oid(stamp.username))}"/><LocationRef LocationOID="{attr(location)}"/>'
             f"<DateTimeStamp>{text(date_time_stamp(stamp.at_utc, stamp.offset_min))}</DateTimeStamp>"]
    if stamp.reason:
        parts.append(f"<ReasonForChange>{text(stamp.reason)}</ReasonForChange>")
    if stamp.seq is not None:
        parts.append(f"<SourceID>{stamp.seq}</SourceID>")
    parts.append("</AuditRecord>")
    return "".join(parts)


def annotation_xml(seq: int, flags: Iterable[tuple[str, str]], comment: str | None = None, by: str = "Site") -> str:
    parts = [f'<Annotation SeqNum="{seq}">']
    if comment:
        parts.append(f'<Comment SponsorOrSite="{attr(by)}">{text(comment)}</Comment>')
    for flag_type, value in flags:
        parts.append(f'<Flag><FlagValue CodeListOID="{attr(k.FLAG_LISTS[flag_type][0])}">{text(value)}</FlagValue>'
                     f'<FlagType CodeListOID="{attr(k.FLAG_TYPES)}">{text(flag_type)}</FlagType></Flag>')
    parts.append("</Annotation>")
    return "".join(parts)


def item_group(parent: etree._Element, group_oid: str, items: Iterable[str]) -> None:
    """`<ItemGroupData>` (an Insert) holding the ItemData text of `items` (from `item_transactions`)."""
    parent.append(etree.fromstring(f'<ItemGroupData ItemGroupOID="{attr(group_oid)}" TransactionType="Insert">'
                                   f'{"".join(items)}</ItemGroupData>'))


def item_transactions(form: str, code: str, item: Item | None, events: Sequence[AuditRecord],
                      current: ValueRecord | None, location: str) -> str:
    """Every change of one item, in audit order, ending on its current value, as ItemData text for `item_group`.
    If the events do not lead to the stored value (the trail check's finding, which the export only passes once
    an administrator acknowledged it), the stored value follows with no audit record of its own: none is
    invented for it, and a comment says why."""
    oid = k.item_oid(form, code)
    out: list[str] = []
    state: tuple[str | None, str | None] | None = None  # (value, missing) after the transactions so far
    for event in events:
        if event.action in VALUE_ACTIONS:
            kind = "Insert" if state is None else "Update"
            state = (event.new_value, event.new_missing)
            out.append(_item_data(oid, kind, item, state, Stamp.of(event), location))
        elif event.action == WARNING_ACTION:
            # The event's reason is the warning text; it goes into the comment, not ReasonForChange.
            out.append(_item_data(oid, "Context", item, state or (None, None), Stamp.of(event, ""), location,
                                  annotation_xml(2, [("WARNING", "confirmed")], _warning_text(event))))
    if current is not None and state != (current.value, current.missing):
        out.append(_item_data(oid, "Insert" if state is None else "Update", item, (current.value, current.missing),
                              None, location, annotation_xml(2, [], NOT_IN_TRAIL)))
    return "".join(out)


NOT_IN_TRAIL = ("The stored value is not reached by the audit trail: no audit record exists for it. See the "
                "site's finding in manifest.json.")


def _item_data(oid: str, kind: str, item: Item | None, state: tuple[str | None, str | None], stamp: Stamp | None,
               location: str, note: str = "") -> str:
    value, missing = state
    shown = ' IsNull="Yes"' if value is None else f' Value="{attr(to_odm(item, value))}"'
    parts = [f'<ItemData ItemOID="{attr(oid)}" TransactionType="{kind}"{shown}>']
    if stamp is not None:
        parts.append(audit_record_xml(stamp, location))
    if missing:
        parts.append(annotation_xml(1, [("MISSING", missing)]))
    parts.append(note)
    parts.append("</ItemData>")
    return "".join(parts)


def attr(value: str) -> str:
    """An attribute value escaped for XML text that parses back to exactly `value`."""
    return value.translate(_ATTR) if _ATTR_SPECIAL.search(value) else value


def text(value: str) -> str:
    """Element content escaped for XML text that parses back to exactly `value`."""
    return value.translate(_TEXT) if _TEXT_SPECIAL.search(value) else value


_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;",
                       "\t": "&#9;"})
_TEXT_SPECIAL = re.compile(r"[&<>\r]")
_ATTR_SPECIAL = re.compile(r'[&<>"\r\n\t]')


def _warning_text(event: AuditRecord) -> str:
    """'OXYSAT:outside-soft-range — Oxygen saturation … confirm it is correct.' (check key, then its message)."""
    return " — ".join(part for part in (event.new_value, event.reason) if part)
