"""Values for the demo from the definition, refined by the scenario's value specs.

Every value is a pure function of (subject, moment, form, item): its random generator is seeded by
them, so an item that follows another (`from:`) recomputes the same value in any order, and the
same plan always gives the same data. Without a spec an item gets a valid, unremarkable value from
its type, ranges, precision and codelist (generic.py); skip logic is respected by leaving hidden
items out. Eligibility criteria, log dates and a log's check item come from the plan.
"""
from __future__ import annotations

from random import Random
from typing import Any

from ecrf.demo.generic import drop_hidden, fit, generic_value
from ecrf.demo.moment import Moment
from ecrf.demo.plan import SEED
from ecrf.demo.scenario import LogRoles, Scenario
from ecrf.demo.specs import SpecRun
from ecrf.study.model import Form, Item, Study
from ecrf.study.subject import Where
from ecrf.study.validate import validate_form
from ecrf.study.values import PartialDate


class ValueMaker:
    """Makes the values of forms for moments of subjects, from the definition and the scenario."""

    def __init__(self, study: Study, scenario: Scenario) -> None:
        self.study, self.scenario = study, scenario
        self.arm_types = {a.code: a.type for a in study.arms}
        self.log_roles = {code: self._roles(code) for code in study.logs}

    def generic(self, item: Item, moment: Moment, rng: Random) -> Any:
        """The definition's own value for an item (a spec with modifiers only starts from it)."""
        return generic_value(item, moment, rng)

    def _roles(self, code: str) -> LogRoles:
        """The scenario's roles for a log, else CDASH conventions: --STDAT, --ENDAT and --ONGO items."""
        given = self.scenario.logs.get(code)
        if given is not None:
            return given
        form = self.study.form(code)

        def ending(suffix: str) -> str | None:
            return next((i.code for i in form.items if i.cdash.endswith(suffix)), None)

        return LogRoles(ending("STDAT"), ending("ENDAT"), ending("ONGO"))

    # -- a whole form ---------------------------------------------------------------------------

    def form_values(self, form: Form, moment: Moment) -> dict[str, Any]:
        """Values for every item the form shows (calculated items are left to the services)."""
        values: dict[str, Any] = {}
        for item in form.items:
            if not item.is_calculated:
                value = self.value_of(form.code, item.code, moment)
                if value is not None:
                    values[item.code] = value
        return drop_hidden(form, values, moment)

    def value_of(self, form_code: str, item_code: str, moment: Moment) -> Any:
        """The value one item has at `moment` (cached: the same for every item that reads it)."""
        key = (form_code, item_code)
        if key not in moment.cache:
            moment.cache[key] = None  # a spec that reads itself ends as empty, not as a recursion error
            moment.cache[key] = self._make(self.study.form(form_code), form_code, item_code, moment)
        return moment.cache[key]

    def _make(self, form: Form, form_code: str, item_code: str, moment: Moment) -> Any:
        item = form.item(item_code)
        if item.is_calculated:
            return self._derived(form, item_code, moment)
        if item.criterion is not None:
            return self._criterion(item, moment)
        spec = self._spec(form_code, item_code, moment)
        if spec is _ROLE:
            return self._role_value(form_code, item_code, item, moment)
        rng = Random(f"{SEED}:{moment.plan.index}:{moment.key}:{form_code}:{item_code}")
        if spec is None:
            return generic_value(item, moment, rng)
        return fit(item, SpecRun(self, item, form_code, moment, rng).evaluate(spec))

    def _spec(self, form_code: str, item_code: str, moment: Moment) -> Any:
        """An event's override at this visit, the log's date role, or the scenario's spec."""
        override = moment.plan.overrides.get(moment.visit, {}).get(form_code, {}) if moment.visit else {}
        if item_code in override:
            return override[item_code]
        if item_code in moment.specs:
            return moment.specs[item_code]
        roles = self.log_roles.get(form_code)
        if roles and item_code in (roles.start, roles.end, roles.ongoing):
            return _ROLE
        check = self._check_item(form_code, item_code)
        if check:
            return "Y" if moment.visit in moment.plan.announced else "N"
        return self.scenario.spec(form_code, item_code)

    def _check_item(self, form_code: str, item_code: str) -> bool:
        return any(r.check == f"{form_code}.{item_code}" for r in self.log_roles.values())

    def _role_value(self, form_code: str, item_code: str, item: Item, moment: Moment) -> Any:
        roles = self.log_roles[form_code]
        if item_code == roles.start:
            return PartialDate(moment.on.year, moment.on.month) if moment.partial_start else moment.on
        if item_code == roles.end:
            return moment.end
        return "N" if moment.end is not None else "Y"

    def _criterion(self, item: Item, moment: Moment) -> Any:
        assert item.criterion is not None
        answer = item.criterion.required_answer
        if item.code == moment.plan.failed_item:
            return "N" if answer == "Y" else "Y"
        if moment.plan.fate == "screening" and item.criterion.kind == "exclusion":
            return None  # still being screened: the exclusions are not answered yet
        return answer

    def _derived(self, form: Form, item_code: str, moment: Moment) -> Any:
        """A calculated item as the services will compute it, from the items its expression reads."""
        reads = _reads(form, item_code)
        values = {code: self.value_of(form.code, code, moment) for code in reads}
        return validate_form(form, values, where=Where(moment.visit, moment.timepoint, moment.today)).derived.get(
            item_code)


def _reads(form: Form, item_code: str) -> set[str]:
    """The entered items a calculated item depends on, through other calculated items too."""
    found: set[str] = set()
    pending = [item_code]
    while pending:
        derive = form.item(pending.pop()).derive
        for ref in derive.local_refs() if derive is not None else ():
            if form.has_item(ref) and form.item(ref).is_calculated:
                pending.append(ref)
            elif form.has_item(ref):
                found.add(ref)
    return found


_ROLE = object()  # marks an item whose value is the log entry's date or ongoing flag
