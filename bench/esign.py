"""Electronic signatures: an investigator signs a 30-form casebook in one ceremony (31 rows, 31 Ed25519
signatures over the covered data's hashes, 31 audit events, one sealed transaction).

The password check is part of every signature and costs what the site's key derivation costs (calibrated per
PC, about a second by design), so it is measured on its own in the same run (`auth.confirm_password`, the
floor) and the goal is on what signing adds to it: ≤ 1 s (issue #13). The casebook is the forms enrolment
saves (DM, IE ...) by the service, then as many complete log entries of 20 values each as make 30 forms,
written straight into the tables (set-up, not timed).
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.result import Result
from bench.save_form import ADMIN, INVESTIGATOR, PASSWORD, encrypted_site, enrolled_subject
from bench.scale import Scale
from bench.timing import FORMS_DIR
from ecrf.services import auth, esign, esign_views
from ecrf.services.permissions import Do
from ecrf.services.session import Actor, SiteSession
from ecrf.services.subject_data import find_subject
from ecrf.store.clock import Clock
from ecrf.store.database import Database
from ecrf.store.models import FormInstance, ItemValue
from ecrf.study.loader import load_study
from ecrf.study.status import FormStatus, Scope

FORMS, ITEMS, GOAL_S = 30, 20, 1.0


def _sealed(database: Database, template: Actor) -> Actor:
    assert database.slots is not None
    key = database.slots.open(f"user:{template.username}", PASSWORD).signing_key
    return Actor(template.username, template.full_name, template.role, signing_key=key)


def _casebook(session: SiteSession, label: str, entries: int) -> None:
    """`entries` complete log entries of ITEMS values each, written directly (the set-up is not measured)."""
    with session.write(Do.ENTER_DATA) as tx:
        subject = find_subject(tx.db, label)
        now, study = tx.now_text(), session.study
        for repeat in range(1, entries + 1):
            instance = FormInstance(subject_pk=subject.id, visit_code="", form_code="AE", timepoint="",
                                    repeat=repeat, status=FormStatus.COMPLETE,
                                    definition_version=study.info.version,
                                    definition_fingerprint=study.fingerprint, updated_at=now,
                                    updated_by=session.actor.username)
            instance.values = [ItemValue(item_code=f"X{n:02d}", value=f"value {repeat}.{n}", saved_at=now,
                                         saved_by=session.actor.username) for n in range(ITEMS)]
            tx.db.add(instance)


def _time_ms(action: object) -> float:
    assert callable(action)
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def run(scale: Scale = Scale.FULL) -> list[Result]:
    rounds = scale.pick(full=5, quick=2, smoke=1)
    clock = Clock()
    study = load_study(FORMS_DIR)
    signs, checks = [], []
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-esign-") as tmp:
        database = encrypted_site(Path(tmp) / "site" / "site.db", study, clock)
        try:
            actors = (_sealed(database, ADMIN), _sealed(database, INVESTIGATOR))
            session, ref = enrolled_subject(database, study, clock, actors)
            enrolled_with = len(esign.preview(session, ref.subject, Scope.SUBJECT).forms)  # DM, IE, RAND ...
            _casebook(session, ref.subject, FORMS - enrolled_with)
            esign.certify(session, PASSWORD)
            for _ in range(rounds):
                checks.append(_time_ms(lambda: auth.confirm_password(session, PASSWORD, "bench")))
                signs.append(_time_ms(lambda: esign.sign(session, ref.subject, Scope.SUBJECT,
                                                         username=INVESTIGATOR.username, password=PASSWORD)))
                session.esign_open = False  # every round the first signature of a session: both components
            signed = len(esign_views.signatures_of(session, ref.subject)) // rounds
        finally:
            database.close()
    sign_ms, check_ms = statistics.median(signs), statistics.median(checks)
    return [Result(f"sign a {FORMS}-form casebook ({signed} signatures) vs its password check alone", sign_ms, "ms",
                   check_ms, f"≤ password + {GOAL_S * 1000:.0f} ms", sign_ms - check_ms <= GOAL_S * 1000)]
