"""Electronic signatures (21 CFR 11.50, 11.70, 11.100, 11.200): an investigator signs a form, a visit or a
subject's whole casebook in one ceremony, with their personal Ed25519 key over the hash of the clinical data
it covers (`ecrf.trail.esign`). A later change of covered data breaks the signature until it is signed again.

- `certify`: once per user before the first signature, the statement that their electronic signature binds
  like their handwritten one (11.100(c)).
- `sign`: the first signature of a continuous session needs username and password, later ones the password
  (11.200(a)(1)); a wrong password counts toward the lockout like a failed login. The signer is the user logged
  in: another username is refused before any password is checked (`check_signer`), so it is nobody's failure.
- `data_changed`: the hook `ecrf.services.monitoring.after_change` calls on every change of clinical data.
"""
from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecrf.services import auth, locks
from ecrf.services.errors import InvalidInput, ServiceError, WrongState
from ecrf.services.expected import expected_forms
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession, Tx
from ecrf.services.signature_breaks import break_signatures, covering
from ecrf.services.subject_data import find_subject
from ecrf.store.audit import Change
from ecrf.store.models import FormInstance, ItemValue, QueryRow, SignatureCertification, SignatureRow, Subject
from ecrf.study.model import Study, Text
from ecrf.study.monitoring import Policy, SignaturePlan
from ecrf.study.status import FormStatus, QueryState, Scope, SignatureState
from ecrf.trail import esign as signed_data
from ecrf.trail.esign import ItemEntry, Place, Signed

CERTIFICATION = Text((
    ("en", "I certify that the electronic signatures I execute in this eCRF are the legally binding equivalent "
           "of my traditional handwritten signature (21 CFR 11.100(c))."),
    ("zh", "本人确认，本人在本电子病例报告表中执行的电子签名与本人传统的手写签名具有同等法律约束力"
           "（21 CFR 11.100(c)）。"),
))
SIGNABLE = (Scope.FORM, Scope.VISIT, Scope.SUBJECT)
OPEN_QUERY_STATES = (QueryState.OPEN, QueryState.ANSWERED)
FAILED_SIGNATURE = "wrong username or password at an electronic signature"


class SignatureWarnings(ServiceError):
    """Signing would go ahead against the plan's warnings (forms not complete, open queries): sign again with
    `acknowledge_warnings=True` to accept them; they are recorded with the signature."""

    def __init__(self, place: str, warnings: Sequence[ServiceError]) -> None:
        super().__init__("esign-warnings", place=place, warnings="")
        self.warnings = list(warnings)

    def params_for(self, lang: str) -> dict[str, str]:
        return {**self.params, "warnings": " ".join(w.text(lang) for w in self.warnings)}


# -- certification (11.100(c)) -------------------------------------------------------------------------

def certification(session: SiteSession) -> SignatureCertification | None:
    """The user's one-time certification, or None before it."""
    with session.read(Do.SIGN) as db:
        row = db.get(SignatureCertification, session.actor.username)
        if row is not None:
            db.expunge(row)
        return row


def certify(session: SiteSession, password: str) -> None:
    """Record, once, that the user's electronic signature is the legally binding equivalent of their
    handwritten one (the statement in both languages, as accepted), confirmed by their password."""
    session.require(Do.SIGN)
    known = certification(session)
    if known is not None:
        raise WrongState("esign-already-certified", username=known.username, at=known.certified_at)
    auth.confirm_password(session, password, FAILED_SIGNATURE)
    statement = f"{CERTIFICATION.get('en')}\n{CERTIFICATION.get('zh')}"
    with session.write(Do.SIGN) as tx:
        tx.db.add(SignatureCertification(username=session.actor.username, certified_at=tx.now_text(),
                                         statement=statement))
        tx.audit(Change("esign_certified", item=session.actor.username, new_value="certified", reason=statement))


# -- signing -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignedForms:
    """What one ceremony signed: its id and the rows written (a row per form, then the visit's or subject's)."""

    ceremony: str
    signed_at: str
    forms: tuple[Place, ...]
    warnings: tuple[str, ...] = ()


def needs_username(session: SiteSession) -> bool:
    """True for the first signature of a continuous session (and after it went idle)."""
    session.require(Do.SIGN)
    return not session.esign_open or session.idle_expired()


def check_signer(own: str, username: str | None) -> None:
    """The username typed at the first signature of a session must be the logged-in user's own, `own` (11.200:
    the signer is the user logged in). Another user's or an unknown name is refused here, before any password is
    checked: it is neither counted toward a lockout nor audited as a failed login of anyone. (Reads nothing, so
    the signing dialog asks it as the user presses Sign.)"""
    typed = (username or "").strip()
    if not typed:
        raise InvalidInput("esign-username-required")
    if typed != own:
        raise InvalidInput("esign-not-own-username", username=own)


@dataclass(frozen=True)
class Preview:
    """What a signature would cover and the warnings the signer must acknowledge (the dialog shows both)."""

    place: str
    forms: tuple[str, ...]
    warnings: tuple[ServiceError, ...]


def preview(session: SiteSession, subject: str, scope: Scope | str, *, visit: str | None = None,
            ref: Place | None = None) -> Preview:
    """The forms a signature of this scope covers and its warnings; refusals (as the plan says) are raised."""
    session.require(Do.SIGN)
    scope, place = _place(scope, visit, ref)
    with session.read(Do.SIGN) as db:
        found = find_subject(db, subject)
        assessed = _assess(db, session.study, found, scope, place, session.clock.now().date())
        return Preview(assessed.where, tuple(_label(i) for i in assessed.in_scope), tuple(assessed.warnings))


def sign(session: SiteSession, subject: str, scope: Scope | str, *, visit: str | None = None,
         ref: Place | None = None, username: str | None = None, password: str,
         acknowledge_warnings: bool = False) -> SignedForms:
    """Sign a form (`ref`), a visit (`visit`) or the subject's casebook in one ceremony: a SignatureRow per form
    in scope plus one for the visit or subject, each with an audit event `signed`. Refusals and warnings come
    before the password is checked (the key derivation is the slow part)."""
    found = preview(session, subject, scope, visit=visit, ref=ref)
    if found.warnings and not acknowledge_warnings:
        raise SignatureWarnings(found.place, found.warnings)
    if certification(session) is None:
        raise WrongState("esign-not-certified", username=session.actor.username)
    first = needs_username(session)
    if first:
        check_signer(session.actor.username, username)
    try:
        auth.confirm_password(session, password, FAILED_SIGNATURE, username=username if first else None)
    except ServiceError:
        session.esign_open = False
        raise
    scope, place = _place(scope, visit, ref)
    with session.write(Do.SIGN) as tx:
        locks.refuse_if_site_locked(tx)
        result = _ceremony(tx, session.study, find_subject(tx.db, subject), scope, place, acknowledge_warnings)
    session.esign_open = True
    return result


def _place(scope: Scope | str, visit: str | None, ref: Place | None) -> tuple[Scope, Place]:
    if scope not in SIGNABLE:
        raise InvalidInput("esign-scope-invalid", scope=str(scope))
    scope = Scope(scope)
    if scope is Scope.FORM:
        if ref is None:
            raise InvalidInput("esign-scope-invalid", scope="form without a place")
        return scope, ref
    if scope is Scope.VISIT:
        if not visit:
            raise InvalidInput("esign-scope-invalid", scope="visit without a visit")
        return scope, Place(visit, "")
    return scope, Place("", "")


@dataclass
class _Assessed:
    where: str
    instances: list[FormInstance]
    in_scope: list[FormInstance]
    warnings: list[ServiceError]
    entries: dict[int, list[ItemEntry]]  # each instance's stored values, by its id


def _assess(db: Session, study: Study, subject: Subject, scope: Scope, place: Place, today: date) -> _Assessed:
    instances, entries = _instances(db, subject)
    in_scope = sorted((i for i in instances if _in_scope(scope, place, _place_of(i))), key=_place_of)
    where = _where(subject, scope, place)
    if not any(entries[i.id] for i in in_scope):
        raise WrongState("esign-nothing-to-sign", place=where)
    # Forms of visits whose window has closed but never started: their required items are empty too.
    there = {_place_of(i) for i in instances}
    never_started = [str(p) for p in expected_forms(study, subject, place if scope is not Scope.SUBJECT else Place(),
                                                    closed_before=today)
                     if p not in there and _in_scope(scope, place, p)]
    checks = _checks(db, study.monitoring.signature, subject, scope, place, in_scope, where, never_started)
    return _Assessed(where, instances, in_scope, checks, entries)


def _ceremony(tx: Tx, study: Study, subject: Subject, scope: Scope, place: Place, acknowledge: bool) -> SignedForms:
    """The rows of one ceremony, checked again inside the writing transaction (nothing changed in between)."""
    plan, study_oid = study.monitoring.signature, study.info.oid
    assessed = _assess(tx.db, study, subject, scope, place, tx.clock.now().date())
    if assessed.warnings and not acknowledge:
        raise SignatureWarnings(assessed.where, assessed.warnings)
    forms = {_place_of(i): assessed.entries[i.id] for i in assessed.instances}
    ceremony, signed_at, actor = str(uuid.uuid4()), tx.now_text(), tx.actor
    if actor.signing_key is None:  # pragma: no cover - every session unseals its user's key at login
        raise WrongState("esign-not-certified", username=actor.username)
    targets = [(Scope.FORM, _place_of(i)) for i in assessed.in_scope]
    targets += [] if scope is Scope.FORM else [(scope, place)]
    warnings = tuple(w.text("en") for w in assessed.warnings)
    note = f"; warnings acknowledged: {' '.join(warnings)}" if warnings else ""
    for target_scope, target in targets:
        facts = Signed(study_oid, tx.site.db_id, ceremony, target_scope, subject.screening_no, target.visit,
                       target.form, target.timepoint, target.repeat, actor.username, actor.full_name,
                       plan.meaning.get("en"), plan.meaning.get("zh"), plan.meaning_version, signed_at,
                       signed_data.data_hash(subject.screening_no, target_scope, target, forms))
        _store(tx, subject, facts, signed_data.sign(actor.signing_key, facts), note)
    return SignedForms(ceremony, signed_at, tuple(_place_of(i) for i in assessed.in_scope), warnings)


def _store(tx: Tx, subject: Subject, facts: Signed, signature: signed_data.Signature, note: str) -> None:
    tx.db.add(SignatureRow(
        ceremony=facts.ceremony, subject_pk=subject.id, scope=facts.scope, visit_code=facts.visit,
        form_code=facts.form, timepoint=facts.timepoint, repeat=facts.repeat, username=facts.username,
        full_name=facts.full_name, meaning_en=facts.meaning_en, meaning_zh=facts.meaning_zh,
        meaning_version=facts.meaning_version, signed_at=facts.signed_at, data_hash=facts.data_hash,
        key_id=signature.key_id, public_key=signature.public_key, signature=signature.signature,
        state=SignatureState.VALID))
    tx.audit(Change(signed_data.SIGNED_EVENT, subject=subject.label, visit=facts.visit or None,
                    form=facts.form or None, timepoint=facts.timepoint or None, repeat=facts.repeat or None,
                    item=facts.scope, new_value=SignatureState.VALID,
                    reason=signed_data.event_reason(facts.ceremony, facts.meaning_version, facts.data_hash,
                                                    signature.key_id, note)))


def _checks(db: Session, plan: SignaturePlan, subject: Subject, scope: Scope, place: Place,
            in_scope: Sequence[FormInstance], where: str, never_started: Sequence[str]) -> list[ServiceError]:
    """Refuse, or collect warnings, as the plan says: forms in scope not complete (or due and never started),
    queries not closed."""
    warnings: list[ServiceError] = []
    incomplete = [_label(i) for i in in_scope if i.status != FormStatus.COMPLETE] + list(never_started)
    if incomplete:
        forms = ", ".join(incomplete)
        if plan.empty_required is Policy.REFUSE:
            raise WrongState("esign-incomplete", place=where, forms=forms)
        warnings.append(ServiceError("esign-warn-incomplete", forms=forms))
    count = _open_queries(db, subject, scope, place)
    if count:
        if plan.open_queries is Policy.REFUSE:
            raise WrongState("esign-open-queries", place=where, count=count)
        warnings.append(ServiceError("esign-warn-open-queries", count=count))
    return warnings


def _open_queries(db: Session, subject: Subject, scope: Scope, place: Place) -> int:
    rows = db.execute(select(QueryRow.visit_code, QueryRow.form_code, QueryRow.timepoint, QueryRow.repeat).where(
        QueryRow.subject_pk == subject.id, QueryRow.state.in_(OPEN_QUERY_STATES))).all()
    if scope is Scope.SUBJECT:
        return len(rows)
    if scope is Scope.VISIT:
        return sum(1 for row in rows if row.visit_code == place.visit)
    return sum(1 for row in rows if Place(row.visit_code, row.form_code, row.timepoint, row.repeat) == place)


def _instances(db: Session, subject: Subject) -> tuple[list[FormInstance], dict[int, list[ItemEntry]]]:
    """The subject's forms that signatures cover (removed log entries are not), and their values (item, value,
    missing) read in one query as plain rows: a casebook holds hundreds, and only their text is signed."""
    instances = list(db.scalars(select(FormInstance).where(FormInstance.subject_pk == subject.id,
                                                           FormInstance.deleted.is_(False))))
    entries: dict[int, list[ItemEntry]] = {instance.id: [] for instance in instances}
    for form_pk, code, value, missing in db.execute(
            select(ItemValue.form_pk, ItemValue.item_code, ItemValue.value, ItemValue.missing)
            .where(ItemValue.form_pk.in_(list(entries))).order_by(ItemValue.id)):
        entries[form_pk].append((code, value, missing))
    return instances, entries


def _place_of(instance: FormInstance) -> Place:
    return Place(instance.visit_code, instance.form_code, instance.timepoint, instance.repeat)


def _in_scope(scope: Scope, place: Place, candidate: Place) -> bool:
    if scope is Scope.SUBJECT:
        return True
    if scope is Scope.VISIT:
        return candidate.visit == place.visit
    return candidate == place


def _label(instance: FormInstance) -> str:
    where = f"{instance.visit_code}/{instance.form_code}" if instance.visit_code else \
        f"{instance.form_code} #{instance.repeat}"
    return f"{where}/{instance.timepoint}" if instance.timepoint else where


def _where(subject: Subject, scope: Scope, place: Place) -> str:
    if scope is Scope.SUBJECT:
        return subject.label
    if scope is Scope.VISIT:
        return f"{subject.label} {place.visit}"
    label = f"{place.visit}/{place.form}" if place.visit else f"{place.form} #{place.repeat}"
    return f"{subject.label} {label}{'/' + place.timepoint if place.timepoint else ''}"


# -- the hook on every change of clinical data ---------------------------------------------------------

def data_changed(tx: Tx, subject: Subject, instance: FormInstance, changed: Collection[str],
                 reason: str | None, known: Sequence[SignatureRow] | None = None) -> None:
    """Valid signatures that cover `instance` become broken (with an audit event each). A new log entry is
    a change too: it enters the data a subject signature covers. `known`: the subject's signatures, when the
    caller has them (see `signature_breaks.covering`)."""
    found = covering(tx.db, subject, instance.visit_code, instance.form_code, instance.timepoint, instance.repeat,
                     known)
    if not found:
        return
    items = sorted(code for code in changed if code)
    what = f"{_label(instance)}: " + (", ".join(items) if items else "the entry was added or removed")
    break_signatures(tx, subject, found, f"covered data changed ({what})" + (f": {reason}" if reason else ""))
