"""The demo site read into export records: every subject, every form, every audit event, in a stable order."""
from __future__ import annotations

from tests.export.helpers import DemoRecords


def test_every_subject_and_event_is_read_once(demo_records: DemoRecords) -> None:
    labels = [s.label for s in demo_records.subjects]
    assert len(labels) == len(set(labels)) == 20
    assert [e.seq for e in demo_records.audit] == list(range(1, demo_records.site.audit_head_seq + 1))
    assert demo_records.audit[-1].hash == demo_records.site.audit_head_hash
    assert demo_records.site.as_of == demo_records.audit[-1].at_utc


def test_subjects_are_in_screening_order_with_their_own_events(demo_records: DemoRecords) -> None:
    numbers = [s.screening_no for s in demo_records.subjects]
    assert numbers == sorted(numbers)
    for subject in demo_records.subjects:
        assert all(e.subject in {subject.screening_no, subject.label} for e in subject.audit)
        assert subject.audit, f"{subject.label} has no audit events"


def test_enrolled_subjects_have_dated_visits_and_forms_in_schedule_order(demo_records: DemoRecords, study) -> None:  # type: ignore[no-untyped-def]
    enrolled = [s for s in demo_records.subjects if s.subject_id]
    assert enrolled
    subject = enrolled[0]
    visit_order = [v.code for v in study.visits]
    seen = [f.visit for f in subject.forms if f.visit]
    assert seen == sorted(seen, key=visit_order.index)
    assert subject.visits[0].actual_date is not None
    logs = [f for f in subject.forms if not f.visit]
    assert all(f.repeat >= 1 for f in logs)


def test_the_events_a_trail_check_read_give_the_same_records_as_reading_them_again(small_demo, study) -> None:  # type: ignore[no-untyped-def]
    """The export writes the events its trail check read (`CheckedEvents`) instead of reading the trail twice
    more: the records must be the ones a fresh read gives, per subject and for the whole trail."""
    from ecrf.services import export_records, integrity

    session = small_demo.login("nurse")
    try:
        checked = export_records.CheckedEvents(integrity.require_exportable(session, keep_events=True).events)
        with session.read() as db:
            assert list(checked) == list(export_records.iter_audit(db))
            assert ([s.audit for s in export_records.iter_subjects(db, study, checked)]
                    == [s.audit for s in export_records.iter_subjects(db, study)])
    finally:
        session.close()
