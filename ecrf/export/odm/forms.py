"""One form instance as a series of ODM FormData transactions, in time order.

1. Insert: the form's first audit event, and every item's history (`odm_history.item_transactions`).
2. Updates, by time: each status change (annotation 1, FORM_STATUS flag), then the form's monitoring
   (`ecrf.export.odm.monitoring`: signatures, SDV per item, locks, and each step of a query's thread; an Update
   replaces the whole annotation of its SeqNum, so the last one is the current state).
3. Remove, for a log entry removed at the site, with the reason in the AuditRecord. Its values stay in
   the Insert above: the history is kept, the entry is no longer current.
"""
from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from ecrf.export.odm import keys as k
from ecrf.export.odm.elements import element
from ecrf.export.odm.history import (
    VALUE_ACTIONS,
    WARNING_ACTION,
    Stamp,
    annotation,
    audit_record,
    item_group,
    item_transactions,
)
from ecrf.export.odm.monitoring import Builder, Monitoring, Updates, monitoring_updates
from ecrf.export.records import AuditRecord, FormRecord
from ecrf.study.model import Study


class FormWriter:
    def __init__(self, study: Study, repeating: frozenset[str], location: str) -> None:
        self.study, self.repeating, self.location = study, repeating, location

    def elements(self, record: FormRecord, events: Sequence[AuditRecord],
                 monitoring: Monitoring) -> list[etree._Element]:
        updates: Updates = []
        self._status_updates(record, events, updates)
        updates.extend(monitoring_updates(monitoring, self.location))
        found = [self._insert(record, events)]
        for _, build in sorted(updates, key=lambda pair: pair[0]):
            node = self._form_data(record, "Update")
            build(node)
            found.append(node)
        if record.deleted:
            found.append(self._removal(record, events))
        return found

    def _form_data(self, record: FormRecord, kind: str) -> etree._Element:
        repeat_key = k.form_repeat_key(record.timepoint, record.repeat)
        keyed = record.form in self.repeating or (record.form not in self.study.forms and repeat_key != "0")
        return element("FormData", {"FormOID": k.form_oid(record.form), "FormRepeatKey": repeat_key if keyed else None,
                                    "TransactionType": kind})

    def _insert(self, record: FormRecord, events: Sequence[AuditRecord]) -> etree._Element:
        node = self._form_data(record, "Insert")
        first = Stamp.of(events[0], reason="") if events else Stamp(record.updated_by, record.updated_at)
        audit_record(node, first, self.location)
        form = self.study.forms.get(record.form)
        current = {value.item: value for value in record.values}
        history: dict[str, list[AuditRecord]] = {}
        for event in events:
            if event.item is not None and (event.action in VALUE_ACTIONS or event.action == WARNING_ACTION):
                history.setdefault(event.item, []).append(event)
        codes = list(current) + sorted(set(history) - set(current))
        if codes:
            item_group(node, k.item_group_oid(record.form), (
                item_transactions(record.form, code, form.item(code) if form is not None and form.has_item(code)
                                  else None, history.get(code, ()), current.get(code), self.location)
                for code in codes))
        return node

    def _status_updates(self, record: FormRecord, events: Sequence[AuditRecord], updates: Updates) -> None:
        changes = [e for e in events if e.action == "form_status"]
        for event in changes:
            updates.append(((event.at_utc, 0, event.seq), self._status(Stamp.of(event), event.new_value or "")))
        if not changes or changes[-1].new_value != record.status:
            # No event says how the form got its status (older data): state it as of the last save.
            at = max([record.updated_at] + [e.at_utc for e in changes])
            updates.append(((at, 2, 0), self._status(Stamp(record.updated_by, at), record.status)))

    def _status(self, stamp: Stamp, status: str) -> Builder:
        def build(node: etree._Element) -> None:
            audit_record(node, stamp, self.location)
            annotation(node, k.STATUS_SEQ, [("FORM_STATUS", status)])
        return build

    def _removal(self, record: FormRecord, events: Sequence[AuditRecord]) -> etree._Element:
        node = self._form_data(record, "Remove")
        removed = [e for e in events if e.action == "log_entry_removed"]
        reason = record.deleted_reason or (removed[-1].reason if removed else None)
        stamp = Stamp.of(removed[-1], reason) if removed else Stamp(record.updated_by, record.updated_at, reason=reason)
        audit_record(node, stamp, self.location)
        return node
