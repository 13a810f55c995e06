"""The monitor's SDV matrix with 2,000 subjects: reading every subject × visit's verification, queries,
signatures and locks (`monitoring_view.matrix_states`).

Workload (not timed): a new site (fast key derivation) filled directly in the database with 2,000 enrolled
subjects, the screening visit and a random number of later visits complete (every form of the schedule for
the subject's arm) with a value in every item to verify, two adverse events each (a third serious), 70 % of
the required items verified and 2 % changed since verified, an open query on every tenth subject, a casebook
signature on every third and a lock on every twentieth. Timed: `matrix_states(session)` (median). Floor, in
the same run: the least any subject x visit matrix reads, one GROUP BY of the form instances per subject and
visit (count and completed forms).
Goal: ≤ 200 ms (the screen opens without a wait). Smoke: 20 subjects.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from random import Random
from typing import Any

from bench.result import Result
from bench.scale import Scale
from bench.timing import FORMS_DIR, warm_median_ms
from bench.unlock import kdf_profile

GOAL_MS = 200.0
STAMP = "2026-01-01T00:00:00.000000Z"


def _fill(db: Any, study: Any, n: int, seed: int = 13) -> None:
    """`n` subjects with forms, SDV marks, queries, signatures and locks, inserted in bulk."""
    from sqlalchemy import insert

    from ecrf.services import sdv
    from ecrf.store.models import FormInstance, ItemValue, LockRow, QueryRow, SdvMark, SignatureRow, Subject

    rng = Random(seed)
    db.execute(insert(Subject), [
        {"id": i, "screening_no": f"BE01-S{i:04d}", "subject_id": f"BE01-{i:04d}", "status": "enrolled",
         "arm": "MSC" if i % 2 else "CTRL", "day0": "2025-01-01", "created_at": STAMP} for i in range(1, n + 1)])
    instances, marks, values, form_pk = [], [], [], 0
    for i in range(1, n + 1):
        arm = "MSC" if i % 2 else "CTRL"
        done = 1 + rng.randrange(len(study.visits))
        places = [(v.code, vf.form, tp, 0) for v in study.visits[:done] for vf in v.forms_for(arm)
                  for tp in vf.timepoints or ("",)] + [("", "AE", "", 1), ("", "AE", "", 2)]
        for visit, form, tp, repeat in places:
            form_pk += 1
            instances.append({"id": form_pk, "subject_pk": i, "visit_code": visit, "form_code": form,
                              "timepoint": tp, "repeat": repeat, "status": "complete",
                              "definition_version": "1", "definition_fingerprint": "f", "deleted": False,
                              "updated_at": STAMP, "updated_by": "nurse", "sdv_verified": 0, "sdv_changed": 0,
                              "sdv_required": None})
            required = sdv.required_items(study, visit, form, None)
            if form == "AE":  # what the AE rule's `when` reads: a third serious or severe
                serious, grade = rng.random() < 0.33, rng.choice((1, 2, 3))
                values += [_value(form_pk, "AESER", "Y" if serious else "N"), _value(form_pk, "AETOXGR", str(grade))]
                required = sdv.required_items(study, visit, form, {"AESER": "Y" if serious else "N", "AETOXGR": grade})
            instances[-1]["sdv_required"] = len(required)  # as a save leaves it
            for code in required:
                if not (form == "AE" and code in ("AESER", "AETOXGR")):
                    values.append(_value(form_pk, code, "1"))
                roll = rng.random()
                if roll < 0.72:
                    state = "changed_since_verified" if roll < 0.02 else "verified"
                    marks.append({"form_pk": form_pk, "item_code": code, "state": state, "verified_at": STAMP,
                                  "verified_by": "monitor"})
                    instances[-1]["sdv_changed" if roll < 0.02 else "sdv_verified"] += 1
    db.execute(insert(FormInstance), instances)
    db.execute(insert(ItemValue), values)
    db.execute(insert(SdvMark), marks)
    place = {"visit_code": "SCR", "form_code": "DM", "timepoint": "", "repeat": 0}
    db.execute(insert(QueryRow), [
        {"subject_pk": i, "scope": "item", **place, "item_code": "SEX", "origin": "manual", "check_key": "",
         "state": "open", "raised_by": "monitor", "raised_role": "monitor", "raised_at": STAMP,
         "updated_at": STAMP} for i in range(1, n + 1, 10)])
    db.execute(insert(SignatureRow), [
        {"ceremony": f"c{i}", "subject_pk": i, "scope": "subject", "visit_code": "", "form_code": "",
         "timepoint": "", "repeat": 0, "username": "investigator", "full_name": "I", "meaning_en": "m",
         "meaning_zh": "m", "meaning_version": "1", "signed_at": STAMP, "data_hash": "0" * 64, "key_id": "k",
         "public_key": "p", "signature": "s", "state": "valid"} for i in range(1, n + 1, 3)])
    db.execute(insert(LockRow), [
        {"subject_pk": i, "scope": "subject", "visit_code": "", "form_code": "", "timepoint": "", "repeat": 0,
         "locked_at": STAMP, "locked_by": "investigator", "active": True} for i in range(1, n + 1, 20)])


def _value(form_pk: int, item: str, value: str) -> dict[str, Any]:
    return {"form_pk": form_pk, "item_code": item, "value": value, "missing": None, "confirmed": "",
            "saved_at": STAMP, "saved_by": "nurse"}


def _floor(session: Any) -> None:
    from sqlalchemy import case, func, select

    from ecrf.store.models import FormInstance

    fi = FormInstance
    with session.database.read() as db:
        list(db.execute(select(fi.subject_pk, fi.visit_code, func.count(),
                               func.sum(case((fi.status == "complete", 1), else_=0)))
                        .where(fi.deleted.is_(False)).group_by(fi.subject_pk, fi.visit_code)))


def run(scale: Scale = Scale.FULL) -> list[Result]:
    from ecrf.services import monitoring_view
    from ecrf.services.auth import login
    from ecrf.services.site_setup import create_site
    from ecrf.services.users import add_user
    from ecrf.study.loader import load_study

    n, repeat = scale.pick(full=(2000, 9), quick=(2000, 3), smoke=(20, 1))
    study = load_study(FORMS_DIR)
    with kdf_profile("fast"), tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        db_path = Path(tmp) / "site.db"
        new = create_site(db_path, study, "BE01", "Bench site", "admin", "Bench Admin", "bench-password-1")
        try:
            add_user(new.session, "monitor", "Bench Monitor", "monitor", password="monitor-password-1")
            with new.session.database.write() as db:
                _fill(db, study, n)
        finally:
            new.session.close()
        session = login(db_path, study, "monitor", "monitor-password-1")
        try:
            cells = len(monitoring_view.matrix_states(session))
            ours = warm_median_ms(lambda: monitoring_view.matrix_states(session), repeat)
            floor = warm_median_ms(lambda: _floor(session), repeat)
        finally:
            session.close()
    return [Result(f"SDV matrix, {n} subjects ({cells} subject × visit cells): matrix_states", ours, "ms", floor,
                   f"≤ {GOAL_MS:g} ms", ours <= GOAL_MS)]
