"""The visit forms of subjects as one transaction has them, kept in memory across a batch of saves.

Every save validates against what its form reads of the subject; reloading that from the database at each save
of a batch cost more than the rest of the save. A batch reads each subject's form instances once (the values of a
form when a save first needs them) and every save of the batch updates its own form here (with the values its rows
now hold), so the copy is never stale within the transaction. Only the saves of that batch write form values while
it is open: a copy must not outlive it.

The monitoring checks of each save (locks that refuse it, signatures it breaks, automatic queries it raises or
closes) read the subject's locks, signatures and automatic queries the same way: once per batch, as row objects of
the transaction's session, which the checks filter exactly as their queries do. A save breaks a signature or moves
a query by changing that very row object, and a query it raises is added here, so the copy stays true; no save of
a batch locks, unlocks or signs.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecrf.services.query_steps import OVERDUE_KEY
from ecrf.services.subject_data import FormRef, find_subject, subject_data_of
from ecrf.store.models import FormInstance, ItemValue, LockRow, QueryRow, SignatureRow, Subject
from ecrf.study.codec import from_text
from ecrf.study.model import Study
from ecrf.study.status import QueryOrigin, SignatureState
from ecrf.study.subject import SubjectData

# (visit, form, timepoint, typed values) by instance id: the order `load_subject_data` puts them in. The values
# are read when a save first needs them (None until then): a save reads a few of a subject's forms, not all.
_Forms = dict[int, tuple[str, str, str, dict[str, Any] | None]]
# Every instance of a subject (log entries and removed ones too) by its place: (visit, form, timepoint, repeat).
_Instances = dict[tuple[str, str, str, int], FormInstance]


class SubjectRecords:
    """One transaction's copy of its subjects' visit forms (not deleted, of forms the study has), and of where
    each of their form instances is."""

    def __init__(self, db: Session, study: Study) -> None:
        self._db, self._study = db, study
        self._forms: dict[int, _Forms] = {}
        self._instances: dict[int, _Instances] = {}
        self._subjects: dict[str, Subject] = {}
        self._locks: dict[int, list[LockRow]] = {}
        self._signatures: dict[int, list[SignatureRow]] = {}
        self._queries: dict[int, list[QueryRow]] = {}

    def data(self, subject: Subject, only: Collection[tuple[str, str]] | None = None) -> SubjectData:
        """What `load_subject_data(db, study, subject, only)` would read now."""
        forms = self._subject_forms(subject)
        chosen = [key for key, (visit, form, _, _) in forms.items() if only is None or (visit, form) in only]
        self._read_values(forms, [key for key in chosen if forms[key][3] is None])
        picked = [forms[key] for key in chosen]
        return subject_data_of(self._study, subject, ((visit, form, timepoint, dict(values or {}))
                                                      for visit, form, timepoint, values in picked), only)

    def subject(self, label: str) -> Subject:
        """`find_subject(db, label)`, once per label."""
        if label not in self._subjects:
            self._subjects[label] = find_subject(self._db, label)
        return self._subjects[label]

    def last_repeat(self, subject: Subject, log_form: str) -> int:
        """The highest repeat of the subject's entries in this log (removed ones too), 0 before the first."""
        self._subject_forms(subject)
        return max((repeat for visit, form, _, repeat in self._instances[subject.id] if not visit and form == log_form),
                   default=0)

    def instance_at(self, subject: Subject, ref: FormRef) -> FormInstance | None:
        """What `find_instance(db, subject, ref)` would find now."""
        self._subject_forms(subject)
        return self._instances[subject.id].get((ref.visit, ref.form, ref.timepoint, ref.repeat))

    def saved(self, instance: FormInstance, rows: Mapping[str, ItemValue],
              written: Mapping[str, tuple[str | None, str | None]]) -> None:
        """A save stored `written` (item → (text, missing)) over the instance's earlier `rows`: keep what its rows
        now hold, typed as a reload would type them, and where the instance is (it may be new)."""
        places = self._instances.get(instance.subject_pk)
        if places is not None:
            places[(instance.visit_code, instance.form_code, instance.timepoint, instance.repeat)] = instance
        # The save inserted its new rows past the session (one executemany): a later save of this instance in the
        # batch reads its rows again rather than a collection that lacks them.
        self._db.expire(instance, ["values"])
        forms = self._forms.get(instance.subject_pk)
        if forms is None or not instance.visit_code or instance.form_code not in self._study.forms:
            return  # not loaded yet (it will be read with this save in it), or not a visit form
        texts = {code: (row.value, row.missing) for code, row in rows.items()} | dict(written)
        forms[instance.id] = (instance.visit_code, instance.form_code, instance.timepoint,
                              self._typed(instance.form_code, texts))

    def _subject_forms(self, subject: Subject) -> _Forms:
        forms = self._forms.get(subject.id)
        if forms is None:
            query = select(FormInstance).where(FormInstance.subject_pk == subject.id).order_by(FormInstance.id)
            instances = list(self._db.scalars(query))
            self._instances[subject.id] = {(i.visit_code, i.form_code, i.timepoint, i.repeat): i for i in instances}
            forms = self._forms[subject.id] = {
                instance.id: (instance.visit_code, instance.form_code, instance.timepoint, None)
                for instance in instances
                if instance.visit_code and not instance.deleted and instance.form_code in self._study.forms}
        return forms

    def _read_values(self, forms: _Forms, keys: list[int]) -> None:
        """The stored values of these instances, read in one query and typed as `typed_values` types them."""
        if not keys:
            return
        texts: dict[int, dict[str, tuple[str | None, str | None]]] = {key: {} for key in keys}
        for form_pk, code, text, missing in self._db.execute(select(
                ItemValue.form_pk, ItemValue.item_code, ItemValue.value, ItemValue.missing).where(
                ItemValue.form_pk.in_(keys)).order_by(ItemValue.id)):
            texts[form_pk][code] = (text, missing)
        for key in keys:
            visit, form, timepoint, _ = forms[key]
            forms[key] = (visit, form, timepoint, self._typed(form, texts[key]))

    def _typed(self, form_code: str, texts: Mapping[str, tuple[str | None, str | None]]) -> dict[str, Any]:
        form = self._study.form(form_code)
        return {code: from_text(form.item(code) if form.has_item(code) else None, text, missing)
                for code, (text, missing) in texts.items()}

    # -- what the monitoring checks of a save read ---------------------------------------------------------

    def active_locks(self, subject: Subject) -> list[LockRow]:
        """The subject's active locks (as `locks.change_refusal` reads them)."""
        if subject.id not in self._locks:
            self._locks[subject.id] = list(self._db.scalars(select(LockRow).where(
                LockRow.subject_pk == subject.id, LockRow.active.is_(True)).order_by(LockRow.id)))
        return self._locks[subject.id]

    def signatures(self, subject: Subject) -> list[SignatureRow]:
        """The subject's signatures valid when first asked (one a save breaks turns BROKEN in place)."""
        if subject.id not in self._signatures:
            self._signatures[subject.id] = list(self._db.scalars(select(SignatureRow).where(
                SignatureRow.subject_pk == subject.id, SignatureRow.state == SignatureState.VALID)
                .order_by(SignatureRow.id)))
        return self._signatures[subject.id]

    def auto_queries(self, subject: Subject) -> list[QueryRow]:
        """The subject's automatic queries and overdue queries in any state, in id order: the list itself, to
        which `ecrf.services.auto_queries` appends each query a save of the batch raises."""
        if subject.id not in self._queries:
            self._queries[subject.id] = list(self._db.scalars(select(QueryRow).where(
                QueryRow.subject_pk == subject.id,
                (QueryRow.origin == QueryOrigin.AUTO) | (QueryRow.check_key == OVERDUE_KEY)).order_by(QueryRow.id)))
        return self._queries[subject.id]
