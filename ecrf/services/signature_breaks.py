"""Breaking electronic signatures: a signature stays valid only while the data it covers may not have changed.
Shared by the e-signature service (covered data changed) and the locks (unlocking reopens data to change), so
both break the same signatures the same way: state broken, when and why, and one `signature_broken` event each.
"""
from __future__ import annotations

from sqlalchemy import select

from ecrf.services.places import Place
from ecrf.services.session import Tx
from ecrf.store.audit import Change
from ecrf.store.models import SignatureRow, Subject
from ecrf.study.status import SignatureState


def signature_place(row: SignatureRow) -> Place:
    return Place(row.visit_code, row.form_code, row.timepoint, row.repeat)


def break_signatures(tx: Tx, subject: Subject, covering: Place, reason: str) -> list[SignatureRow]:
    """Mark broken every valid signature of `subject` whose covered data overlap `covering` (a form's
    signature, its visit's and the subject's casebook signature all cover the form); returns them."""
    rows = tx.db.scalars(select(SignatureRow).where(SignatureRow.subject_pk == subject.id,
                                                    SignatureRow.state == SignatureState.VALID)
                         .order_by(SignatureRow.id)).all()
    broken = [row for row in rows if signature_place(row).overlaps(covering)]
    now = tx.now_text()
    for row in broken:
        row.state, row.broken_at, row.broken_reason = SignatureState.BROKEN, now, reason
        tx.audit(Change("signature_broken", subject=subject.label, visit=row.visit_code or None,
                        form=row.form_code or None, timepoint=row.timepoint or None, repeat=row.repeat or None,
                        old_value=SignatureState.VALID, new_value=SignatureState.BROKEN, reason=reason))
    return broken
