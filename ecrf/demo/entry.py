"""Entering data as staff do: confirm the warnings shown, leave out what is refused (the form or log entry then
stays in progress), and try again; what is still refused after five tries is left out with a warning in the log.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from ecrf.services.errors import NeedsConfirmation, ValuesRefused
from ecrf.services.form_batch import FormSave, save_forms
from ecrf.services.forms import save_form
from ecrf.services.logs import LogEntrySave, add_log_entries
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study.findings import Severity

log = logging.getLogger(__name__)


def save(session: SiteSession, ref: FormRef, values: Mapping[str, Any], *, today: date, complete: bool = True,
         reason: str | None = None) -> None:
    """Save like staff do: confirm the warnings shown; leave out what is refused (and keep the form open)."""
    confirm: set[str] = set()
    for _ in range(5):
        try:
            save_form(session, ref, values, confirm=confirm, complete=complete, reason=reason, today=today)
            return
        except NeedsConfirmation as exc:
            confirm |= {f.key for f in exc.findings}
        except ValuesRefused as exc:
            values, complete = _without_refused(ref, values, exc), False
    log.warning("Demo: %s could not be saved.", ref)


def save_all(session: SiteSession, saves: Sequence[FormSave], *, today: date) -> None:
    """`save` for many forms in one transaction: the warnings each raises are confirmed as it is saved (what
    staff are shown, as `save` confirms them); a refusal adjusts that form (as `save` does) and the batch is
    saved again; a form still refused after five tries is left out, with a warning in the log."""
    pending, tries = [replace(s, confirm_warnings=True) for s in saves], [0] * len(saves)
    while pending:  # an empty batch opens no transaction
        try:
            save_forms(session, pending, today=today)
            return
        except ValuesRefused as exc:
            index = next((i for i, s in enumerate(pending) if s.ref == exc.params.get("ref")), None)
            if index is None:  # a refusal that names no form of the batch: nothing to adjust
                raise
            tries[index] += 1
            if tries[index] == 5:
                log.warning("Demo: %s could not be saved.", pending[index].ref)
                del pending[index], tries[index]
            else:
                values = _without_refused(pending[index].ref, pending[index].values, exc)
                pending[index] = replace(pending[index], values=values, complete=False)


def add_entries(session: SiteSession, entries: Sequence[LogEntrySave], *, today: date) -> list[int]:
    """New log entries in one transaction, adjusted as `save_all` adjusts forms; the repeat numbers of those
    saved (an entry still refused after five tries is left out, with a warning in the log)."""
    pending, tries = list(entries), [0] * len(entries)
    while pending:
        try:
            return [repeat for repeat, _ in add_log_entries(session, pending, today=today)]
        except (NeedsConfirmation, ValuesRefused) as exc:
            index = exc.params.get("entry")
            if not isinstance(index, int):
                raise
            tries[index] += 1
            entry = pending[index]
            if tries[index] == 5:
                log.warning("Demo: a %s entry of %s could not be saved.", entry.form, entry.subject)
                del pending[index], tries[index]
            elif isinstance(exc, NeedsConfirmation):
                pending[index] = replace(entry, confirm=set(entry.confirm) | {f.key for f in exc.findings})
            else:
                values = _without_refused(FormRef(entry.subject, "", entry.form), entry.values, exc)
                pending[index] = replace(entry, values=values, complete=False)
    return []


def _without_refused(ref: FormRef, values: Mapping[str, Any], exc: ValuesRefused) -> dict[str, Any]:
    log.warning("Demo: %s left in progress: %s", ref, exc.message)
    refused = {code for f in exc.findings if f.severity is Severity.HARD for code in f.items}
    return {k: v for k, v in values.items() if k not in refused}
