"""The monitoring plan of a study (`forms/monitoring.yaml`): what must be source-verified, which checks raise
queries by themselves, what an investigator's signature means, and what a lock needs. Pure data, read by
`ecrf.study.monitoring_loader`; a study without the file gets `NO_MONITORING` (nothing to verify, no automatic
queries, a plain signature meaning)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from ecrf.errors import EcrfError
from ecrf.study.expr import Env, Expression
from ecrf.study.model import Form, Text

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:
    from typing import Any

MONITORING_FILE = "monitoring.yaml"
ALL = "all"
NONE = "none"


class Policy(StrEnum):
    """What signing does when something is not yet in order: refuse, or warn and let the signer go on."""

    REFUSE = "refuse"
    WARN = "warn"


class LockNeed(StrEnum):
    COMPLETE = "complete"
    QUERIES_CLOSED = "queries_closed"
    SDV_DONE = "sdv_done"


@dataclass(frozen=True)
class SdvRule:
    """Which items of one form must be verified: every item (`items is None`), a listed set, or none (empty).
    `when`, if given, limits the rule to the entries where it holds (unknown counts as holding)."""

    items: tuple[str, ...] | None = ()
    when: Expression | None = None

    @property
    def required(self) -> bool:
        return self.items is None or bool(self.items)

    def covers(self, form: Form) -> tuple[str, ...]:
        """The item codes this rule asks to verify (calculated items included: they are source-checked too)."""
        if self.items is None:
            return tuple(item.code for item in form.items)
        return tuple(code for code in self.items if form.has_item(code))

    def holds(self, values: Mapping[str, Any] | None) -> bool:
        """Whether the rule applies to an entry with these typed values. Without `when`, or when it cannot be
        decided (values not given, an item empty, a value the definition cannot read), it applies: verify
        rather than skip."""
        if self.when is None or values is None:
            return True
        try:
            return self.when.evaluate(Env(dict(values))) is not False
        except (EcrfError, LookupError, TypeError, ValueError):
            return True

    def required_items(self, form: Form, values: Mapping[str, Any] | None) -> tuple[str, ...]:
        """The items to verify on one entry of `form` (the site's services and the bundle's readers agree)."""
        return self.covers(form) if self.required and self.holds(values) else ()


NO_SDV = SdvRule()


@dataclass(frozen=True, eq=False, repr=False)
class SdvPlan:
    """Which items need source data verification: the default rule, then per form and per visit form."""

    default: SdvRule = NO_SDV
    forms: Mapping[str, SdvRule] = field(default_factory=dict)
    visits: Mapping[tuple[str, str], SdvRule] = field(default_factory=dict)  # (visit, form) -> rule

    def rule(self, visit: str, form: str) -> SdvRule:
        """The rule for one form at one visit (visit '' for a log entry): per visit, else per form, else default."""
        return self.visits.get((visit, form)) or self.forms.get(form) or self.default


@dataclass(frozen=True)
class AutoQueryPlan:
    """Which situations raise a query by themselves."""

    confirmed_warnings: frozenset[str] = frozenset()  # forms whose confirmed soft warnings raise a query
    missing_after_days: int | None = None  # required items still empty this long after the window closed


@dataclass(frozen=True)
class SignaturePlan:
    """What the investigator's signature means and what it refuses or warns about."""

    meaning: Text
    meaning_version: str
    empty_required: Policy = Policy.REFUSE
    open_queries: Policy = Policy.WARN


@dataclass(frozen=True)
class LockPlan:
    """What must be done before a form can be locked."""

    needs: frozenset[LockNeed] = frozenset(LockNeed)


DEFAULT_MEANING = Text((("en", "I have reviewed the data signed here and confirm that they are accurate and complete."),
                        ("zh", "本人已审阅此处签署的数据，确认其准确、完整。")))


@dataclass(frozen=True, eq=False, repr=False)
class MonitoringPlan:
    """The study's monitoring rules (monitoring.yaml), with defaults for what it leaves out."""

    sdv: SdvPlan = field(default_factory=SdvPlan)
    auto_queries: AutoQueryPlan = field(default_factory=AutoQueryPlan)
    signature: SignaturePlan = field(default_factory=lambda: SignaturePlan(DEFAULT_MEANING, "default"))
    lock: LockPlan = field(default_factory=LockPlan)

    def __post_init__(self) -> None:
        object.__setattr__(self.sdv, "forms", MappingProxyType(dict(self.sdv.forms)))


NO_MONITORING = MonitoringPlan()
