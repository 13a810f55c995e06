"""The demo generator knows no study: a second, small study (tests/data/mini-study, no scenario) gets a
plausible demo site from its definition alone, written through the services with an intact audit trail."""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ecrf.demo import DemoSite, create_demo
from ecrf.demo.scenario import load_scenario
from ecrf.demo.scenario_check import check_scenario
from ecrf.services import audit_trail
from ecrf.services.auth import login
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.store.models import FormInstance, Subject
from ecrf.study.codec import from_text
from ecrf.study.loader import load_study
from ecrf.study.model import ItemType, Study
from ecrf.study.status import FormStatus

MINI = Path(__file__).resolve().parent / "data" / "mini-study"
TODAY = date(2024, 6, 1)


@pytest.fixture(scope="module")
def mini() -> Study:
    return load_study(MINI)


@pytest.fixture(scope="module")
def mini_demo(tmp_path_factory, mini) -> Iterator[tuple[DemoSite, SiteSession, list[logging.LogRecord]]]:  # type: ignore[no-untyped-def]
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logging.getLogger("ecrf.demo").addHandler(handler)
    try:
        site = create_demo(tmp_path_factory.mktemp("mini") / "site.db", mini, subjects=12, today=TODAY)
    finally:
        logging.getLogger("ecrf.demo").removeHandler(handler)
    session = login(site.db_path, mini, "monitor", "demo-monitor-2020")
    yield site, session, records
    session.close()


def test_the_mini_study_has_no_scenario_and_a_sound_definition(mini):  # type: ignore[no-untyped-def]
    assert check_scenario(mini) == [] and load_scenario(mini).forms == {}


def test_every_form_was_filled_without_falling_back(mini_demo):  # type: ignore[no-untyped-def]
    _, _, warnings = mini_demo
    assert [r.getMessage() for r in warnings] == []


def test_subjects_in_several_states_in_both_arms(mini_demo):  # type: ignore[no-untyped-def]
    site, session, _ = mini_demo
    with session.read() as db:
        subjects = db.scalars(select(Subject)).all()
    assert len(subjects) == len(site.subject_ids) == 12
    assert {s.status for s in subjects} >= {"screening", "screen_failure", "enrolled", "completed", "withdrawn"}
    assert {s.arm for s in subjects if s.arm} == {"DRUG", "PLAC"}


def test_every_form_and_visit_has_data_and_values_fit_the_definition(mini_demo, mini):  # type: ignore[no-untyped-def]
    _, session, _ = mini_demo
    with session.read() as db:
        forms = db.scalars(select(FormInstance).options(selectinload(FormInstance.values))).all()
        values = [(f, v) for f in forms for v in f.values]
    assert {f.form_code for f in forms} == set(mini.forms)
    assert {f.visit_code for f in forms} >= {v.code for v in mini.visits}
    statuses = Counter(f.status for f in forms)
    assert statuses[FormStatus.COMPLETE] > 0.9 * len(forms) and statuses[FormStatus.IN_PROGRESS] >= 1
    for form, row in values:
        item = mini.form(form.form_code).item(row.item_code)
        value = from_text(item, row.value, row.missing)
        if item.hard is not None and value is not None:
            assert item.hard.contains(value), (form.form_code, row.item_code, row.value)
        if item.codelist is not None and item.value_type is ItemType.SINGLE_CHOICE and value is not None:
            assert value in item.codelist.codes(), (form.form_code, row.item_code, row.value)


def test_skip_logic_is_respected(mini_demo):  # type: ignore[no-untyped-def]
    """Items hidden by show_if (cigarettes of non-smokers, the end date of an ongoing event) stay empty."""
    _, session, _ = mini_demo
    with session.read() as db:
        forms = db.scalars(select(FormInstance).options(selectinload(FormInstance.values))).all()
    for form in forms:
        stored = {v.item_code: v.value for v in form.values if v.value is not None}
        if form.form_code == "DEMOG":
            assert ("CIGS" in stored) == (stored.get("SMOKER") == "Y")
        if form.form_code == "AE":
            assert ("AEENDAT" in stored) == (stored.get("AEONGO") == "N")
        if form.form_code == "END":  # the disposition matches how the subject ended, from CDISC terms
            assert stored["DSDECOD"] in ("COMPLETED", "WITHDRAWAL BY SUBJECT")
            assert ("DSTERM" in stored) == (stored["DSDECOD"] == "WITHDRAWAL BY SUBJECT")


def test_the_eligible_meet_every_criterion_and_screen_failures_fail_one(mini_demo, mini):  # type: ignore[no-untyped-def]
    _, session, _ = mini_demo
    with session.read() as db:
        status = {s.id: s.status for s in db.scalars(select(Subject))}
        answers = {f.subject_pk: {v.item_code: v.value for v in f.values}
                   for f in db.scalars(select(FormInstance).where(FormInstance.form_code == "ELIG")
                                       .options(selectinload(FormInstance.values)))}
    required = {i.code: i.criterion.required_answer for i in mini.form("ELIG").criteria if i.criterion}
    for subject, given in answers.items():
        wrong = {code for code, answer in required.items() if given.get(code) not in (answer, None)}
        assert len(wrong) == (1 if status[subject] == "screen_failure" else 0), (status[subject], given)


@pytest.mark.req("P11.10e")
def test_the_audit_trail_verifies_and_records_a_correction_and_a_removal(mini_demo):  # type: ignore[no-untyped-def]
    _, session, _ = mini_demo
    assert audit_trail.verify(session).ok
    actions = Counter(e.action for e in audit_trail.events(session))
    assert actions["log_entry_removed"] == 1 and actions["participation_ended"] >= 3
    corrected = [e for e in audit_trail.events(session) if e.reason and e.reason.startswith("Transcription error")]
    assert len(corrected) == 1
    history = audit_trail.item_history(session, FormRef(corrected[0].subject, corrected[0].visit or "",
                                                        corrected[0].form or ""), corrected[0].item or "")
    assert len(history) == 2 and history[1].old_value == history[0].new_value


def test_the_same_today_gives_the_same_subjects(tmp_path, mini, mini_demo):  # type: ignore[no-untyped-def]
    site, _, _ = mini_demo
    again = create_demo(tmp_path / "again.db", mini, subjects=12, today=TODAY)
    assert again.subject_ids == site.subject_ids
