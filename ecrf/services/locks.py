"""Locks on forms, visits and subjects, and the site's freeze and lock (to be built)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ecrf.services.errors import ServiceError
from ecrf.services.session import Tx
from ecrf.services.subject_data import FormRef
from ecrf.store.models import Subject


def change_refusal(db: Session, subject: Subject, ref: FormRef) -> ServiceError | None:
    """Why clinical data at `ref` cannot be changed now (a lock covers it, the site is frozen or locked),
    or None. The form editor asks this up front to open read-only."""
    return None


def refuse_change(tx: Tx, subject: Subject, ref: FormRef) -> None:
    refusal = change_refusal(tx.db, subject, ref)
    if refusal is not None:
        raise refusal


def refuse_if_site_locked(tx: Tx) -> None:
    """Refuse a monitoring step (a query, a verification) on a locked site; a frozen site allows them.
    Placeholder of the queries branch until the locks branch defines it (theirs wins at merge)."""
