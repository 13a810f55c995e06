"""One form instance as a series of ODM FormData transactions, in time order.

1. Insert: the form's first audit event, and every item's history (`odm_history.item_transactions`).
2. Updates, by time: each status change (annotation 1, FORM_STATUS flag), signatures (Signature element and
   annotation 2), source data verification (annotation 3) and each step of a query (annotation 10 + n:
   raised → answered → closed; an Update replaces the whole annotation, so the last one is the query's state).
3. Remove, for a log entry removed at the site, with the reason in the AuditRecord. Its values stay in
   the Insert above: the history is kept, the entry is no longer current.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree

from ecrf.export.odm import keys as k
from ecrf.export.odm.elements import element, sub
from ecrf.export.odm.history import VALUE_ACTIONS, WARNING_ACTION, Stamp, annotation, audit_record, item_transactions
from ecrf.export.records import AuditRecord, FormRecord, QueryRecord, SdvRecord, SignatureRecord
from ecrf.study.model import Study

Builder = Callable[[etree._Element], None]
Updates = list[tuple[tuple[str, int, int], Builder]]  # (time, kind, order) → what the Update FormData holds


@dataclass(frozen=True)
class Monitoring:
    """The queries, SDV and signatures of one form instance."""

    queries: Sequence[QueryRecord] = ()
    sdv: Sequence[SdvRecord] = ()
    signatures: Sequence[SignatureRecord] = ()


class FormWriter:
    def __init__(self, study: Study, repeating: frozenset[str], location: str) -> None:
        self.study, self.repeating, self.location = study, repeating, location

    def elements(self, record: FormRecord, events: Sequence[AuditRecord],
                 monitoring: Monitoring) -> list[etree._Element]:
        updates: Updates = []
        self._status_updates(record, events, updates)
        self._monitoring_updates(monitoring, updates)
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
            group = sub(node, "ItemGroupData",
                        {"ItemGroupOID": k.item_group_oid(record.form), "TransactionType": "Insert"})
            for code in codes:
                item = form.item(code) if form is not None and form.has_item(code) else None
                item_transactions(group, record.form, code, item, history.get(code, ()), current.get(code),
                                  self.location)
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

    def _monitoring_updates(self, monitoring: Monitoring, updates: Updates) -> None:
        for n, signature in enumerate(monitoring.signatures):
            updates.append(((signature.signed_at, 1, n), self._signature(signature)))
        for n, sdv in enumerate(monitoring.sdv):
            stamp = Stamp(sdv.verified_by, sdv.verified_at)
            updates.append(((sdv.verified_at, 1, 1000 + n), self._flagged(stamp, k.SDV_SEQ, [("SDV", sdv.state)],
                                                                          f"{sdv.item}: source data verified")))
        queries = sorted(monitoring.queries, key=lambda q: (q.raised_at, q.query_id))
        for n, query in enumerate(queries):
            for step in query.messages:
                at, by, status = step.at_utc, step.author, step.kind
                comment = f"{query.query_id} [{query.item or query.form or query.visit}] {step.text}"
                flags = [("QUERY_STATUS", status), ("QUERY_ORIGIN", query.origin)]
                who = "Sponsor" if step.role == "monitor" else "Site"
                updates.append(((at, 1, 2000 + n), self._flagged(Stamp(by, at), k.QUERY_SEQ_BASE + n, flags, comment,
                                                                 who)))

    def _flagged(self, stamp: Stamp, seq: int, flags: list[tuple[str, str]], comment: str,
                 by: str = "Site") -> Builder:
        def build(node: etree._Element) -> None:
            audit_record(node, stamp, self.location)
            annotation(node, seq, flags, comment, by)
        return build

    def _signature(self, signature: SignatureRecord) -> Builder:
        def build(node: etree._Element) -> None:
            audit_record(node, Stamp(signature.username, signature.signed_at), self.location)
            signed = sub(node, "Signature")
            sub(signed, "UserRef", {"UserOID": k.user_oid(signature.username)})
            sub(signed, "LocationRef", {"LocationOID": self.location})
            sub(signed, "SignatureRef", {"SignatureOID": k.INVESTIGATOR_SIGNATURE})
            sub(signed, "DateTimeStamp", text=signature.signed_at)
            annotation(node, k.SIGNATURE_SEQ, [("SIGNATURE", signature.state)],  # as of the export (AsOfDateTime)
                       f"{signature.meaning_en} (SHA-256 of the signed data: {signature.data_hash})")
        return build

    def _removal(self, record: FormRecord, events: Sequence[AuditRecord]) -> etree._Element:
        node = self._form_data(record, "Remove")
        removed = [e for e in events if e.action == "log_entry_removed"]
        reason = record.deleted_reason or (removed[-1].reason if removed else None)
        stamp = Stamp.of(removed[-1], reason) if removed else Stamp(record.updated_by, record.updated_at, reason=reason)
        audit_record(node, stamp, self.location)
        return node
