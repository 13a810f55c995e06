"""Screening: eligibility of a subject from the values entered on the eligibility form."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ecrf.study.eligibility import Eligibility, assess
from ecrf.study.expr import Env
from ecrf.study.model import Study
from ecrf.study.subject import SubjectData, Where
from ecrf.study.validate import validate_form


def eligibility_of(study: Study, values: Mapping[str, Any], subject: SubjectData | None = None,
                   where: Where | None = None) -> Eligibility:
    """Eligible, not eligible (with the reasons) or undecided (with the open criteria).

    `values` are the eligibility form's entries (raw or typed); `subject` supplies the other forms
    the criteria read, such as the age from demographics.
    """
    if study.eligibility_form is None:
        return Eligibility(True)
    form = study.form(study.eligibility_form)
    where = where or Where(visit=(study.visits_of_form(form.code) or ("",))[0])
    checked = validate_form(form, values, subject=subject, where=where)
    env = Env({**checked.values, **checked.derived}, where.lookup(subject), where.context(subject))
    return assess(form, env)
