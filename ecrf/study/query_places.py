"""Where a query can be: shared by the site, which raises queries on its own data, and the sponsor, which raises
them on merged data and sends them back (the study decides what exists, whoever asks)."""
from __future__ import annotations

from ecrf.study.model import Study
from ecrf.study.status import Scope


def place_problem(study: Study, scope: Scope, visit: str, form: str, repeat: int, item: str) -> str:
    """Why the place is not one of the study ('' when it is): a visit of the schedule (or '' with a repeat for a
    log entry), a form asked there, an item of that form."""
    visits = {v.code: v for v in study.visits}
    if scope == Scope.VISIT:
        return "" if visit in visits else f"there is no visit {visit!r}"
    if form not in study.forms:
        return f"there is no form {form!r}"
    if visit == "":
        if form not in study.logs or repeat < 1:
            return f"{form} is not a log form"
    elif visit not in visits:
        return f"there is no visit {visit!r}"
    elif form not in {vf.form for vf in visits[visit].forms}:
        return f"{form} is not asked at {visit}"
    if scope == Scope.ITEM and not study.form(form).has_item(item):
        return f"{form} has no item {item!r}"
    if scope not in (Scope.ITEM, Scope.FORM):
        return f"a query cannot be on a {scope}"
    return ""
