"""Source data verification: a monitor marks items as checked against the source documents, per item, a whole
form or a whole visit; a later change of a verified value makes it "changed since verified" so only that is
checked again. Stored per item (`SdvMark`); the states roll up item -> form -> visit -> subject -> site.

A mark row is never deleted (the schema refuses it): un-verifying sets its state back to not_verified, so a
reader treats a row in that state like no row at all."""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from ecrf.services.errors import InvalidInput, NotFound, ServiceError, WrongState
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession, Tx
from ecrf.services.site_state import refuse_if_site_locked
from ecrf.services.subject_data import FormRef, find_instance, find_subject, typed_values
from ecrf.store.audit import Change
from ecrf.store.models import FormInstance, FormStatus, ItemValue, SdvMark, Subject
from ecrf.study.model import Form, Study
from ecrf.study.monitoring import SdvRule
from ecrf.study.parsing import has_broken_character
from ecrf.study.status import SdvState

MARKED = frozenset({SdvState.VERIFIED, SdvState.CHANGED})  # what a stored mark can mean (else: no mark)


# -- which items must be verified ------------------------------------------------------------------------

def required_items(study: Study, visit: str, form: str, values: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The items the monitoring plan asks to verify on this form at this visit, given its typed `values`
    (None when they are not loaded: then a `when` condition counts as holding, like an unknown one)."""
    rule = study.monitoring.sdv.rule(visit, form)
    if not rule.required or form not in study.forms or not rule.holds(values):
        return ()
    return _covered(rule, study.form(form))


_COVERED: dict[tuple[int, int], tuple[SdvRule, Form, tuple[str, ...]]] = {}


def _covered(rule: SdvRule, form: Form) -> tuple[str, ...]:
    """`rule.covers(form)`, remembered (the matrix asks it for thousands of forms; rule and form never change;
    both are kept in the entry so their ids stay theirs)."""
    key = (id(rule), id(form))
    if key not in _COVERED:
        _COVERED[key] = (rule, form, rule.covers(form))
    return _COVERED[key][2]


def needs_values(study: Study, visit: str, form: str) -> bool:
    """Whether `required_items` depends on the form's values (its rule has a `when`): readers of many forms
    load values only for those."""
    rule = study.monitoring.sdv.rule(visit, form)
    return rule.required and rule.when is not None


# -- roll-ups --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SdvSummary:
    """Verification of a form, visit, subject or site: its state and "n of m verified" (m: required items)."""

    state: SdvState
    verified: int = 0
    required: int = 0
    changed: int = 0


NOT_REQUIRED = SdvSummary(SdvState.NOT_REQUIRED)


def item_summary(state: SdvState) -> SdvSummary:
    if state is SdvState.NOT_REQUIRED:
        return NOT_REQUIRED
    return SdvSummary(state, int(state is SdvState.VERIFIED), 1, int(state is SdvState.CHANGED))


def roll_up(parts: Iterable[SdvSummary]) -> SdvSummary:
    """Changed wins (the monitor must look again), then not verified; verified only when every required part
    is; nothing required when no part requires anything."""
    verified = required = changed = 0
    for part in parts:
        verified, required, changed = verified + part.verified, required + part.required, changed + part.changed
    if required == 0:
        return NOT_REQUIRED
    state = SdvState.CHANGED if changed else SdvState.VERIFIED if verified == required else SdvState.NOT_VERIFIED
    return SdvSummary(state, verified, required, changed)


def item_states(required: Sequence[str], marks: Mapping[str, str]) -> dict[str, SdvState]:
    """Each required item's state from the stored marks (item code -> mark state)."""
    return {code: SdvState(marks[code]) if marks.get(code) in MARKED else SdvState.NOT_VERIFIED
            for code in required}


def form_summary(required: Sequence[str], marks: Mapping[str, str]) -> SdvSummary:
    """The form's state from its required items' marks (counted directly: the SDV matrix calls this often)."""
    if not required:
        return NOT_REQUIRED
    states = [marks.get(code) for code in required]
    verified, changed = states.count(SdvState.VERIFIED), states.count(SdvState.CHANGED)
    state = SdvState.CHANGED if changed else SdvState.VERIFIED if verified == len(required) else SdvState.NOT_VERIFIED
    return SdvSummary(state, verified, len(required), changed)


# -- reading one form ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FormSdv:
    """One form instance for the form editor: every item's state (not required for items outside the plan)."""

    complete: bool
    items: Mapping[str, SdvState]
    summary: SdvSummary


def form_sdv(session: SiteSession, ref: FormRef) -> FormSdv:
    with session.read() as db:
        subject = find_subject(db, ref.subject)
        return instance_sdv(db, session.study, ref, find_instance(db, subject, ref))


def instance_sdv(db: Any, study: Study, ref: FormRef, instance: FormInstance | None) -> FormSdv:
    """`form_sdv` of an instance already found (None, or removed: nothing to verify)."""
    form = study.form(ref.form)
    if instance is None or instance.deleted:
        return FormSdv(False, {item.code: SdvState.NOT_REQUIRED for item in form.items}, NOT_REQUIRED)
    values = typed_values(form, instance.values) if needs_values(study, ref.visit, ref.form) else None
    required = required_items(study, ref.visit, ref.form, values)
    marks = marks_of(db, instance)
    states = item_states(required, marks)
    items = {item.code: states.get(item.code, SdvState.NOT_REQUIRED) for item in form.items}
    return FormSdv(instance.status == FormStatus.COMPLETE, items, form_summary(required, marks))


def marks_of(db: Any, instance: FormInstance) -> dict[str, str]:
    return {mark.item_code: mark.state for mark in db.scalars(select(SdvMark).where(SdvMark.form_pk == instance.id))}


# -- verifying ---------------------------------------------------------------------------------------------

def verify_items(session: SiteSession, ref: FormRef, items: Collection[str]) -> list[str]:
    """Verify these items of a completed form; returns the items whose state changed (already verified ones
    are left as they are, "changed since verified" ones are verified again). One audit event per item."""
    if not items:
        raise InvalidInput("sdv-no-items", ref=ref)
    with session.write(Do.VERIFY_SOURCE) as tx:
        refuse_if_site_locked(tx)
        subject, instance, required = _verifiable(tx, session.study, ref)
        outside = sorted(set(items) - set(required))
        if outside:
            raise InvalidInput("sdv-item-not-required", ref=ref, items=", ".join(outside))
        return _verify(tx, subject, instance, [code for code in required if code in items])


def verify_form(session: SiteSession, ref: FormRef) -> list[str]:
    """Verify every required item of a completed form that is not verified yet."""
    with session.write(Do.VERIFY_SOURCE) as tx:
        refuse_if_site_locked(tx)
        subject, instance, required = _verifiable(tx, session.study, ref)
        return _verify(tx, subject, instance, required)


@dataclass(frozen=True)
class VisitVerified:
    items: int  # items verified now
    forms: tuple[str, ...]  # forms (with timepoint) verified now
    not_complete: tuple[str, ...]  # forms that need verifying but are not saved as complete yet (left as they are)


def verify_visit(session: SiteSession, subject_label: str, visit: str) -> VisitVerified:
    """Verify every required item of the visit's completed forms; forms not complete yet are reported, not
    verified (the site completes them first)."""
    with session.write(Do.VERIFY_SOURCE) as tx:
        refuse_if_site_locked(tx)
        return _verify_visit(tx, session.study, subject_label, visit)


def verify_visits(session: SiteSession, visits: Sequence[tuple[str, str]]) -> list[VisitVerified | ServiceError]:
    """`verify_visit` for each (subject, visit), in order, in one transaction (one commit, one seal), each
    verified and audited exactly as `verify_visit` does it. A visit it would refuse is left as it is (it refuses
    before writing anything) and its refusal takes that visit's place in the list; the others are verified."""
    outcomes: list[VisitVerified | ServiceError] = []
    with session.write(Do.VERIFY_SOURCE) as tx:
        refuse_if_site_locked(tx)
        for subject_label, visit in visits:
            try:
                outcomes.append(_verify_visit(tx, session.study, subject_label, visit))
            except ServiceError as refused:
                outcomes.append(refused)
    return outcomes


def _verify_visit(tx: Tx, study: Study, subject_label: str, visit: str) -> VisitVerified:
    """The visit's verification inside an open transaction; every refusal comes before its first write."""
    subject = find_subject(tx.db, subject_label)
    if visit not in {v.code for v in study.visits}:
        raise InvalidInput("visit-unknown", visit=visit)
    instances = tx.db.scalars(select(FormInstance).where(
        FormInstance.subject_pk == subject.id, FormInstance.visit_code == visit,
        FormInstance.deleted.is_(False)).order_by(FormInstance.id)).all()
    count, done, waiting = 0, [], []
    # The visit's values (as plain rows) and marks, each read in one query.
    values: dict[int, list[Any]] = {instance.id: [] for instance in instances}  # rows with typed_values' fields
    for row in tx.db.execute(select(ItemValue.form_pk, ItemValue.item_code, ItemValue.value, ItemValue.missing)
                             .where(ItemValue.form_pk.in_(list(values))).order_by(ItemValue.id)):
        values[row.form_pk].append(row)
    marks: dict[int, dict[str, SdvMark]] = {instance.id: {} for instance in instances}
    for mark in tx.db.scalars(select(SdvMark).where(SdvMark.form_pk.in_(list(marks)))):
        marks[mark.form_pk][mark.item_code] = mark
    for instance in instances:
        if instance.form_code not in study.forms:
            continue
        form = study.form(instance.form_code)
        required = required_items(study, visit, form.code, typed_values(form, values[instance.id]))
        name = form.code + (f"/{instance.timepoint}" if instance.timepoint else "")
        if not required:
            continue
        if instance.status != FormStatus.COMPLETE:
            waiting.append(name)
            continue
        verified = _verify(tx, subject, instance, required, marks[instance.id])
        count += len(verified)
        if verified:
            done.append(name)
    if not done and not count and waiting:
        raise WrongState("sdv-visit-not-complete", label=subject.label, visit=visit, forms=", ".join(waiting))
    return VisitVerified(count, tuple(done), tuple(waiting))


def _verifiable(tx: Tx, study: Study, ref: FormRef) -> tuple[Subject, FormInstance, tuple[str, ...]]:
    """The subject, the completed instance at `ref` and its required items; refusals otherwise."""
    subject = find_subject(tx.db, ref.subject)
    if ref.form not in study.forms:
        raise InvalidInput("form-unknown", form=ref.form)
    instance = find_instance(tx.db, subject, ref)
    if instance is None or instance.deleted:
        raise NotFound("sdv-form-not-found", ref=ref)
    if instance.status != FormStatus.COMPLETE:
        raise WrongState("sdv-form-not-complete", ref=ref)
    required = required_items(study, ref.visit, ref.form, typed_values(study.form(ref.form), instance.values))
    if not required:
        raise WrongState("sdv-not-required", ref=ref)
    return subject, instance, required


def _verify(tx: Tx, subject: Subject, instance: FormInstance, codes: Sequence[str],
            marks: Mapping[str, SdvMark] | None = None) -> list[str]:
    """Mark `codes` verified (those not verified yet), audited; `marks`: the form's marks by item, if read."""
    if marks is None:
        marks = {m.item_code: m for m in tx.db.scalars(select(SdvMark).where(SdvMark.form_pk == instance.id))}
    now, verified, added = tx.now_text(), [], []
    for code in codes:
        mark = marks.get(code)
        old = SdvState(mark.state) if mark is not None else SdvState.NOT_VERIFIED
        if old is SdvState.VERIFIED:
            continue
        if mark is None:
            added.append({"form_pk": instance.id, "item_code": code, "state": SdvState.VERIFIED, "verified_at": now,
                          "verified_by": tx.actor.username, "changed_at": None})
        else:
            mark.state, mark.verified_at, mark.verified_by, mark.changed_at = \
                SdvState.VERIFIED, now, tx.actor.username, None
        tx.audit(Change("sdv_verified", **_where(subject, instance), item=code, old_value=old,
                        new_value=SdvState.VERIFIED))
        _count(instance, old, -1)
        _count(instance, SdvState.VERIFIED, +1)
        verified.append(code)
    if added:  # one executemany (see forms._write_values): marks added as objects are inserted one by one
        tx.db.connection().execute(insert(SdvMark), added)
    return verified


def unverify(session: SiteSession, ref: FormRef, items: Collection[str], reason: str) -> None:
    """Take verification back (a mistake, a source document found later): the reason goes in the audit trail."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("sdv-unverify-reason-required", ref=ref)
    if has_broken_character(reason):
        raise InvalidInput("reason-broken-character", ref=ref)
    if not items:
        raise InvalidInput("sdv-no-items", ref=ref)
    with session.write(Do.VERIFY_SOURCE) as tx:
        refuse_if_site_locked(tx)
        subject = find_subject(tx.db, ref.subject)
        instance = find_instance(tx.db, subject, ref)
        if instance is None or instance.deleted:
            raise NotFound("sdv-form-not-found", ref=ref)
        marks = {m.item_code: m for m in tx.db.scalars(select(SdvMark).where(SdvMark.form_pk == instance.id))}
        unmarked = sorted(code for code in items if code not in marks or marks[code].state not in MARKED)
        if unmarked:
            raise InvalidInput("sdv-item-not-verified", ref=ref, items=", ".join(unmarked))
        for code in sorted(items):
            mark = marks[code]
            tx.audit(Change("sdv_unverified", **_where(subject, instance), item=code, old_value=mark.state,
                            new_value=SdvState.NOT_VERIFIED, reason=reason))
            _count(instance, SdvState(mark.state), -1)
            mark.state, mark.changed_at = SdvState.NOT_VERIFIED, tx.now_text()


def count_required(study: Study, instance: FormInstance, stored: Mapping[str, Any] | None = None) -> None:
    """Keep the number of items to verify on the form row, as of its last save (the matrix sums it).
    `stored`: the form's typed values as the save left them, when the caller has them (saves a read)."""
    if instance.form_code not in study.forms:
        return
    form = study.form(instance.form_code)
    values = stored if stored is not None else typed_values(form, instance.values)
    instance.sdv_required = len(required_items(study, instance.visit_code, form.code, values))


# -- the data change hook --------------------------------------------------------------------------------

def values_changed(tx: Tx, subject: Subject, instance: FormInstance, changed: Collection[str]) -> None:
    """Verified items among `changed` ('' = the form as a whole, e.g. a log entry removed) become "changed
    since verified" (with an audit event), so the monitor checks only those again."""
    whole = "" in changed
    marks = tx.db.scalars(select(SdvMark).where(SdvMark.form_pk == instance.id,
                                                SdvMark.state == SdvState.VERIFIED)).all()
    for mark in marks:
        if whole or mark.item_code in changed:
            tx.audit(Change("sdv_changed", **_where(subject, instance), item=mark.item_code,
                            old_value=SdvState.VERIFIED, new_value=SdvState.CHANGED,
                            reason="value changed after verification"))
            mark.state, mark.changed_at = SdvState.CHANGED, tx.now_text()
            _count(instance, SdvState.VERIFIED, -1)
            _count(instance, SdvState.CHANGED, +1)


def _count(instance: FormInstance, state: SdvState, step: int) -> None:
    """Keep the form's counts of marks by state (read by the SDV matrix) in step with the marks."""
    if state is SdvState.VERIFIED:
        instance.sdv_verified = (instance.sdv_verified or 0) + step
    elif state is SdvState.CHANGED:
        instance.sdv_changed = (instance.sdv_changed or 0) + step


def _where(subject: Subject, instance: FormInstance) -> dict[str, Any]:
    return {"subject": subject.label, "visit": instance.visit_code or None, "form": instance.form_code,
            "timepoint": instance.timepoint or None, "repeat": instance.repeat or None}
