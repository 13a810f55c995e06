"""Make the committed site database of the first schema, `tests/data/schema-0001/` (used by
tests/test_store_migration.py to check that an old database opens, migrates and keeps its data).

Run it once, with the code of schema revision 0001, and commit the files it writes:

    .venv/bin/python tests/make_schema_fixture.py [--force]

It writes `site.db` and `site.keys` (a site made through the services: users, subjects, values, an
allocation, an adverse event, a screen failure, a deactivated user) and `expected.json` (what the test
must find in them). The key slots use the *weak* fast KDF profile; the admin password is below.
Never regenerate it with a later schema: make a new folder `schema-<revision>` instead.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from ecrf.services import auth, forms, subjects, users
from ecrf.services.site_setup import create_site
from ecrf.services.subject_data import FormRef
from ecrf.store import migrate
from ecrf.store.clock import Clock
from ecrf.store.database import open_database
from ecrf.store.models import (
    AllocationSlot,
    AuditEvent,
    FormInstance,
    ItemValue,
    Site,
    Subject,
    SubjectStatus,
    User,
    VisitRow,
)
from ecrf.study.loader import load_study
from ecrf.study.model import Study

REPO = Path(__file__).resolve().parent.parent
FOLDER = REPO / "tests" / "data" / "schema-0001"
REVISION = "0001"
ADMIN_PASSWORD = "fixture-password-1"
PASSWORDS = {"admin": ADMIN_PASSWORD, "nurse": "fixture-nurse-1", "investigator": "fixture-investigator-1",
             "monitor": "fixture-monitor-1"}
CHINA = timezone(timedelta(hours=8))
ALLOCATION_LIST = "rand_no,arm\n" + "".join(f"R{n:03d},{'MSC' if n % 2 else 'CTRL'}\n" for n in range(1, 21))


class Ticking:
    """A clock source one second further on at every reading, so the audit trail has fixed, ordered times."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def build(db_path: Path, study: Study) -> None:
    clock = Clock(source=Ticking(datetime(2020, 2, 3, 9, 0, tzinfo=CHINA)), workstation="FIXTURE-PC")
    new = create_site(db_path, study, "CN01", "Fixture Hospital", "admin", "Ada Admin", ADMIN_PASSWORD, clock)
    admin = new.session
    try:
        for name, role in (("nurse", "nurse"), ("investigator", "investigator"), ("monitor", "monitor")):
            users.add_user(admin, name, f"{name.title()} Fixture", role, password=PASSWORDS[name])
        subjects.import_allocation_list(admin, ALLOCATION_LIST)
        users.deactivate_user(admin, "monitor", "left the monitoring team")
    finally:
        admin.close()

    nurse = auth.login(db_path, study, "nurse", PASSWORDS["nurse"], clock)
    try:
        first, second, third = (subjects.screen_subject(nurse) for _ in range(3))
        dm = {"RFICDAT": "2020-02-03", "ICVER": "V1.0 2020-01-20", "BRTHDAT": "1968-07-14", "SEX": "F",
              "PREGST": "NCBP", "HEIGHT": "158.5", "WEIGHT": "61.2"}
        forms.save_form(nurse, FormRef(first, "SCR", "DM"), dm, complete=True)
        criteria = {f"IEIN0{i}": "Y" for i in (1, 2, 3)} | {f"IEEX0{i}": "N" for i in range(1, 6)}
        forms.save_form(nurse, FormRef(first, "SCR", "IE"), criteria, complete=True)
        forms.save_form(nurse, FormRef(first, "SCR", "CT"), {"IMPRESS": "Ground glass opacities, both lower lobes."})
        forms.save_form(nurse, FormRef(second, "SCR", "DM"), {"RFICDAT": "2020-02-03", "ICVER": "V1.0 2020-01-20"})
        forms.save_form(nurse, FormRef(third, "SCR", "IE"), criteria | {"IEIN02": "N"}, complete=True)
        subjects.end_participation(nurse, third, SubjectStatus.SCREEN_FAILURE, date(2020, 2, 3),
                                   "RT-PCR negative")
    finally:
        nurse.close()

    investigator = auth.login(db_path, study, "investigator", PASSWORDS["investigator"], clock)
    try:
        subject_id = subjects.allocate(investigator, first).subject_id
        forms.save_form(investigator, FormRef(subject_id, "", "AE", repeat=1),
                        {"AETERM": "Infusion-related fever", "AESTDAT": "2020-02-03", "AEONGO": "Y",
                         "AETOXGR": "1", "AESER": "N"})
        forms.save_form(investigator, FormRef(subject_id, "", "AE", repeat=1), {"AETOXGR": "2"},
                        reason="grade corrected after review of the source")
    finally:
        investigator.close()


def expected(db_path: Path) -> dict[str, object]:
    """What the test must read back from the fixture: plain values, independent of the ORM of later code."""
    database = open_database(db_path, "user:admin", ADMIN_PASSWORD)
    try:
        report = database.check_trail()
        assert report.ok, report.problem
        assert migrate.current_revision(database.engine) == REVISION
        with database.read() as db:
            site = db.get(Site, 1)
            assert site is not None
            return {
                "note": "made by tests/make_schema_fixture.py with schema revision 0001; do not edit",
                "revision": REVISION,
                "passwords": PASSWORDS,
                "site": {"db_id": site.db_id, "study_oid": site.study_oid, "site_code": site.site_code,
                         "audit_head_seq": site.audit_head_seq, "audit_head_hash": site.audit_head_hash},
                "users": {u.username: [u.role, u.active] for u in db.scalars(select(User).order_by(User.id))},
                "subjects": [[s.screening_no, s.subject_id, s.status, s.arm, s.rand_no, s.day0] for s in
                             db.scalars(select(Subject).order_by(Subject.id))],
                "forms": [[f.subject_pk, f.visit_code, f.form_code, f.timepoint, f.repeat, f.status] for f in
                          db.scalars(select(FormInstance).order_by(FormInstance.id))],
                "values": [[v.form_pk, v.item_code, v.value, v.missing] for v in
                           db.scalars(select(ItemValue).order_by(ItemValue.id))],
                "visits": len(db.scalars(select(VisitRow)).all()),
                "allocation_used": [a.rand_no for a in db.scalars(
                    select(AllocationSlot).where(AllocationSlot.subject_pk.is_not(None)).order_by(AllocationSlot.seq))],
                "events": [[e.seq, e.action, e.username, e.hash] for e in
                           db.scalars(select(AuditEvent).order_by(AuditEvent.seq))],
            }
    finally:
        database.close()


def _readable_json(facts: dict[str, object]) -> str:
    """One key per line, and one row per line in the lists, so a diff of the file can be read."""
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = []
    for key, value in facts.items():
        if isinstance(value, list) and value:
            rows = ",\n  ".join(dump(row) for row in value)
            lines.append(f" {dump(key)}: [\n  {rows}\n ]")
        else:
            lines.append(f" {dump(key)}: {dump(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="replace an existing fixture")
    parser.add_argument("--out", type=Path, default=FOLDER, help="folder to write (default: %(default)s)")
    args = parser.parse_args(argv)
    os.environ["ECRF_KDF_PROFILE"] = "fast"  # read when each key slot is made: unlocking must stay fast in tests
    head = migrate.head_revision()
    if head != REVISION:
        print(f"The code is at schema revision {head}, not {REVISION}: this fixture must keep the first schema. "
              "Make a new fixture folder for the new revision instead.", file=sys.stderr)
        return 2
    if args.out.exists() and any(args.out.iterdir()):
        if not args.force:
            print(f"{args.out} exists; use --force to replace it.", file=sys.stderr)
            return 2
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True, exist_ok=True)
    db_path = args.out / "site.db"
    build(db_path, load_study(REPO / "forms"))
    facts = expected(db_path)
    for leftover in ("site.lock", "site.logins", "site.db-wal", "site.db-shm"):
        (args.out / leftover).unlink(missing_ok=True)
    (args.out / "expected.json").write_text(_readable_json(facts), "utf-8")
    print(f"Wrote {', '.join(sorted(p.name for p in args.out.iterdir()))} in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
