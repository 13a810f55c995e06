"""The sponsor's queries on merged data: raised by a data manager on one subject of one site installation,
closed by the sponsor once the site has answered, and their state as the sites' merged bundles tell it.

The merged `queries` table is replaced at every merge of a site's bundle; a sponsor query finds its copy there
by the central id the site keeps in `check_key` ("sponsor:SQ-0001"), so the status below is always what the
newest merged bundle of that installation says, and "new" until a merged bundle holds it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, and_, func, insert, literal, select, update

from ecrf.merge.central import schema
from ecrf.merge.central.sponsor_schema import sponsor_queries, sponsor_query_steps
from ecrf.merge.errors import QueryBundleError
from ecrf.study.model import Study
from ecrf.study.parsing import has_broken_character
from ecrf.study.query_places import place_problem
from ecrf.study.status import SPONSOR_CHECK_PREFIX, QueryState, Scope

HANDLE = re.compile(r"^[a-z][a-z0-9_.-]{1,31}$")  # a data manager's handle: like a site username
SPONSOR_OPEN, SPONSOR_CLOSED = "open", "closed"
NEW, CLOSING = "new", "closing"  # not yet in a merged bundle; closed by the sponsor, not yet at the site
STATUSES = (NEW, QueryState.OPEN.value, QueryState.ANSWERED.value, CLOSING, QueryState.CLOSED.value)


@dataclass(frozen=True)
class SponsorPlace:
    """Where the sponsor asks: a visit, a form instance (a log entry: visit '' and a repeat) or an item."""

    subject: str
    visit: str = ""
    form: str = ""
    timepoint: str = ""
    repeat: int = 0
    item: str = ""

    @property
    def scope(self) -> Scope:
        return Scope.ITEM if self.item else Scope.FORM if self.form else Scope.VISIT

    def __str__(self) -> str:
        parts = [self.subject, self.visit or "log", self.form, self.timepoint, f"#{self.repeat}" if self.repeat else "",
                 self.item]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class SponsorQueryStatus:
    query_id: str
    site_code: str
    installation_id: str
    place: SponsorPlace
    raised_by: str
    raised_at: str
    text: str  # the sponsor's question
    sponsor_state: str  # open or closed, as the sponsor decided
    site_query: str | None  # the site's number (Q-0007) once a merged bundle holds it
    site_state: str | None
    answer: str | None  # the site's last answer: its text, author and response code
    answered_by: str | None
    response_code: str | None

    @property
    def status(self) -> str:
        if self.sponsor_state == SPONSOR_CLOSED:
            return QueryState.CLOSED.value if self.site_state == QueryState.CLOSED else CLOSING
        return self.site_state or NEW


def raise_sponsor_query(conn: Connection, study: Study, site_code: str, place: SponsorPlace, text: str, by: str,
                        now: str) -> str:
    """Record a new query on merged data; its central id (SQ-0001)."""
    _check_by(by)
    text = _checked_text(text)
    installation = _installation_holding(conn, study, site_code, place.subject)
    why = place_problem(study, place.scope, place.visit, place.form, place.repeat, place.item)
    if why:
        raise QueryBundleError("sponsor-query-place-unknown", place=str(place), why=why)
    number = (conn.execute(select(func.max(sponsor_queries.c.number))).scalar() or 0) + 1
    query_id = f"SQ-{number:04d}"
    conn.execute(insert(sponsor_queries).values(
        query_id=query_id, number=number, installation_id=installation, site_code=site_code,
        subject=place.subject, scope=place.scope.value, visit=place.visit, form=place.form,
        timepoint=place.timepoint, repeat=place.repeat, item=place.item, state=SPONSOR_OPEN, raised_by=by,
        raised_at=now))
    _add_step(conn, query_id, "raised", by, now, text)
    return query_id


def close_sponsor_query(conn: Connection, query_id: str, text: str, by: str, now: str) -> None:
    """The sponsor accepts the site's answer: allowed once a merged bundle shows the query answered."""
    _check_by(by)
    text = _checked_text(text)
    found = sponsor_query_status(conn, query_id=query_id)
    if not found:
        raise QueryBundleError("sponsor-query-not-found", query_id=query_id)
    status = found[0]
    if status.sponsor_state == SPONSOR_CLOSED:
        raise QueryBundleError("sponsor-query-closed", query_id=query_id)
    if status.site_state != QueryState.ANSWERED:
        raise QueryBundleError("sponsor-query-not-answered", query_id=query_id, site=status.site_code,
                               state=status.status)
    conn.execute(update(sponsor_queries).where(sponsor_queries.c.query_id == query_id)
                 .values(state=SPONSOR_CLOSED))
    _add_step(conn, query_id, "closed", by, now, text)


def sponsor_query_status(conn: Connection, *, site_code: str | None = None, status: str | None = None,
                         query_id: str | None = None) -> list[SponsorQueryStatus]:
    """Every sponsor query (of one site, one status, or one id) with the site's state and last answer from the
    merged data, oldest first."""
    sq, q, steps = sponsor_queries.c, schema.DATA_TABLES["queries"].c, sponsor_query_steps.c
    first_text = (select(steps.text).where(steps.query_id == sq.query_id, steps.kind == "raised")
                  .correlate(sponsor_queries).scalar_subquery())
    stmt = (select(sponsor_queries, q.query_id.label("site_query"), q.state.label("site_state"),
                   first_text.label("text"))
            .outerjoin(schema.DATA_TABLES["queries"],
                       and_(q.source == sq.installation_id, q.check_key == literal(SPONSOR_CHECK_PREFIX) + sq.query_id))
            .order_by(sq.number))
    if site_code:
        stmt = stmt.where(sq.site_code == site_code)
    if query_id:
        stmt = stmt.where(sq.query_id == query_id)
    rows = conn.execute(stmt).all()
    answers = _last_answers(conn, [(r.installation_id, r.site_query) for r in rows if r.site_query])
    found = [_status(row, answers.get((row.installation_id, row.site_query))) for row in rows]
    return [s for s in found if status is None or s.status == status]


def _status(r: Row[Any], answer: tuple[str, str, str | None] | None) -> SponsorQueryStatus:
    place = SponsorPlace(r.subject, r.visit, r.form, r.timepoint, r.repeat, r.item)
    text, author, code = answer or (None, None, None)
    return SponsorQueryStatus(r.query_id, r.site_code, r.installation_id, place, r.raised_by, r.raised_at, r.text,
                              r.state, r.site_query, r.site_state, text, author, code)


def _last_answers(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str, str | None]]:
    """(source, site query id) -> the thread's last answer (text, author, response code)."""
    if not keys:
        return {}
    m = schema.DATA_TABLES["query_messages"].c
    sources = sorted({source for source, _ in keys})
    wanted = set(keys)
    answers: dict[tuple[str, str], tuple[str, str, str | None]] = {}
    for source, query_id, text, author, code in conn.execute(
            select(m.source, m.query_id, m.text, m.author, m.response_code)
            .where(m.source.in_(sources), m.kind == "answered").order_by(m.source, m.row_no)):
        if (source, query_id) in wanted:
            answers[(source, query_id)] = (text, author, code or None)
    return answers


def _installation_holding(conn: Connection, study: Study, site_code: str, subject: str) -> str:
    """The merged installation of `site_code` whose data hold the subject (by subject id or screening number)."""
    sources = conn.execute(select(schema.sources.c.installation_id, schema.sources.c.study_oid)
                           .where(schema.sources.c.site_code == site_code)).all()
    if not sources:
        raise QueryBundleError("sponsor-site-unknown", site=site_code)
    if any(oid != study.info.oid for _, oid in sources):
        raise QueryBundleError("sponsor-study-differs", site=site_code, loaded=study.info.oid,
                               merged=sources[0][1])
    s = schema.DATA_TABLES["subjects"].c
    holding = conn.execute(select(s.source).distinct().where(
        s.source.in_([i for i, _ in sources]),
        (s.subject == subject) | (s.subject_id == subject) | (s.screening_no == subject))).scalars().all()
    if not holding:
        raise QueryBundleError("sponsor-subject-unknown", subject=subject, site=site_code)
    if len(holding) > 1:
        raise QueryBundleError("sponsor-subject-ambiguous", subject=subject, site=site_code,
                               installations=", ".join(sorted(holding)))
    return str(holding[0])


def _add_step(conn: Connection, query_id: str, kind: str, by: str, now: str, text: str) -> None:
    c = sponsor_query_steps.c
    last = conn.execute(select(func.max(c.step_no)).where(c.query_id == query_id)).scalar() or 0
    conn.execute(insert(sponsor_query_steps).values(query_id=query_id, step_no=last + 1, kind=kind, author=by,
                                                    at_utc=now, text=text))


def _check_by(by: str) -> None:
    if not HANDLE.match(by or ""):
        raise QueryBundleError("sponsor-handle-invalid", handle=by)


def _checked_text(text: str) -> str:
    if not (text or "").strip():
        raise QueryBundleError("sponsor-query-text-required")
    if has_broken_character(text):
        raise QueryBundleError("sponsor-query-text-broken")
    return text.strip()
