"""Reading electronic signatures: a subject's signatures (valid and broken), the investigator's list of what is
ready for signature, and the bundle's records of them. Writing them is `ecrf.services.esign`."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import find_subject
from ecrf.store.models import FormInstance, SignatureRow, Subject
from ecrf.study.model import Text
from ecrf.study.status import FormStatus, Scope, SignatureState


@dataclass(frozen=True)
class SignatureView:
    ceremony: str
    scope: str
    visit: str
    form: str
    timepoint: str
    repeat: int
    username: str
    full_name: str
    meaning: Text
    meaning_version: str
    signed_at: str
    state: SignatureState
    broken_at: str | None
    broken_reason: str | None


def signatures_of(session: SiteSession, subject: str) -> list[SignatureView]:
    """Every signature of the subject, oldest first (broken ones too: they stay, marked)."""
    with session.read() as db:
        found = find_subject(db, subject)
        rows = db.scalars(select(SignatureRow).where(SignatureRow.subject_pk == found.id).order_by(SignatureRow.id))
        return [SignatureView(r.ceremony, r.scope, r.visit_code, r.form_code, r.timepoint, r.repeat, r.username,
                              r.full_name, Text((("en", r.meaning_en), ("zh", r.meaning_zh))), r.meaning_version,
                              r.signed_at, SignatureState(r.state), r.broken_at, r.broken_reason) for r in rows]


@dataclass(frozen=True)
class ReadyToSign:
    """A casebook or visit whose forms are all complete and that has no valid signature: to be signed, or
    signed again when `broken` (its signature broke after a change)."""

    subject: str
    scope: Scope
    visit: str
    forms: int
    broken: bool = False


def ready_for_signature(session: SiteSession) -> list[ReadyToSign]:
    """Subjects (their casebook) and visits ready for the investigator's signature, in subject order (a visit
    under a valid casebook signature is not listed); three plain column queries, fast for a whole site."""
    with session.read(Do.SIGN) as db:
        labels = {pk: sid or sno for pk, sid, sno in db.execute(
            select(Subject.id, Subject.subject_id, Subject.screening_no).order_by(Subject.id))}
        forms = db.execute(select(FormInstance.subject_pk, FormInstance.visit_code, FormInstance.status).where(
            FormInstance.deleted.is_(False))).all()
        signed = db.execute(select(SignatureRow.subject_pk, SignatureRow.scope, SignatureRow.visit_code,
                                   SignatureRow.state).where(SignatureRow.scope != Scope.FORM)).all()
    state: dict[tuple[int, str, str], set[str]] = {}
    for pk, scope, visit, sig_state in signed:
        state.setdefault((pk, scope, visit), set()).add(sig_state)
    totals: dict[tuple[int, str, str], list[int]] = {}  # (subject, scope, visit) -> [forms, complete]
    for pk, visit, status in forms:
        for key in ((pk, Scope.SUBJECT, ""), *(((pk, Scope.VISIT, visit),) if visit else ())):
            count = totals.setdefault(key, [0, 0])
            count[0] += 1
            count[1] += status == FormStatus.COMPLETE
    ready = []
    # Per subject: the casebook first, then its visits.
    for (pk, scope, visit), (total, complete) in sorted(totals.items(),
                                                        key=lambda kv: (kv[0][0], kv[0][1] != Scope.SUBJECT, kv[0][2])):
        states = state.get((pk, scope, visit), set())
        if scope == Scope.VISIT and SignatureState.VALID in state.get((pk, Scope.SUBJECT, ""), set()):
            continue  # a valid casebook signature covers its visits
        if total == complete and SignatureState.VALID not in states:
            ready.append(ReadyToSign(labels[pk], Scope(scope), visit, total, SignatureState.BROKEN in states))
    return ready
