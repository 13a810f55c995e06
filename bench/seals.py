"""Tamper evidence: what a seal costs a save, and how long the whole trail check of a 10,000-event site takes.

1. Saving the 30-item form of `bench.save_form` on one SQLCipher site by two sessions of the same investigator,
   interleaved: one seals every transaction (an Ed25519 signature over the head, one more row), the other does
   not (no personal key: the floor). Goal: sealed p95 at most 1.1× the unsealed p95.
2. `Database.check_trail()` on a site whose trail holds 10,000 events (quick: 3,000; smoke: 600) made by real
   sealed saves: chain, seals, keys, roles, and the replay of every value against what is stored, in one
   snapshot. Floor: reading every audit row with the same driver, nothing else. Goal: ≤ 0.5 s for 10,000 events.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.result import Result
from bench.save_form import ADMIN, INVESTIGATOR, PASSWORD, encrypted_site, enrolled_subject, percentile, write_study
from bench.scale import Scale
from ecrf.services.forms import save_form
from ecrf.services.session import Actor, SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.store.clock import Clock
from ecrf.store.database import Database
from ecrf.study.loader import load_study
from ecrf.study.model import Study

RATIO_GOAL, CHECK_GOAL_S, EVENTS_GOAL = 1.1, 0.5, 10_000


def _actor(database: Database, template: Actor, sealed: bool) -> Actor:
    assert database.slots is not None
    key = database.slots.open(f"user:{template.username}", PASSWORD).signing_key if sealed else None
    return Actor(template.username, template.full_name, template.role, signing_key=key)


def _actors(database: Database) -> tuple[Actor, Actor]:
    return _actor(database, ADMIN, True), _actor(database, INVESTIGATOR, True)


def _session(database: Database, study: Study, clock: Clock, sealed: bool) -> SiteSession:
    return SiteSession(database, study, _actor(database, INVESTIGATOR, sealed), clock)


def _save_times(database: Database, study: Study, clock: Clock, values: tuple[dict[str, str], dict[str, str]],
                saves: int) -> tuple[list[float], list[float]]:
    refs = []
    for sealed in (True, False):
        _, ref = enrolled_subject(database, study, clock, _actors(database))
        refs.append((_session(database, study, clock, sealed), ref))
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(saves + 2):
        for (session, ref), samples in zip(refs, times, strict=True):
            start = time.perf_counter_ns()
            save_form(session, ref, values[i % 2])
            if i >= 2:
                samples.append((time.perf_counter_ns() - start) / 1e6)
    return times


def _grow_trail(database: Database, study: Study, clock: Clock, values: tuple[dict[str, str], dict[str, str]],
                events: int) -> int:
    _, ref = enrolled_subject(database, study, clock, _actors(database))
    session = _session(database, study, clock, sealed=True)
    ref = FormRef(ref.subject, ref.visit, ref.form)
    i = 0
    while _head(database) < events:
        save_form(session, ref, values[i % 2])
        i += 1
    return _head(database)


def _head(database: Database) -> int:
    with database.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT audit_head_seq FROM site").scalar() or 0)


def _read_rows(database: Database) -> float:
    start = time.perf_counter()
    with database.engine.connect() as conn:
        conn.exec_driver_sql("SELECT * FROM audit_events ORDER BY seq").fetchall()
    return time.perf_counter() - start


def run(scale: Scale = Scale.FULL) -> list[Result]:
    saves = scale.pick(full=200, quick=20, smoke=3)
    events = scale.pick(full=EVENTS_GOAL, quick=3_000, smoke=600)
    clock = Clock()
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-seals-") as tmp:
        root = Path(tmp)
        first, second = write_study(root / "forms")
        study = load_study(root / "forms")
        database = encrypted_site(root / "site" / "site.db", study, clock)
        checked = encrypted_site(root / "checked" / "site.db", study, clock)  # every transaction sealed
        try:
            sealed, unsealed = _save_times(database, study, clock, (first, second), saves)
            database.close()
            database = checked
            made = _grow_trail(database, study, clock, (first, second), events)
            checks, floors = [], []
            for _ in range(scale.pick(full=5, quick=2, smoke=1)):
                floors.append(_read_rows(database))
                start = time.perf_counter()
                report = database.check_trail()
                checks.append(time.perf_counter() - start)
                if not report.ok:
                    raise AssertionError(f"the benchmark's own trail does not check: {report.problem}")
        finally:
            database.close()
            checked.close()
    s95, u95 = percentile(sealed, 95), percentile(unsealed, 95)
    check, floor = min(checks), min(floors)
    goal = CHECK_GOAL_S * made / EVENTS_GOAL
    return [
        Result(f"save 30 items, sealed, p95 vs unsealed ({saves} saves each)", s95, "ms", u95,
               f"ratio ≤ {RATIO_GOAL:g}×", s95 <= RATIO_GOAL * u95),
        Result(f"check the whole trail of {made:,} events (vs reading them)", check * 1000, "ms", floor * 1000,
               f"≤ {goal * 1000:.0f} ms", check <= goal),
    ]
