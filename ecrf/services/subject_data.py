"""Reading a subject's stored data back into the study layer's types (SubjectData, typed values)."""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import bindparam, select, tuple_
from sqlalchemy.orm import Session, selectinload

from ecrf.services.errors import NotFound
from ecrf.store.models import FormInstance, Subject
from ecrf.study.codec import from_text
from ecrf.study.model import Form, ItemType, Study
from ecrf.study.subject import SubjectData


@dataclass(frozen=True)
class FormRef:
    """Where a form instance lives: subject (id or screening number), visit, form, timepoint, repeat.
    Log entries (adverse events, medications) have visit '' and repeat 1, 2, ..."""

    subject: str
    visit: str
    form: str
    timepoint: str = ""
    repeat: int = 0

    def __str__(self) -> str:
        where = f"{self.visit}/{self.form}" if self.visit else f"{self.form} #{self.repeat}"
        return f"{self.subject} {where}{'/' + self.timepoint if self.timepoint else ''}"


# Built once with a parameter, as _INSTANCE_AT below: every service call finds its subject, and building the
# statement cost more than running it.
_SUBJECT_LABELLED = select(Subject).where((Subject.subject_id == bindparam("label"))
                                          | (Subject.screening_no == bindparam("label")))


def find_subject(db: Session, label: str) -> Subject:
    subject = db.scalar(_SUBJECT_LABELLED, {"label": label})
    if subject is None:
        raise NotFound("subject-not-found", label=label)
    return subject


# Built once with parameters too: every save looks its form up.
_INSTANCE_AT = select(FormInstance).options(selectinload(FormInstance.values)).where(
    FormInstance.subject_pk == bindparam("subject_pk"), FormInstance.visit_code == bindparam("visit"),
    FormInstance.form_code == bindparam("form"), FormInstance.timepoint == bindparam("timepoint"),
    FormInstance.repeat == bindparam("repeat"))


def find_instance(db: Session, subject: Subject, ref: FormRef) -> FormInstance | None:
    return db.scalar(_INSTANCE_AT, {"subject_pk": subject.id, "visit": ref.visit, "form": ref.form,
                                    "timepoint": ref.timepoint, "repeat": ref.repeat})


class StoredValue(Protocol):
    """A stored value as an `ItemValue` row or a plain row of its columns has it."""

    @property
    def item_code(self) -> str: ...

    @property
    def value(self) -> str | None: ...

    @property
    def missing(self) -> str | None: ...


def typed_values(form: Form, rows: Iterable[StoredValue]) -> dict[str, Any]:
    return {row.item_code: from_text(form.item(row.item_code) if form.has_item(row.item_code) else None,
                                     row.value, row.missing) for row in rows}


def load_subject_data(db: Session, study: Study, subject: Subject,
                      only: Collection[tuple[str, str]] | None = None) -> SubjectData:
    """Everything expressions may read across forms, and the date each visit took place.

    `only` limits the load to those (visit, form) pairs: a save needs only what its form reads, and the forms of
    its visit for the visit's date. The dates of visits whose forms were not loaded are then unknown."""
    query = select(FormInstance).options(selectinload(FormInstance.values)).where(
        FormInstance.subject_pk == subject.id, FormInstance.visit_code != "", FormInstance.deleted.is_(False))
    if only is not None:
        query = query.where(tuple_(FormInstance.visit_code, FormInstance.form_code).in_(sorted(only)))
    forms = [(instance.visit_code, instance.form_code, instance.timepoint,
              typed_values(study.form(instance.form_code), instance.values))
             for instance in db.scalars(query) if instance.form_code in study.forms]
    return subject_data_of(study, subject, forms, only)


def subject_data_of(study: Study, subject: Subject, forms: Iterable[tuple[str, str, str, dict[str, Any]]],
                    only: Collection[tuple[str, str]] | None = None) -> SubjectData:
    """The SubjectData of typed visit forms given as (visit, form, timepoint, values), limited to `only` as in
    `load_subject_data` (which reads them from the database; a batch of saves keeps them in memory)."""
    data = SubjectData(arm=subject.arm, day0=date.fromisoformat(subject.day0) if subject.day0 else None)
    for visit, form, timepoint, values in forms:
        if only is None or (visit, form) in only:
            data.put(visit, form, values, timepoint)
    # Only a visit with a form loaded can have a date: with `only`, that is a few visits, not the whole schedule.
    wanted = None if only is None else {visit for visit, _ in only}
    for code in (v.code for v in study.visits if wanted is None or v.code in wanted):
        seen = visit_date(study, data, code)
        if seen is not None:
            data.visit_dates[code] = seen
    return data


def visit_date(study: Study, data: SubjectData, visit_code: str) -> date | None:
    """The visit's date: the first date item, in the schedule's form order, that has a full date
    (the first form of a visit is the one filled on arrival, e.g. consent or the infusion record)."""
    for visit_form in study.visit(visit_code).forms_for(data.arm):
        if visit_form.form == study.end_of_study_form:
            continue  # its date is when participation ended, not a day the subject was seen
        form = study.form(visit_form.form)
        for timepoint in visit_form.timepoints or ("",):
            values = data.forms.get((visit_code, form.code, timepoint), {})
            for item in form.items:
                if item.value_type is ItemType.DATE and type(values.get(item.code)) is date:
                    return values[item.code]
    return None
