"""Read `forms/monitoring.yaml` into a MonitoringPlan, recording every problem in the definition's catalogue
(format: docs/forms-format.md, "Monitoring plan"). Like the other readers it never raises: a wrong entry is
left out and reported, so `ecrf check-forms` lists every problem at once."""
from __future__ import annotations

from collections.abc import Collection

from ecrf.study.form_loader import PendingExpr
from ecrf.study.model import Study
from ecrf.study.monitoring import (
    ALL,
    NO_SDV,
    NONE,
    AutoQueryPlan,
    LockNeed,
    LockPlan,
    MonitoringPlan,
    Policy,
    SdvPlan,
    SdvRule,
    SignaturePlan,
)
from ecrf.study.problems import P
from ecrf.study.reader import Reader, did_you_mean
from ecrf.study.yamlsource import LineMap

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:
    from typing import Any

PLAN_KEYS = ("sdv", "auto_queries", "signature", "lock")
SDV_KEYS = ("default", "forms", "visits")
RULE_KEYS = ("items", "when")
AUTO_KEYS = ("confirmed_warnings", "missing_after_days")
SIGNATURE_KEYS = ("meaning", "empty_required", "open_queries")
MEANING_KEYS = ("version",)
LOCK_KEYS = ("needs",)


def read_monitoring(doc: LineMap, study: Study, r: Reader,
                    damaged: Collection[str] = ()) -> tuple[MonitoringPlan, list[PendingExpr]]:
    """The plan in `doc` (the parsed file) and the `when` conditions still to bind against the study.
    `damaged` are the definition files that already have problems: a form or item missing only because of
    them is not reported again (as in `ecrf.study.chart_reader`)."""
    r.keys(doc, ("monitoring",), ("monitoring",), "the monitoring file", "monitoring")
    body = r.mapping(doc.get("monitoring"), doc.line_of("monitoring"), "'monitoring'", "monitoring") \
        if doc.get("monitoring") is not None else None
    if body is None:
        return MonitoringPlan(), []
    reader = _PlanReader(r, study, frozenset(damaged))
    r.keys(body, PLAN_KEYS, (), "'monitoring'", "monitoring")
    plan = MonitoringPlan(
        sdv=reader.sdv(body.get("sdv"), body.line_of("sdv")),
        auto_queries=reader.auto(body.get("auto_queries"), body.line_of("auto_queries")),
        signature=reader.signature(body.get("signature"), body.line_of("signature")),
        lock=reader.lock(body.get("lock"), body.line_of("lock")))
    return plan, reader.pending


class _PlanReader:
    def __init__(self, r: Reader, study: Study, damaged: frozenset[str]) -> None:
        self.r, self.study, self.damaged = r, study, damaged
        self.pending: list[PendingExpr] = []
        # A form file with problems that gave no form at all: any form name may be missing because of it.
        self.forms_lost = bool(damaged - {form.source.file for form in study.forms.values()})

    def unknown_form(self, form: object, line: int, where: str) -> None:
        if not self.forms_lost:
            self.r.add(line, P.UNKNOWN_FORM, where, form=form, hint=did_you_mean(form, self.study.forms))

    # -- source data verification ------------------------------------------------------------------------
    def sdv(self, raw: Any, line: int) -> SdvPlan:
        if raw is None:
            return SdvPlan()
        m = self.r.mapping(raw, line, "'sdv'", "monitoring sdv")
        if m is None:
            return SdvPlan()
        self.r.keys(m, SDV_KEYS, (), "'sdv'", "monitoring sdv")
        default = self.rule(m.get("default", NONE), m.line_of("default"), None, "sdv default")
        forms = self.form_rules(m.get("forms"), m.line_of("forms"), "sdv forms")
        visits = self.visit_rules(m["visits"], m.line_of("visits")) if m.get("visits") is not None else {}
        return SdvPlan(default or NO_SDV, forms, visits)

    def visit_rules(self, raw: Any, line: int) -> dict[tuple[str, str], SdvRule]:
        visits: dict[tuple[str, str], SdvRule] = {}
        vm = self.r.mapping(raw, line, "'sdv visits'", "monitoring sdv")
        if vm is None:
            return visits
        for visit, body in vm.items():
            if visit not in {v.code for v in self.study.visits}:
                self.r.add(vm.line_of(visit), P.UNKNOWN_VISIT, "monitoring sdv", visit=visit,
                           allowed=", ".join(v.code for v in self.study.visits))
                continue
            for form, rule in self.form_rules(body, vm.line_of(visit), f"sdv visit {visit}").items():
                visits[(visit, form)] = rule
        return visits

    def form_rules(self, raw: Any, line: int, where: str) -> dict[str, SdvRule]:
        if raw is None:
            return {}
        m = self.r.mapping(raw, line, f"'{where}'", f"monitoring {where}")
        if m is None:
            return {}
        rules: dict[str, SdvRule] = {}
        for form, body in m.items():
            if form not in self.study.forms:
                self.unknown_form(form, m.line_of(form), f"monitoring {where}")
                continue
            rule = self.rule(body, m.line_of(form), str(form), f"{where} {form}")
            if rule is not None:
                rules[str(form)] = rule
        return rules

    def rule(self, raw: Any, line: int, form: str | None, where: str) -> SdvRule | None:
        """`all`, `none`, a list of item codes, or {items: all | [codes], when: "condition"}."""
        when = None
        if isinstance(raw, LineMap) and form is not None:
            self.r.keys(raw, RULE_KEYS, ("items",), f"'{where}'", f"monitoring {where}")
            when = self.r.expression(raw, "when", f"monitoring {where}")
            if when is not None:
                self.pending.append(PendingExpr(when, self.r.file, raw.line_of("when"), f"monitoring {where}",
                                                form, "bool"))
            line, raw = raw.line_of("items"), raw.get("items")
        if raw == ALL:
            return SdvRule(None, when)
        if raw == NONE:
            return NO_SDV
        if isinstance(raw, list) and form is not None:
            items = tuple(str(code) for code in raw)
            known = self.study.forms[form]
            for code in items:
                if not known.has_item(code) and known.source.file not in self.damaged:
                    self.r.add(line, P.UNKNOWN_ITEM, f"monitoring {where}", item=code, form=form,
                               hint=did_you_mean(code, [i.code for i in known.items]))
            return SdvRule(tuple(code for code in items if known.has_item(code)), when)
        expected = "'all' or 'none'" if form is None else "'all', 'none' or a list of item codes"
        self.r.add(line, P.BAD_VALUE, f"monitoring {where}", what=where, detail=f"must be {expected}, not {raw!r}")
        return None

    # -- automatic queries, signature, lock ----------------------------------------------------------
    def auto(self, raw: Any, line: int) -> AutoQueryPlan:
        m = self.r.mapping(raw, line, "'auto_queries'", "monitoring auto_queries") if raw is not None else None
        if m is None:
            return AutoQueryPlan()
        self.r.keys(m, AUTO_KEYS, (), "'auto_queries'", "monitoring auto_queries")
        forms = self.forms_list(m, "confirmed_warnings")
        days = self.r.integer(m, "missing_after_days", "'missing_after_days'", "monitoring auto_queries", minimum=0)
        return AutoQueryPlan(frozenset(forms), days)

    def forms_list(self, m: LineMap, key: str) -> list[str]:
        raw = m.get(key)
        if raw is None:
            return []
        seq = self.r.sequence(raw, m.line_of(key), f"'{key}'", f"monitoring {key}")
        found = []
        for form in seq or []:
            if form in self.study.forms:
                found.append(str(form))
            else:
                self.unknown_form(form, m.line_of(key), f"monitoring {key}")
        return found

    def signature(self, raw: Any, line: int) -> SignaturePlan:
        default = MonitoringPlan().signature
        m = self.r.mapping(raw, line, "'signature'", "monitoring signature") if raw is not None else None
        if m is None:
            return default
        self.r.keys(m, SIGNATURE_KEYS, ("meaning",), "'signature'", "monitoring signature")
        meaning, version = default.meaning, default.meaning_version
        mm = self.r.mapping(m.get("meaning"), m.line_of("meaning"), "'meaning'", "monitoring signature") \
            if m.get("meaning") is not None else None
        if mm is not None:
            texts = LineMap()
            texts.line = mm.line
            for key, value in mm.items():
                if key != "version":
                    texts[key] = value
                    texts.key_lines[key] = mm.line_of(key)
            found = self.r.text_value(texts, mm.line, "'meaning'", "monitoring signature")
            meaning = found or meaning
            version = self.r.string(mm, "version", "'meaning'", "monitoring signature") or ""
            if not version:
                self.r.add(mm.line, P.MISSING_KEY, "monitoring signature", what="'meaning'", key="version")
        return SignaturePlan(meaning, version or default.meaning_version,
                             self.policy(m, "empty_required", Policy.REFUSE),
                             self.policy(m, "open_queries", Policy.WARN))

    def policy(self, m: LineMap, key: str, default: Policy) -> Policy:
        found = self.r.choice(m, key, [p.value for p in Policy], f"'{key}'", "monitoring signature")
        return Policy(found) if found else default

    def lock(self, raw: Any, line: int) -> LockPlan:
        m = self.r.mapping(raw, line, "'lock'", "monitoring lock") if raw is not None else None
        if m is None:
            return LockPlan()
        self.r.keys(m, LOCK_KEYS, (), "'lock'", "monitoring lock")
        seq: list[Any] = self.r.sequence(m.get("needs", []), m.line_of("needs"), "'needs'", "monitoring lock") or []
        needs = set()
        for need in seq:
            if need in {n.value for n in LockNeed}:
                needs.add(LockNeed(need))
            else:
                self.r.add(m.line_of("needs"), P.BAD_VALUE, "monitoring lock", what="'needs'",
                           detail=f"{need!r} is not one of {', '.join(n.value for n in LockNeed)}")
        return LockPlan(frozenset(needs))
