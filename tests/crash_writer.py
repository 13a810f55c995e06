"""The writer process of the crash test (tests/test_crash.py): `python tests/crash_writer.py DB_PATH SEED`.

Imports, then (unless stdin is a terminal) waits for the line GO on stdin, logs in as the nurse, prints
READY and writes through the services until it is killed. After each service call has returned (its
transaction committed) it prints one line and flushes:

    COMMITTED <kind> <subject> <visit>/<form>/<timepoint>/<repeat> <item>=<value>

(`-` as the form reference of a screening). Every call writes a form instance or subject of its own, so
no value is ever overwritten and each printed value must be found as it is in the database. The values
depend only on SEED and a counter; they never need a confirmation and always pass validation.
Nothing else is printed on stdout; errors go to stderr and end the process (the test sees the exit).
"""
from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

REPO = Path(__file__).resolve().parent.parent
NURSE_PASSWORD = "nurse-password-1"
CONSENT = date(2020, 2, 10)  # before any allocation day (today) and after the study start


def report(kind: str, subject: str, ref: str, item: str, value: str) -> None:
    sys.stdout.write(f"COMMITTED {kind} {subject} {ref} {item}={value}\n")
    sys.stdout.flush()


def enrolled_subject(session) -> str:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from ecrf.store.models import Subject
    from ecrf.study.status import SubjectStatus

    with session.read() as db:
        label = db.scalar(select(Subject.subject_id).where(Subject.status == SubjectStatus.ENROLLED)
                          .order_by(Subject.id).limit(1))
    if label is None:
        raise SystemExit("crash_writer: the site has no enrolled subject for the AE entries")
    return label


def write_forever(session, seed: int, enrolled: str) -> NoReturn:  # type: ignore[no-untyped-def]
    """Cycles of: screen a subject, save its DM, its screening VS, and add an AE to the enrolled subject."""
    from ecrf.services.forms import FormRef, save_form
    from ecrf.services.logs import add_log_entry
    from ecrf.services.subjects import screen_subject

    rng, counter = random.Random(seed), 0
    while True:
        counter += 1
        tag = f"{seed}.{counter}"
        subject = screen_subject(session)
        report("screen", subject, "-", "status", "screening")
        icver = f"V{tag}"
        height = f"{rng.randint(1500, 1950) / 10:.1f}"
        save_form(session, FormRef(subject, "SCR", "DM"), {"RFICDAT": CONSENT, "ICVER": icver, "HEIGHT": height})
        report("dm", subject, "SCR/DM//0", "ICVER", icver)
        temp = f"{rng.randint(355, 405) / 10:.1f}"
        save_form(session, FormRef(subject, "SCR", "VS"),
                  {"VSDAT": CONSENT, "VSTIM": f"{counter % 24:02d}:{rng.randint(0, 59):02d}", "TEMP": temp,
                   "PULSE": str(rng.randint(60, 110)), "SYSBP": "120", "DIABP": "80"})
        report("vs", subject, "SCR/VS//0", "TEMP", temp)
        term = f"crash-fever-{tag}"
        repeat, _ = add_log_entry(session, enrolled, "AE", {
            "AETERM": term, "AESTDAT": CONSENT.isoformat(), "AEONGO": "Y", "AETOXGR": str(rng.randint(1, 3)),
            "AESER": "N", "AEREL": "NA", "AEACN": "NA", "AECONTRT": "N", "AEOUT": "RECOVING"})
        report("ae", enrolled, f"/AE//{repeat}", "AETERM", term)


def main() -> None:
    db_path, seed = Path(sys.argv[1]), int(sys.argv[2])
    from ecrf.services.auth import login
    from ecrf.study.loader import load_study

    study = load_study(REPO / "forms")
    # The test starts the next writer while it checks the database (the imports take most of a second)
    # and sends GO once it has closed the site; any other line or the end of stdin means not needed.
    if not sys.stdin.isatty() and sys.stdin.readline() != "GO\n":
        return  # the test ended without needing this writer
    session = login(db_path, study, "nurse", NURSE_PASSWORD)
    enrolled = enrolled_subject(session)
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    write_forever(session, seed, enrolled)


if __name__ == "__main__":
    main()
