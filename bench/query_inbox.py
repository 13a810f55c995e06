"""The query inbox with 10,000 queries: `queries.query_inbox` on an encrypted site.

Workload. A site made the normal way (SQLCipher, fast KDF profile), one enrolled subject, and 10,000 queries
written straight into the tables (not timed): on items, forms and visits, a quarter of them automatic, in every
state, each with a thread of two or three messages. Timed: the inbox unfiltered (every query, with its age and
last message: one statement joining queries, subjects and the threads' last messages), and filtered to the open
ones of one form.

Floor, measured in the same run on the same database: reading the 10,000 query rows alone (`SELECT` of the
queries table's columns, no join, no records built) — what any inbox of that size costs. Goal: ≤ 200 ms.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import select

from bench.result import Result
from bench.save_form import encrypted_site, enrolled_subject
from bench.scale import Scale
from bench.timing import FORMS_DIR, warm_median_ms
from ecrf.services import queries
from ecrf.services.session import SiteSession
from ecrf.store.clock import Clock
from ecrf.store.models import QueryMessage, QueryRow, Subject
from ecrf.study.loader import load_study
from ecrf.study.status import QueryOrigin, QueryState, ResponseCode, Scope

GOAL_MS = 200.0
PLACES = [("D0", "VS", "TEMP"), ("D3", "VS", "PULSE"), ("D6", "LB", "LYMPH"), ("D14", "CS", "WHOSCALE"),
          ("SCR", "DM", "RFICDAT"), ("D28", "VS", "OXYSAT")]
STATES = [QueryState.OPEN, QueryState.ANSWERED, QueryState.CLOSED, QueryState.CANCELLED]


def fill(session: SiteSession, n: int) -> None:
    """`n` queries with their threads, written directly (setup only: the services write one at a time)."""
    now = session.clock.stamp()[0]
    with session.database.write() as db:
        subject_pk = db.scalars(select(Subject.id)).first()
        assert subject_pk is not None
        for i in range(n):
            visit, form, item = PLACES[i % len(PLACES)]
            scope = (Scope.ITEM, Scope.ITEM, Scope.FORM, Scope.VISIT)[i % 4]
            auto = i % 4 == 3
            state = STATES[i % len(STATES)]
            query = QueryRow(subject_pk=subject_pk, scope=scope, visit_code=visit,
                             form_code="" if scope == Scope.VISIT else form, timepoint="", repeat=0,
                             item_code=item if scope == Scope.ITEM else "",
                             origin=QueryOrigin.AUTO if auto else QueryOrigin.MANUAL,
                             check_key=f"{item}:soft_range" if auto else "", state=state,
                             raised_by="ecrf" if auto else "monitor", raised_role="system" if auto else "monitor",
                             raised_at=now, updated_at=now)
            db.add(query)
            db.flush()
            thread = [("raised", None, f"Please check {item} (query {i}).")]
            if state != QueryState.OPEN:
                thread.append(("answered", ResponseCode.CONFIRMED_CORRECT, "Checked against the source."))
            if state in (QueryState.CLOSED, QueryState.CANCELLED):
                thread.append((state.value, None, "Thanks."))
            for kind, response, text in thread:
                db.add(QueryMessage(query_pk=query.id, kind=kind, author="monitor", role="monitor", at_utc=now,
                                    text=text, response_code=response))


def run(scale: Scale = Scale.FULL) -> list[Result]:
    n = scale.pick(full=10_000, quick=10_000, smoke=200)
    repeat = scale.pick(full=15, quick=5, smoke=1)
    clock = Clock()
    study = load_study(FORMS_DIR)
    with tempfile.TemporaryDirectory(prefix="ecrf-bench-") as tmp:
        database = encrypted_site(Path(tmp) / "site.db", study, clock)
        try:
            session, _ = enrolled_subject(database, study, clock)
            fill(session, n)
            if len(queries.query_inbox(session)) != n:
                raise AssertionError("the inbox does not list every query")

            def rows_only() -> object:
                with database.read() as db:
                    return db.execute(select(*QueryRow.__table__.columns)).all()

            floor = warm_median_ms(rows_only, repeat)
            everything = warm_median_ms(lambda: queries.query_inbox(session), repeat)
            filtered = warm_median_ms(lambda: queries.query_inbox(session, state=QueryState.OPEN, form="VS"), repeat)
        finally:
            database.close()
    return [
        Result(f"query inbox, {n:,} queries", everything, "ms", floor, f"≤ {GOAL_MS:g} ms", everything <= GOAL_MS),
        Result("  … open queries of one form", filtered, "ms", floor, f"≤ {GOAL_MS:g} ms", filtered <= GOAL_MS),
    ]
