"""Audit events inserted in bulk (ecrf.store.audit_rows) and log entries added in one transaction
(`ecrf.services.logs.add_log_entries`): the same events, chain and seals as one at a time."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from subject_helpers import actions_after, enrol, events_after, head, instance_of, seal_count

from ecrf.services import logs
from ecrf.services.errors import ValuesRefused
from ecrf.services.permissions import Do
from ecrf.services.subject_data import FormRef
from ecrf.store import audit_rows
from ecrf.store.audit import Change
from ecrf.store.models import AuditEvent


@pytest.mark.req("P11.10e")
def test_events_queued_in_a_transaction_are_read_back_in_it_and_committed(investigator):
    start = head(investigator)
    with investigator.write(Do.ENTER_DATA) as tx:
        tx.audit(Change("log_entry_added", subject="X", form="AE", repeat=1))
        tx.audit(Change("log_entry_added", subject="X", form="AE", repeat=2))
        assert audit_rows.queued(tx.db) == 2
        seen = tx.db.scalars(select(AuditEvent.repeat).where(AuditEvent.seq > start).order_by(AuditEvent.seq))
        assert list(seen) == [1, 2]  # the query's autoflush inserted them first
        assert audit_rows.queued(tx.db) == 0
        tx.audit(Change("log_entry_added", subject="X", form="AE", repeat=3))
    assert [e.repeat for e in events_after(investigator, start)] == [1, 2, 3]
    assert head(investigator) == start + 3  # chain and seals verify


def test_a_rolled_back_transaction_leaves_no_queued_event(investigator):
    start = head(investigator)
    with pytest.raises(RuntimeError), investigator.write(Do.ENTER_DATA) as tx:
        tx.audit(Change("log_entry_added", subject="X", form="AE", repeat=1))
        db = tx.db
        raise RuntimeError("fails before the commit")
    assert audit_rows.queued(db) == 0
    assert head(investigator) == start
    with investigator.write(Do.ENTER_DATA) as tx:  # the next one starts from the same head, not the dropped event
        tx.audit(Change("log_entry_added", subject="X", form="AE", repeat=9))
    assert [e.repeat for e in events_after(investigator, start)] == [9]
    assert head(investigator) == start + 1


@pytest.mark.req("P11.10e")
def test_log_entries_in_one_transaction_number_and_audit_as_one_by_one_with_one_seal(investigator):
    subject = enrol(investigator, manual=("CTRL", "M001"))
    start, sealed = head(investigator), seal_count(investigator)
    added = logs.add_log_entries(investigator, [logs.LogEntrySave(subject, "AE", {"AETERM": "Headache"}),
                                                logs.LogEntrySave(subject, "CM", {"CMTRT": "Paracetamol"}),
                                                logs.LogEntrySave(subject, "AE", {"AETERM": "Nausea"})])
    assert [repeat for repeat, _ in added] == [1, 1, 2]
    assert actions_after(investigator, start).count("log_entry_added") == 3
    assert seal_count(investigator) == sealed + 1
    assert head(investigator) > start
    assert logs.add_log_entry(investigator, subject, "AE", {"AETERM": "Rash"})[0] == 3


def test_a_refused_entry_refuses_the_batch_and_says_which(investigator):
    subject = enrol(investigator, manual=("CTRL", "M002"))
    start, sealed = head(investigator), seal_count(investigator)
    with pytest.raises(ValuesRefused) as refused:
        logs.add_log_entries(investigator, [logs.LogEntrySave(subject, "AE", {"AETERM": "Headache"}),
                                            logs.LogEntrySave(subject, "AE", {"AETERM": "Nausea"}, complete=True)])
    assert refused.value.params["entry"] == 1  # the second one: required items missing for "complete"
    assert head(investigator) == start and seal_count(investigator) == sealed
    assert instance_of(investigator, FormRef(subject, "", "AE", "", 1)) is None  # rolled back with it
