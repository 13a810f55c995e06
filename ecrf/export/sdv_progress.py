"""Source data verification per form instance, from the records alone: which items the monitoring plan asks to
verify ("n of m verified"), which verified values changed since, and who verified last. The casebook and the
monitoring visit report print it; nothing here reads the database.

Only complete forms can be verified (a monitor verifies finished entry), so an unfinished form with required
items is "not yet complete" rather than "not verified". A rule's `when` is evaluated over the form's own values;
when it cannot be decided (a value missing, another form referred to) it counts as holding, as the plan says.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ecrf.errors import EcrfError
from ecrf.export.records import FormRecord, SdvRecord, SubjectRecord
from ecrf.study.codec import from_text
from ecrf.study.model import Form, Study
from ecrf.study.monitoring import SdvRule
from ecrf.study.status import FormStatus, SdvState

FormKey = tuple[str, str, str, int]  # visit, form, timepoint, repeat


@dataclass(frozen=True)
class FormSdv:
    """One form instance's verification as of the export."""

    record: FormRecord
    required: tuple[str, ...]  # item codes the plan asks to verify here ('' = none)
    verified: tuple[str, ...]  # required or not, verified and unchanged since
    changed: tuple[str, ...]  # verified, then the value changed: to re-check
    last: SdvRecord | None  # the latest verification on this form

    @property
    def complete(self) -> bool:
        return self.record.status == FormStatus.COMPLETE

    @property
    def done(self) -> int:
        """How many of the required items are verified and unchanged."""
        return len(set(self.required) & set(self.verified))

    @property
    def state(self) -> SdvState:
        """The form's roll-up: not required, verified (every required item), changed since verified, or not."""
        if self.changed:
            return SdvState.CHANGED
        if not self.required:
            return SdvState.NOT_REQUIRED
        return SdvState.VERIFIED if self.done == len(self.required) else SdvState.NOT_VERIFIED

    @property
    def outstanding(self) -> bool:
        """A complete form whose required verification is not done (or must be redone)."""
        return self.complete and self.state in (SdvState.NOT_VERIFIED, SdvState.CHANGED)


def key_of(record: FormRecord | SdvRecord) -> FormKey:
    return record.visit, record.form, record.timepoint, record.repeat


def subject_sdv(study: Study, subject: SubjectRecord) -> list[FormSdv]:
    """Every current form instance that must be verified or has been, in the subject's form order."""
    marks: dict[FormKey, list[SdvRecord]] = {}
    for mark in subject.sdv:
        marks.setdefault(key_of(mark), []).append(mark)
    found = []
    for record in subject.forms:
        if record.deleted:
            continue
        progress = form_sdv(study, record, marks.get(key_of(record), ()))
        if progress.required or progress.verified or progress.changed:
            found.append(progress)
    return found


def form_sdv(study: Study, record: FormRecord, marks: Sequence[SdvRecord]) -> FormSdv:
    form = study.forms.get(record.form)
    required = _required(study.monitoring.sdv.rule(record.visit, record.form), form, record) if form else ()
    verified = tuple(m.item for m in marks if m.state == SdvState.VERIFIED)
    changed = tuple(m.item for m in marks if m.state == SdvState.CHANGED)
    last = max(marks, key=lambda m: m.verified_at, default=None)
    return FormSdv(record, required, verified, changed, last)


def _required(rule: SdvRule, form: Form, record: FormRecord) -> tuple[str, ...]:
    return rule.required_items(form, _typed(form, record) if rule.when is not None else None)


def _typed(form: Form, record: FormRecord) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for value in record.values:
        if form.has_item(value.item):
            try:
                values[value.item] = from_text(form.item(value.item), value.value, value.missing)
            except (EcrfError, ValueError):
                continue  # a value the current definition cannot read: unknown
    return values


def count_outstanding(progress: Iterable[FormSdv]) -> int:
    return sum(1 for p in progress if p.outstanding)
