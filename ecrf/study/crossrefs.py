"""Checks across the whole definition, once every file is read: expressions bind, forms are used,
logs are logs, derived values do not go round in circles, eligibility has its criteria."""
from __future__ import annotations

from collections.abc import Iterable

from ecrf.study.expr import Namespace
from ecrf.study.form_loader import PendingExpr
from ecrf.study.model import Form, Study
from ecrf.study.problems import P, Problems

_ACCEPTS = {"bool": ("bool",), "number": ("number",), "text": ("text",), "date": ("date",),
            "yes_no": ("bool", "text"), "any": ()}


def form_visits(study: Study) -> dict[str, tuple[str, ...]]:
    return {code: study.visits_of_form(code) for code in study.forms}


def check_study(study: Study, pending: list[PendingExpr], problems: Problems, study_file: str) -> None:
    _bind_expressions(study, pending, problems)
    _check_form_usage(study, problems, study_file)
    _check_derive_cycles(study.forms.values(), problems)
    _check_eligibility(study, pending, problems, study_file)


def _bind_expressions(study: Study, pending: list[PendingExpr], problems: Problems) -> None:
    visits = form_visits(study)
    logs = frozenset(study.logs)
    for p in pending:
        ns = Namespace(study.forms, p.form, visits, logs)
        for issue in p.expr.bind(ns):
            code = P.BAD_REFERENCE if issue.kind == "reference" else P.TYPE_MISMATCH
            problems.add(p.file, p.line, code, p.where, expr=p.expr.text, detail=issue.detail)
        accepted = _ACCEPTS[p.want]
        if p.expr.is_bound and accepted and p.expr.type not in accepted + ("any",):
            want = "a condition (true/false)" if p.want == "bool" else f"a {p.want.replace('_', '/')} value"
            problems.add(p.file, p.line, P.TYPE_MISMATCH, p.where, expr=p.expr.text,
                         detail=f"gives a {p.expr.type} where {want} is needed")


def _check_form_usage(study: Study, problems: Problems, study_file: str) -> None:
    scheduled = {vf.form for v in study.visits for vf in v.forms}
    for visit in study.visits:
        for vf in visit.forms:
            if vf.form in study.logs:
                problems.add(study_file, vf.line, P.LOG_AT_VISIT, visit.code, form=vf.form, visit=visit.code)
    for code, form in study.forms.items():
        src = form.source
        if code in study.logs:
            if not form.repeating:
                problems.add(src.file, src.line, P.BAD_VALUE, code, what=f"form {code}",
                             detail="it is listed under logs: in study.yaml, so it needs 'repeating: true'")
        elif form.repeating:
            problems.add(src.file, src.line, P.BAD_VALUE, code, what=f"form {code}",
                         detail="a repeating form must be listed under logs: in study.yaml")
        elif code not in scheduled:
            problems.add(src.file, src.line, P.FORM_UNUSED, code, form=code)
    if study.end_of_study_form and study.end_of_study_visit:
        visit = study.visit(study.end_of_study_visit)
        if not any(vf.form == study.end_of_study_form for vf in visit.forms):
            problems.add(study_file, visit.source.line, P.BAD_VALUE, "end_of_study", what="end_of_study",
                         detail=f"form {study.end_of_study_form} is not scheduled at visit {visit.code}")


def _check_derive_cycles(forms: Iterable[Form], problems: Problems) -> None:
    for form in forms:
        graph = {i.code: [c for c in i.derive.local_refs() if form.has_item(c) and form.item(c).is_calculated]
                 for i in form.items if i.derive is not None and i.derive.is_bound}
        cycle = _find_cycle(graph)
        if cycle:
            item = form.item(cycle[0])
            problems.add(item.source.file, item.source.line, P.DERIVE_CYCLE, f"{form.code}.{cycle[0]}",
                         cycle=" → ".join(cycle + [cycle[0]]))


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return path[path.index(nxt):]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for start in graph:
        if start not in state and (found := visit(start)):
            return found
    return None


def _check_eligibility(study: Study, pending: list[PendingExpr], problems: Problems, study_file: str) -> None:
    for p in pending:
        if p.expr.uses_eligible and not study.forms[p.form].criteria:
            problems.add(p.file, p.line, P.NO_CRITERIA, p.where, detail=f"eligible() is used in form {p.form}, "
                         "which has no items with a 'criterion:'; use it in the eligibility form")
    if study.eligibility_form is None:
        return
    form = study.forms[study.eligibility_form]
    if not form.criteria:
        problems.add(form.source.file, form.source.line, P.NO_CRITERIA, form.code,
                     detail=f"form {form.code} is the eligibility form but no item has a 'criterion:'")
    seen: dict[tuple[str, int], str] = {}
    for item in form.criteria:
        criterion = item.criterion
        assert criterion is not None  # form.criteria holds only the items that have one
        key = (criterion.kind, criterion.number)
        if key in seen:
            problems.add(item.source.file, item.source.line, P.DUPLICATE_CODE, f"{form.code}.{item.code}",
                         what=f"{key[0]} criterion number", code=key[1], first=form.item(seen[key]).source.line)
        seen[key] = item.code
