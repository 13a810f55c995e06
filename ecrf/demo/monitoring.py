"""The demo site's monitoring, as it would stand mid-trial: the monitor has verified the early visits of the
first subjects and raised queries; the site answered (one with a correction, so a verified value is now
"changed since verified"); the monitor closed some; the investigator signed the casebooks that are ready,
locked one subject whose queries are closed and whose data are verified, and a later correction broke one
signature. Automatic queries come by themselves from the warnings the demo confirmed and from overdue data.

Every step goes through the services, as the people would do it, for any study: what cannot be done for a
study (no SDV in its plan, no casebook complete) is skipped and logged, never forced."""
from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from ecrf.services import esign, esign_views, locks, monitoring_view, queries, sdv
from ecrf.services.auto_queries import raise_overdue
from ecrf.services.editing import open_form
from ecrf.services.errors import NeedsConfirmation, ServiceError
from ecrf.services.forms import save_form
from ecrf.services.monitoring_view import FormKey
from ecrf.services.query_steps import QueryPlace
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study.model import Item, ItemType, Study
from ecrf.study.status import QueryOrigin, QueryState, ResponseCode, Scope, SdvState

log = logging.getLogger(__name__)

VERIFIED_SHARE = 0.6  # the first subjects (by enrolment) whose early visits the monitor has verified
VERIFIED_VISITS = 3  # how many of each subject's visits, from screening on
CASEBOOKS_SIGNED = 5


class Sessions(Protocol):
    def session(self, username: str) -> AbstractContextManager[SiteSession]: ...


@dataclass
class _Story:
    """What the steps found, for the steps after them."""

    verified: list[FormRef] = field(default_factory=list)  # completed forms the monitor verified
    to_correct: int | None = None  # the query the site answers with a correction
    to_confirm: int | None = None  # the query the site answers "confirmed correct" (left for the monitor)
    corrected: FormRef | None = None
    to_lock: str | None = None  # a complete casebook, verified whole and without queries: signed, then locked


def add_monitoring(site: Sessions, study: Study, labels: Sequence[str], passwords: dict[str, str],
                   today: date) -> None:
    """Monitoring on the demo site made of `labels` (allocated subjects first come first)."""
    story = _Story()
    with site.session("monitor") as monitor:
        raise_overdue(monitor, today)
        story.to_lock = _verify_one_whole(monitor, study, labels)
        _verify_early_visits(monitor, study, [label for label in labels if label != story.to_lock], story)
        _raise_queries(monitor, study, story)
    with site.session("nurse") as nurse:
        _answer_queries(nurse, study, story, today)
    with site.session("monitor") as monitor:
        _close_answered(monitor, story)
    with site.session("investigator") as investigator:
        signed = _sign_casebooks(investigator, passwords["investigator"], story.to_lock)
        _lock(investigator, story.to_lock if story.to_lock in signed else None)
        _break_one(investigator, study, [label for label in signed if label != story.to_lock], today)


# -- the monitor's visit ---------------------------------------------------------------------------------

def _verify_early_visits(monitor: SiteSession, study: Study, labels: Sequence[str], story: _Story) -> None:
    chosen = labels[:max(1, round(len(labels) * VERIFIED_SHARE))] if labels else []
    visits = [v.code for v in study.visits][:VERIFIED_VISITS]
    # One transaction for all; a visit with nothing complete to verify yet is left as it is.
    sdv.verify_visits(monitor, [(label, visit) for label in chosen for visit in visits])
    for label in chosen:
        states = monitoring_view.form_states(monitor, label)
        story.verified += [FormRef(label, *key) for key, state in states.forms.items()
                           if key[0] in visits and state.sdv.state is SdvState.VERIFIED]


def _verify_one_whole(monitor: SiteSession, study: Study, labels: Sequence[str]) -> str | None:
    """The first complete casebook without queries, verified at every visit and in its logs."""
    for label in labels:
        states = monitoring_view.form_states(monitor, label)
        if not states.subject.complete or states.subject.queries:
            continue
        to_verify = [key for key, state in states.forms.items()
                     if state.sdv.state in (SdvState.NOT_VERIFIED, SdvState.CHANGED)]
        if all(states.forms[key].complete for key in to_verify):
            _verify_by_visit(monitor, label, to_verify)
        else:  # one is refused: verify in order up to it, as the monitor would, and move on
            for key in to_verify:
                try:
                    sdv.verify_form(monitor, FormRef(label, *key))
                except ServiceError:
                    break
        if monitoring_view.form_states(monitor, label).subject.sdv.state is SdvState.VERIFIED:
            return label
    log.info("Demo: no complete casebook without queries could be verified whole, so none is locked.")
    return None


def _verify_by_visit(monitor: SiteSession, label: str, keys: Sequence[FormKey]) -> None:
    """Complete forms verified a visit at a time (all visits in one transaction), log entries one by one."""
    visits = list(dict.fromkeys(visit for visit, *_ in keys if visit))
    refused = [r for r in sdv.verify_visits(monitor, [(label, visit) for visit in visits])
               if isinstance(r, ServiceError)]
    if refused:
        raise refused[0]
    for key in keys:
        if not key[0]:
            sdv.verify_form(monitor, FormRef(label, *key))


def _raise_queries(monitor: SiteSession, study: Study, story: _Story) -> None:
    """Two item queries on verified numbers (one to be corrected, one confirmed) and one on a whole form."""
    targets = [(ref, item) for ref in story.verified for item in _numbers(study, ref)]
    if len(targets) < 2:
        log.info("Demo: no verified number to raise a query on; the demo has automatic queries only.")
        return
    (first, first_item), (second, second_item) = targets[0], targets[len(targets) // 2]
    story.to_correct = queries.raise_query(monitor, QueryPlace.on_item(first, first_item.code),
                                           f"{first_item.label.en}: the source document shows another value. "
                                           "Please check.")
    story.to_confirm = queries.raise_query(monitor, QueryPlace.on_item(second, second_item.code),
                                           f"{second_item.label.en}: unusual for this subject; please confirm "
                                           "against the source.")
    last = story.verified[-1]
    queries.raise_query(monitor, QueryPlace.on_form(last), "Please file the signed source worksheet for this form "
                                                            "in the subject's binder.")


def _numbers(study: Study, ref: FormRef) -> Iterator[Item]:
    form = study.form(ref.form)
    rule = study.monitoring.sdv.rule(ref.visit, ref.form)
    required = set(rule.covers(form))
    return (item for item in form.items if item.code in required and not item.is_calculated
            and item.value_type in (ItemType.INTEGER, ItemType.DECIMAL))


# -- the site answers, the monitor closes --------------------------------------------------------------

def _answer_queries(nurse: SiteSession, study: Study, story: _Story, today: date) -> None:
    if story.to_correct is not None:
        thread = queries.query_thread(nurse, story.to_correct)
        ref, item = thread.query.place.form_ref, thread.query.place.item
        assert ref is not None
        new = _nudged(nurse, study, ref, item)
        try:
            queries.answer_query(nurse, story.to_correct, "Transcription error; corrected from the source.",
                                 ResponseCode.TYPING_ERROR, values={item: new} if new is not None else None,
                                 reason="Transcription error, corrected against the source document")
            story.corrected = ref
        except ServiceError as exc:
            log.info("Demo: the correction could not be saved (%s); answered without it.", exc.message)
            queries.answer_query(nurse, story.to_correct, "Checked: the value is as in the source.",
                                 ResponseCode.CONFIRMED_CORRECT)
    if story.to_confirm is not None:
        queries.answer_query(nurse, story.to_confirm, "Checked against the source: the value is correct.",
                             ResponseCode.CONFIRMED_CORRECT)
    automatic = [q for q in queries.query_inbox(nurse, QueryState.OPEN) if q.origin is QueryOrigin.AUTO]
    for query in automatic[:2]:  # the warnings confirmed at entry: the site confirms them again
        queries.answer_query(nurse, query.id, "Confirmed against the source; the value is correct.",
                             ResponseCode.CONFIRMED_CORRECT)


def _nudged(session: SiteSession, study: Study, ref: FormRef, item: str) -> Any:
    """The stored number moved by one step of its precision: a plausible transcription error's correction."""
    value = open_form(session, ref).values.get(item)
    spec = study.form(ref.form).item(item)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    step = Decimal(1).scaleb(-(spec.precision or 0)) if isinstance(value, Decimal) else 1
    return value - step if spec.hard is not None and not spec.hard.contains(value + step) else value + step


def _close_answered(monitor: SiteSession, story: _Story) -> None:
    """The monitor accepts the correction and one automatic query's answer; the other answers wait."""
    if story.to_correct is not None:
        queries.close_query(monitor, story.to_correct, "Correction checked against the source. Thank you.")
    answered = [q for q in queries.query_inbox(monitor, QueryState.ANSWERED) if q.origin is QueryOrigin.AUTO]
    for query in answered[:1]:
        queries.close_query(monitor, query.id, "Accepted.")


# -- the investigator ------------------------------------------------------------------------------------

def _sign_casebooks(investigator: SiteSession, password: str, first: str | None) -> list[str]:
    """Sign the casebooks that are ready (warnings about open queries acknowledged, as the plan allows)."""
    esign.certify(investigator, password)
    ready = [r.subject for r in esign_views.ready_for_signature(investigator) if r.scope is Scope.SUBJECT]
    ordered = ([first] if first in ready else []) + [label for label in ready if label != first]
    signed: list[str] = []
    for label in ordered:
        if len(signed) == CASEBOOKS_SIGNED:
            break
        try:
            esign.sign(investigator, label, Scope.SUBJECT, password=password,
                       username=investigator.actor.username, acknowledge_warnings=True)
            signed.append(label)
        except ServiceError as exc:
            log.info("Demo: casebook %s not signed: %s", label, exc.message)
    if not signed:
        log.info("Demo: no casebook was ready for signature.")
    return signed


def _lock(investigator: SiteSession, label: str | None) -> None:
    """Lock the casebook verified whole and signed, as the plan has it after the end-of-study signature."""
    if label is None:
        return
    try:
        locks.lock(investigator, label, Scope.SUBJECT)
    except ServiceError as exc:
        log.info("Demo: casebook %s not locked: %s", label, exc.message)


def _break_one(investigator: SiteSession, study: Study, signed: list[str], today: date) -> None:
    """A late correction in a signed casebook: its signature breaks, visibly, until it is signed again."""
    unlocked = [label for label in signed if not monitoring_view.form_states(investigator, label).subject.locked]
    for label in reversed(unlocked):
        for key, state in monitoring_view.form_states(investigator, label).forms.items():
            ref = FormRef(label, *key)
            if not state.complete or ref.form not in study.forms:
                continue
            for item in study.form(ref.form).items:
                new = _nudged(investigator, study, ref, item.code) if not item.is_calculated else None
                if new is None:
                    continue
                if _corrected(investigator, ref, item.code, new, today):
                    return
    log.info("Demo: no signed value could be corrected, so no signature is broken.")


def _corrected(session: SiteSession, ref: FormRef, item: str, value: Any, today: date) -> bool:
    """Save one correction, confirming the warnings it raises (as the person correcting it would)."""
    confirm: set[str] = set()
    for _ in range(3):
        try:
            save_form(session, ref, {item: value}, confirm=confirm, today=today,
                      reason="Late correction received from the hospital laboratory")
            return True
        except NeedsConfirmation as exc:
            confirm |= {f.key for f in exc.findings}
        except ServiceError:
            return False
    return False
