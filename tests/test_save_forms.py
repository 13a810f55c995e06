"""`save_forms` (ecrf.services.form_batch): several forms in one transaction, each saved exactly as `save_form`
saves it (validated, audited, monitored), with one commit and one seal for all; all or nothing when one of them
is refused."""
from __future__ import annotations

import pytest
from subject_helpers import IE_ELIGIBLE, actions_after, consent_day, dm_values, head, instance_of, seal_count, stored

from ecrf.services import forms, subjects
from ecrf.services.errors import NeedsConfirmation, ValuesRefused
from ecrf.services.form_batch import FormSave, save_forms
from ecrf.services.permissions import Do
from ecrf.services.subject_data import FormRef, find_subject, load_subject_data
from ecrf.services.subject_records import SubjectRecords


def screening_forms(label: str) -> list[FormSave]:
    return [FormSave(FormRef(label, "SCR", "DM"), dm_values(), complete=True),
            FormSave(FormRef(label, "SCR", "IE"), IE_ELIGIBLE, complete=True)]


@pytest.mark.req("P11.10e")
def test_several_forms_are_saved_and_audited_as_one_by_one_with_one_seal(nurse):
    one_by_one = subjects.screen_subject(nurse)
    start = head(nurse)
    for save in screening_forms(one_by_one):
        forms.save_form(nurse, save.ref, save.values, complete=save.complete)
    expected = actions_after(nurse, start)

    together = subjects.screen_subject(nurse)
    start, sealed = head(nurse), seal_count(nurse)
    results = save_forms(nurse, screening_forms(together))
    assert actions_after(nurse, start) == expected  # every value, status and derived value, in the same order
    assert seal_count(nurse) == sealed + 1  # one transaction: one commit, one seal
    assert [r.status for r in results] == ["complete", "complete"]
    for save in screening_forms(together):
        assert stored(nurse, save.ref) == stored(nurse, FormRef(one_by_one, save.ref.visit, save.ref.form))
    assert head(nurse) > start  # check_trail inside head(): chain and seals verify


def test_a_refused_form_refuses_the_whole_batch_and_names_itself(nurse):
    label = subjects.screen_subject(nurse)
    first, second = screening_forms(label)
    bad = FormSave(FormRef(label, "SCR", "VS"), {"TEMP": "46.0"})  # above the hard limit
    start, sealed = head(nurse), seal_count(nurse)
    with pytest.raises(ValuesRefused) as refused:
        save_forms(nurse, [first, bad, second])
    assert refused.value.params["ref"] == bad.ref
    assert head(nurse) == start and seal_count(nurse) == sealed
    assert instance_of(nurse, first.ref) is None  # saved before the refusal, rolled back with it


def test_a_warning_in_the_batch_asks_for_its_confirmation_like_save_form(nurse):
    label = subjects.screen_subject(nurse)
    warm = FormSave(FormRef(label, "SCR", "VS"), {"TEMP": "41.5"})
    with pytest.raises(NeedsConfirmation) as asked:
        save_forms(nurse, [*screening_forms(label), warm])
    assert asked.value.params["ref"] == warm.ref
    [finding] = asked.value.findings
    confirmed = FormSave(warm.ref, warm.values, confirm={finding.key})
    save_forms(nurse, [*screening_forms(label), confirmed])
    assert "warning_confirmed" in actions_after(nurse, 0)
    assert str(stored(nurse, warm.ref)["TEMP"]) == "41.5"


def test_the_batch_copy_of_a_subjects_forms_reads_as_the_database_after_every_save(nurse):
    label = subjects.screen_subject(nurse)
    dm = FormRef(label, "SCR", "DM")
    later = dm_values(sex="F", age=30) | {"WEIGHT": None}  # a changed value, a new one and one cleared
    saves = [*screening_forms(label), FormSave(dm, later), FormSave(FormRef(label, "SCR", "VS"), {"TEMP": "36.8"})]
    with nurse.write(Do.ENTER_DATA) as tx:
        subject = find_subject(tx.db, label)
        records = SubjectRecords(tx.db, nurse.study)
        for save in saves:
            forms.store_form(tx, nurse.study, subject, save.ref, save.values, complete=save.complete,
                             reason="corrected" if save.ref == dm else None, today=consent_day(),
                             records=records)
            tx.db.flush()
            for only in (None, {("SCR", "DM")}, {("SCR", "VS"), ("SCR", "IE")}):
                assert records.data(subject, only) == load_subject_data(tx.db, nurse.study, subject, only)
    assert records.data(subject).forms[("SCR", "DM", "")]["SEX"] == "F"
