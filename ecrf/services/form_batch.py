"""Saving several forms at once: a visit's (or a subject's) forms in one transaction, each exactly as `save_form`
saves it, with one commit and one seal for all."""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ecrf.services.forms import SaveResult, store_form
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.services.subject_records import SubjectRecords


@dataclass(frozen=True)
class FormSave:
    """One form's save in `save_forms`: the arguments `save_form` takes for it."""

    ref: FormRef
    values: Mapping[str, Any]
    confirm: Collection[str] = ()
    reason: str | None = None
    complete: bool = False
    confirm_warnings: bool = False  # confirm every warning the save raises, as if each key were in `confirm`


def save_forms(session: SiteSession, saves: Sequence[FormSave], *, today: date | None = None) -> list[SaveResult]:
    """Several forms in one transaction, in order, each validated, confirmed, audited and monitored exactly as
    `save_form` does it (a later form's expressions see the earlier ones). All or nothing: the first refusal
    raises (its `ref` parameter names the form) and nothing is stored. One commit and one seal for all, for
    whoever enters a whole visit at once (the demo writes its subjects so)."""
    with session.write(Do.ENTER_DATA) as tx:
        day = today or tx.clock.now().date()
        results = []
        records = SubjectRecords(tx.db, session.study)  # each subject's forms read once, then kept by each save
        for save in saves:
            subject = records.subject(save.ref.subject)
            results.append(store_form(tx, session.study, subject, save.ref, save.values, confirm=save.confirm,
                                      reason=save.reason, complete=save.complete, today=day,
                                      confirm_all=save.confirm_warnings, records=records))
        return results
