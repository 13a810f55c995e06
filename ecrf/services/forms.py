"""Saving form values: validation from the study definition, confirmations, reasons, status, audit."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import make_transient_to_detached

from ecrf.services import monitoring
from ecrf.services.errors import (
    InvalidInput,
    NeedsConfirmation,
    ReasonRequired,
    ValuesRefused,
    WrongState,
)
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession, Tx
from ecrf.services.subject_data import (
    FormRef,
    find_instance,
    find_subject,
    load_subject_data,
    typed_values,
)
from ecrf.services.subject_records import SubjectRecords
from ecrf.store.audit import Change
from ecrf.store.models import (
    FormInstance,
    FormStatus,
    ItemValue,
    Subject,
    SubjectStatus,
)
from ecrf.study.codec import to_text
from ecrf.study.findings import Finding
from ecrf.study.model import Form, Study
from ecrf.study.parsing import has_broken_character
from ecrf.study.subject import Where
from ecrf.study.validate import FormCheck, validate_form
from ecrf.study.values import Missing

COMPLETED = frozenset({FormStatus.COMPLETE})


@dataclass
class SaveResult:
    status: FormStatus
    changed: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # what remains: confirmed warnings, missing answers


def save_form(session: SiteSession, ref: FormRef, values: Mapping[str, Any], *, confirm: Collection[str] = (),
              reason: str | None = None, complete: bool = False, today: date | None = None) -> SaveResult:
    """Validate and store values of one form instance (items not given keep their stored value).

    Hard findings refuse the save; soft ones need their `Finding.key` in `confirm`; a form saved as
    complete needs a `reason` for any change. All or nothing, with one audit event per change."""
    with session.write(Do.ENTER_DATA) as tx:
        subject = find_subject(tx.db, ref.subject)
        return store_form(tx, session.study, subject, ref, values, confirm=confirm, reason=reason,
                          complete=complete, today=today or tx.clock.now().date())


def store_form(tx: Tx, study: Study, subject: Subject, ref: FormRef, values: Mapping[str, Any], *,
               confirm: Collection[str] = (), reason: str | None = None, complete: bool = False,
               today: date, confirm_all: bool = False, records: SubjectRecords | None = None) -> SaveResult:
    """The save inside an open transaction (also used by allocation, which fills its form itself). `records`:
    the batch's in-memory copy of the subject's forms, read instead of the database and kept up to date."""
    form = form_allowed(study, subject, ref)
    monitoring.guard_change(tx, subject, ref, records)
    instance = records.instance_at(subject, ref) if records is not None else find_instance(tx.db, subject, ref)
    if instance is not None and instance.deleted:
        raise WrongState("form-removed", ref=ref, reason=instance.deleted_reason)
    rows = {row.item_code: row for row in instance.values} if instance else {}
    stored = typed_values(form, list(rows.values()))
    # Items not given keep their stored value; calculated ones are always recomputed.
    kept = {k: v for k, v in stored.items() if not (form.has_item(k) and form.item(k).is_calculated)}
    merged = {**kept, **values}
    changed_input = {code for code, value in values.items() if _entry_pair(value) != _entry_pair(stored.get(code))}
    carried = _carried_confirmations(rows, changed_input)
    needed = forms_needed(study, form, ref, subject.arm)
    data = records.data(subject, needed) if records is not None else load_subject_data(tx.db, study, subject, needed)
    where = Where(ref.visit, ref.timepoint, today)
    confirmed = carried | set(confirm)
    check = validate_form(form, merged, subject=data, where=where, confirmed=confirmed)
    if confirm_all and check.unconfirmed:
        confirmed |= {f.key for f in check.unconfirmed}
        check = validate_form(form, merged, subject=data, where=where, confirmed=confirmed)
    _refuse_findings(ref, check)
    new_values = {**check.values, **check.derived}
    changes = [code for code in new_values if _stored_pair(new_values[code]) != _row_pair(rows.get(code))]
    status = _next_status(FormStatus(instance.status) if instance else FormStatus.NOT_STARTED, check, complete,
                          bool(changes), ref)
    if instance is not None and instance.status in COMPLETED and changes and not (reason or "").strip():
        raise ReasonRequired("change-reason-required", ref=ref, items=", ".join(changes))
    if reason is not None and has_broken_character(reason):  # it could not be written to the audit trail
        raise InvalidInput("reason-broken-character", ref=ref)
    if not changes and status == (instance.status if instance else FormStatus.NOT_STARTED):
        return SaveResult(status, [], check.soft + check.incomplete)  # nothing to store, nothing to audit
    new_form = instance is None
    instance = instance or _new_instance(tx, study, subject, ref)
    _write_values(tx, form, instance, rows, new_values, changes, check, reason, subject, carried)
    _set_status(tx, instance, status, subject, reason)
    if records is not None:
        records.saved(instance, rows, {code: _stored_pair(new_values[code]) for code in changes})
    if changes:
        instance.definition_version, instance.definition_fingerprint = study.info.version, study.fingerprint
    now_stored = {**stored, **{code: new_values[code] for code in changes}}  # what the rows hold now
    monitoring.after_change(tx, study, subject, instance, changes, check, reason, new_form=new_form,
                            stored=now_stored, records=records)
    return SaveResult(status, changes, check.soft + check.incomplete)


def forms_needed(study: Study, form: Form, ref: FormRef, arm: str | None) -> set[tuple[str, str]]:
    """What validating this form reads of the subject, as (visit, form): the forms its expressions name, and
    the forms of its own visit (the visit's date comes from them). Loading only these keeps a save fast however
    long the subject's record has grown."""
    needed = {(visit or ref.visit, code) for visit, code in form.forms_read}
    if ref.visit:
        needed |= {(ref.visit, vf.form) for vf in study.visit(ref.visit).forms_for(arm)}
    return needed


def _entry_pair(value: Any) -> tuple[str | None, str | None]:
    """Roughly what was entered, to tell which items the user touched (exact typing comes later)."""
    if isinstance(value, Missing):
        return None, value.code
    if isinstance(value, str):
        return value.strip() or None, None
    try:
        return to_text(value), None
    except (TypeError, ValueError):  # ValueError: an int past Python's 4,300-digit str() limit (refused later)
        return repr(type(value)), None


def _stored_pair(value: Any) -> tuple[str | None, str | None]:
    return (None, value.code) if isinstance(value, Missing) else (to_text(value), None)


def _row_pair(row: ItemValue | None) -> tuple[str | None, str | None]:
    return (None, None) if row is None else (row.value, row.missing)


def _carried_confirmations(rows: Mapping[str, ItemValue], changed: set[str]) -> set[str]:
    """Confirmations stay valid while none of the items they were given on has changed."""
    keys = {code: set(filter(None, row.confirmed.split("\n"))) for code, row in rows.items()}
    void = set().union(*(keys.get(code, set()) for code in changed)) if changed else set()
    return set().union(*keys.values()) - void if keys else set()


def _refuse_findings(ref: FormRef, check: FormCheck) -> None:
    if check.hard:
        raise ValuesRefused("values-refused", check.hard, ref=ref)
    if check.unconfirmed:
        raise NeedsConfirmation("needs-confirmation", check.unconfirmed, ref=ref)


def _next_status(current: FormStatus, check: FormCheck, complete: bool, changed: bool, ref: FormRef) -> FormStatus:
    if complete:
        if not check.can_complete:
            raise ValuesRefused("form-incomplete", check.incomplete, ref=ref)
        return current if current in COMPLETED and not changed else FormStatus.COMPLETE
    if not changed:
        return current
    if current in COMPLETED:
        return FormStatus.COMPLETE if check.can_complete else FormStatus.IN_PROGRESS
    return FormStatus.IN_PROGRESS


def form_allowed(study: Study, subject: Subject, ref: FormRef) -> Form:
    """The form must belong to this visit (and arm and timepoint) or be a log entry; raises the reason
    (InvalidInput, WrongState) when data cannot be entered there. Also used by the form editor."""
    if ref.form not in study.forms:
        raise InvalidInput("form-unknown", form=ref.form)
    if ref.visit == "":
        if ref.form not in study.logs or ref.repeat < 1:
            raise InvalidInput("not-a-log-form", form=ref.form)
        _require_enrolled(subject, ref)
        return study.form(ref.form)
    if ref.visit not in {v.code for v in study.visits}:
        raise InvalidInput("visit-unknown", visit=ref.visit)
    visit = study.visit(ref.visit)
    matches = [vf for vf in visit.forms_for(subject.arm) if vf.form == ref.form
               and ref.timepoint in (vf.timepoints or ("",))]
    if not matches or ref.repeat != 0:
        raise InvalidInput("form-not-at-visit", form=ref.form,
                           timepoint=f" at {ref.timepoint}" if ref.timepoint else "", visit=ref.visit,
                           whom=f"arm {subject.arm}" if subject.arm else "this subject")
    if not visit.before_day0:
        _require_enrolled(subject, ref)
        _require_visit_open(subject, ref, study)
    return study.form(ref.form)


def _require_enrolled(subject: Subject, ref: FormRef) -> None:
    if subject.day0 is None:
        raise WrongState("subject-not-allocated", label=subject.label, ref=ref)


def _require_visit_open(subject: Subject, ref: FormRef, study: Study) -> None:
    cancelled = {v.visit_code for v in subject.visits if v.cancelled}
    # End of study, and for a subject who died the forms that record the death (an item with CDASH name
    # DTHDAT, e.g. 28-day mortality), are still filled and corrected after participation ended.
    records_death = subject.status == SubjectStatus.DIED and any(
        (item.cdash or "").upper() == "DTHDAT" for item in study.form(ref.form).items)
    if ref.visit in cancelled and ref.form != study.end_of_study_form and not records_death:
        raise WrongState("visit-cancelled", visit=ref.visit, label=subject.label, status=subject.status,
                         ended_on=subject.ended_on)


_INSERT_INSTANCE = insert(FormInstance).returning(FormInstance.id)  # built once: every new form inserts one


def _new_instance(tx: Tx, study: Study, subject: Subject, ref: FormRef) -> FormInstance:
    """The new row, inserted past the session like its values (`_write_values`): adding it as an object needs a
    flush of the whole session for its id, which cost more than the rest of a save in a batch. The object then
    joins the session as if loaded, every column set, so what the save changes next is an ordinary update."""
    columns: dict[str, Any] = {
        "subject_pk": subject.id, "visit_code": ref.visit, "form_code": ref.form, "timepoint": ref.timepoint,
        "repeat": ref.repeat, "status": FormStatus.NOT_STARTED, "definition_version": study.info.version,
        "definition_fingerprint": study.fingerprint, "deleted": False, "deleted_reason": None,
        "updated_at": tx.now_text(), "updated_by": tx.actor.username, "sdv_verified": 0, "sdv_changed": 0,
        "sdv_required": None}
    new_id = tx.db.connection().execute(_INSERT_INSTANCE, columns).scalar_one()
    instance = FormInstance(id=new_id, **columns)
    make_transient_to_detached(instance)
    tx.db.add(instance)
    return instance


def _audit_where(subject: Subject, instance: FormInstance) -> dict[str, Any]:
    return {"subject": subject.label, "visit": instance.visit_code or None, "form": instance.form_code,
            "timepoint": instance.timepoint or None, "repeat": instance.repeat or None}


def _write_values(tx: Tx, form: Form, instance: FormInstance, rows: dict[str, ItemValue], values: Mapping[str, Any],
                  changes: list[str], check: FormCheck, reason: str | None, subject: Subject,
                  carried: set[str]) -> None:
    now, where = tx.now_text(), _audit_where(subject, instance)
    confirmed = _confirmations_by_item(check)
    added: list[dict[str, Any]] = []
    for code in values:
        row = rows.get(code)
        keys = "\n".join(sorted(confirmed.get(code, set())))
        if code not in changes:
            if row is not None and row.confirmed != keys:
                row.confirmed = keys
            continue
        new_text, new_missing = _stored_pair(values[code])
        old_text, old_missing = _row_pair(row)
        derived = form.item(code).is_calculated
        tx.audit(Change("value_derived" if derived else "value", **where, item=code, old_value=old_text,
                        old_missing=old_missing, new_value=new_text, new_missing=new_missing,
                        reason=(reason or "").strip() or None))
        if row is None:
            added.append({"form_pk": instance.id, "item_code": code, "value": new_text, "missing": new_missing,
                          "confirmed": keys, "saved_at": now, "saved_by": tx.actor.username})
            continue
        row.value, row.missing, row.confirmed, row.saved_at, row.saved_by = \
            new_text, new_missing, keys, now, tx.actor.username
    if added:  # one executemany on the transaction's connection: rows added as ORM objects are inserted one by
        # one (to read each id back), and an ORM insert would flush the session first (nothing it holds is needed)
        tx.db.connection().execute(insert(ItemValue), added)
    for finding in check.soft:
        if finding.confirmed and finding.key not in carried:  # confirmed now, not carried from before
            tx.audit(Change("warning_confirmed", **where, item=finding.item, new_value=finding.key,
                            reason=finding.text("en")))


def _confirmations_by_item(check: FormCheck) -> dict[str, set[str]]:
    by_item: dict[str, set[str]] = {}
    for finding in check.soft:
        if finding.confirmed:
            for code in finding.items or ((finding.item,) if finding.item else ()):
                by_item.setdefault(code, set()).add(finding.key)
    return by_item


def _set_status(tx: Tx, instance: FormInstance, status: FormStatus, subject: Subject, reason: str | None) -> None:
    instance.updated_at, instance.updated_by = tx.now_text(), tx.actor.username
    if instance.status == status:
        return
    tx.audit(Change("form_status", **_audit_where(subject, instance), old_value=instance.status,
                    new_value=status, reason=reason))
    instance.status = status
