"""Breaking electronic signatures: a signature stays valid only while the data it covers is unchanged. A
change of covered data (ecrf.services.esign.data_changed) or an unlock marks it broken, with one
`signature_broken` audit event each, until the investigator signs again."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import BindParameter, Select, and_, bindparam, false, or_, select
from sqlalchemy.orm import Session

from ecrf.services.session import Tx
from ecrf.store.audit import Change
from ecrf.store.models import SignatureRow, Subject
from ecrf.study.place import Place
from ecrf.study.status import Scope, SignatureState


def covering(db: Session, subject: Subject, visit: str, form: str, timepoint: str, repeat: int,
             known: Sequence[SignatureRow] | None = None) -> list[SignatureRow]:
    """The valid signatures whose data includes the form instance at this place: its own form signature, its
    visit's (log entries have no visit) and the subject's. `known`: the subject's signatures when the caller has
    them (a batch of saves reads them once); they are sifted as the query does."""
    if known is not None:
        return [row for row in known if row.state == SignatureState.VALID and _covers(row, visit, form, timepoint,
                                                                                       repeat)]
    statement = _COVERING_AT_VISIT if visit else _COVERING_LOG_ENTRY
    return list(db.scalars(statement, {"subject_pk": subject.id, "visit": visit, "form": form,
                                       "timepoint": timepoint, "repeat": repeat}))


def _covering_statement(has_visit: bool) -> Select[SignatureRow]:
    # Built once with parameters: every save asks, and building the expression cost more than running it.
    visit: BindParameter[str] = bindparam("visit")
    at_visit = and_(SignatureRow.scope == Scope.VISIT, SignatureRow.visit_code == visit) if has_visit else false()
    at_form = and_(SignatureRow.scope == Scope.FORM, SignatureRow.visit_code == visit,
                   SignatureRow.form_code == bindparam("form"), SignatureRow.timepoint == bindparam("timepoint"),
                   SignatureRow.repeat == bindparam("repeat"))
    return select(SignatureRow).where(
        SignatureRow.subject_pk == bindparam("subject_pk"), SignatureRow.state == SignatureState.VALID,
        or_(SignatureRow.scope == Scope.SUBJECT, at_visit, at_form)).order_by(SignatureRow.id)


_COVERING_AT_VISIT, _COVERING_LOG_ENTRY = _covering_statement(True), _covering_statement(False)


def _covers(row: SignatureRow, visit: str, form: str, timepoint: str, repeat: int) -> bool:
    """`_covering_statement`'s condition on one row of the subject."""
    if row.scope == Scope.SUBJECT:
        return True
    if row.scope == Scope.VISIT:
        return bool(visit) and row.visit_code == visit
    return (row.scope == Scope.FORM and (row.visit_code, row.form_code, row.timepoint, row.repeat)
            == (visit, form, timepoint, repeat))


def break_signatures(tx: Tx, subject: Subject, signatures: Iterable[SignatureRow], reason: str) -> int:
    """Mark each signature broken (the only change a signature row ever takes), audited; returns how many."""
    count = 0
    for row in signatures:
        row.state, row.broken_at, row.broken_reason = SignatureState.BROKEN, tx.now_text(), reason
        tx.audit(Change("signature_broken", subject=subject.label, visit=row.visit_code or None,
                        form=row.form_code or None, timepoint=row.timepoint or None,
                        repeat=row.repeat or None, item=row.scope, old_value=SignatureState.VALID,
                        new_value=SignatureState.BROKEN, reason=reason))
        count += 1
    return count


def break_signatures_within(tx: Tx, subject: Subject, place: Place, reason: str) -> list[SignatureRow]:
    """Break every valid signature of `subject` whose covered data overlap `place` (an unlocked form, visit or
    subject: the form's, its visit's and the casebook's signatures all cover it); returns them."""
    rows = tx.db.scalars(select(SignatureRow).where(SignatureRow.subject_pk == subject.id,
                                                    SignatureRow.state == SignatureState.VALID)
                         .order_by(SignatureRow.id)).all()
    found = [row for row in rows if signature_place(row).overlaps(place)]
    break_signatures(tx, subject, found, reason)
    return found


def signature_place(row: SignatureRow) -> Place:
    return Place(row.visit_code, row.form_code, row.timepoint, row.repeat)
