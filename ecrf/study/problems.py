"""Problems in a study definition: one catalogue of codes and messages, all reported at once."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ecrf.errors import EcrfError, Message, register


class P(StrEnum):
    """Definition problem codes. Each has a message template in MESSAGES."""

    FILE_MISSING = "file-missing"
    YAML_SYNTAX = "yaml-syntax"
    YAML_ALIAS_BOMB = "yaml-alias-bomb"
    DUPLICATE_KEY = "duplicate-key"
    WRONG_SHAPE = "wrong-shape"
    UNKNOWN_KEY = "unknown-key"
    MISSING_KEY = "missing-key"
    BAD_VALUE = "bad-value"
    BAD_CODE = "bad-code"
    UNKNOWN_TYPE = "unknown-type"
    DUPLICATE_CODE = "duplicate-code"
    MISSING_TRANSLATION = "missing-translation"
    UNKNOWN_CODELIST = "unknown-codelist"
    UNKNOWN_FORM = "unknown-form"
    UNKNOWN_ARM = "unknown-arm"
    UNKNOWN_VISIT = "unknown-visit"
    UNKNOWN_TIMEPOINT = "unknown-timepoint"
    UNKNOWN_MISSING_CODE = "unknown-missing-code"
    UNKNOWN_ITEM = "unknown-item"
    KEY_NOT_FOR_TYPE = "key-not-for-type"
    RANGE_ORDER = "range-order"
    SOFT_OUTSIDE_HARD = "soft-outside-hard"
    BAD_EXPRESSION = "bad-expression"
    BAD_REFERENCE = "bad-reference"
    TYPE_MISMATCH = "type-mismatch"
    DERIVE_CYCLE = "derive-cycle"
    FORM_UNUSED = "form-unused"
    FORM_TWICE_AT_VISIT = "form-twice-at-visit"
    LOG_AT_VISIT = "log-at-visit"
    VISIT_ORDER = "visit-order"
    NO_CRITERIA = "no-criteria"
    # the chart file, display/charts.yaml (display only; its other problems use the codes above)
    CHART_WRONG_STUDY = "chart-wrong-study"
    CHART_NOT_NUMERIC = "chart-not-numeric"
    CHART_BAD_AXIS = "chart-bad-axis"
    CHART_INFUSION_ITEM = "chart-infusion-item"
    # The demo scenario (forms/demo/scenario.yaml), checked by ecrf.demo.scenario_check.
    DEMO_UNKNOWN_FATE = "demo-unknown-fate"
    DEMO_BAD_SPEC = "demo-bad-spec"
    DEMO_OUT_OF_RANGE = "demo-out-of-range"
    DEMO_NOT_IN_CODELIST = "demo-not-in-codelist"
    DEMO_NOT_A_LOG = "demo-not-a-log"
    DEMO_BAD_EVENT = "demo-bad-event"


MESSAGES: dict[P, str] = {
    P.FILE_MISSING: "{what} is missing: {hint}",
    P.YAML_SYNTAX: "{detail}; fix the YAML at this line (indentation, a missing ':' or an unclosed quote)",
    P.YAML_ALIAS_BOMB: "{detail}, far more than any study definition needs (at most {max_aliases} aliases and "
                       "{max_values:,} values); write the values out or use fewer anchors and aliases (*name)",
    P.DUPLICATE_KEY: "key '{key}' is given twice; YAML would silently keep only the last one — remove one",
    P.WRONG_SHAPE: "{what} must be {expected}, not {got}",
    P.UNKNOWN_KEY: "unknown key '{key}' in {what}{hint}; allowed keys: {allowed}",
    P.MISSING_KEY: "{what} needs '{key}'",
    P.BAD_VALUE: "{what}: {detail}",
    P.BAD_CODE: "code '{code}' is not valid: use {rule}",
    P.UNKNOWN_TYPE: "unknown item type '{type}'{hint}; use one of: {allowed}",
    P.DUPLICATE_CODE: "{what} '{code}' is defined twice (first at line {first}); codes must be unique",
    P.MISSING_TRANSLATION: "{what} has no '{lang}' text; every label needs {langs}",
    P.UNKNOWN_CODELIST: "codelist '{name}' is not defined{hint}; define it in codelists.yaml or the form's codelists",
    P.UNKNOWN_FORM: "form '{form}' is not defined{hint}; add a form file with this code or fix the name",
    P.UNKNOWN_ARM: "arm '{arm}' is not defined; arms are: {allowed}",
    P.UNKNOWN_VISIT: "visit '{visit}' is not defined; visits are: {allowed}",
    P.UNKNOWN_TIMEPOINT: "timepoint '{tp}' is not defined under timepoints:{hint}",
    P.UNKNOWN_MISSING_CODE: "missing code '{code}' is not defined under missing_codes: (defined: {allowed})",
    P.UNKNOWN_ITEM: "item '{item}' is not in form {form}{hint}",
    P.KEY_NOT_FOR_TYPE: "'{key}' does not apply to a {type} item; remove it or change the type",
    P.RANGE_ORDER: "{which} range {low}–{high}: the minimum is greater than the maximum",
    P.SOFT_OUTSIDE_HARD: "soft range {soft} lies outside the hard range {hard}; "
                         "a warning range must sit inside the refusal range",
    P.BAD_EXPRESSION: "expression {expr!r}: {detail}",
    P.BAD_REFERENCE: "expression {expr!r}: {detail}",
    P.TYPE_MISMATCH: "expression {expr!r}: {detail}",
    P.DERIVE_CYCLE: "derived items depend on each other in a circle: {cycle}",
    P.FORM_UNUSED: "form '{form}' is used by no visit and is not a log; schedule it or remove the file",
    P.FORM_TWICE_AT_VISIT: "form '{form}' is asked for twice at visit {visit} for arm {arm}; "
                           "use timepoints: to repeat a form",
    P.LOG_AT_VISIT: "form '{form}' is a log (repeating) and cannot be scheduled at visit {visit}",
    P.VISIT_ORDER: "visit {visit} (day {day}) comes after visit {prev} (day {prev_day}); "
                   "list visits in chronological order",
    P.NO_CRITERIA: "{detail}",
    # the chart file
    P.CHART_WRONG_STUDY: "the chart file is written for study '{found}', not {oid}; "
                         "correct 'study:' or remove the file",
    P.CHART_NOT_NUMERIC: "{form}.{item} is a {type} item and cannot be plotted; chart a number item or a single "
                         "choice with whole-number codes",
    P.CHART_BAD_AXIS: "'axis' must be [low, high] with two numbers and low < high, not {got}",
    P.CHART_INFUSION_ITEM: "'{key}' must name a {expected} item; {form}.{item} is a {type} item",
    P.DEMO_UNKNOWN_FATE: "fate '{fate}' is not known; fates are: {allowed}",
    P.DEMO_BAD_SPEC: "value spec of {item}: {detail} (see 'Demo scenario' in docs/forms-format.md)",
    P.DEMO_OUT_OF_RANGE: "{item}: {value} lies outside the item's hard range {range}; the demo could never save it",
    P.DEMO_NOT_IN_CODELIST: "{item}: '{value}' is not a code of its codelist {codelist} (codes: {allowed})",
    P.DEMO_NOT_A_LOG: "form '{form}' is not a log of the study (logs: {allowed}); only logs take entries",
    P.DEMO_BAD_EVENT: "event '{event}': {detail}",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem of the definition: where it is (file, line, what) and what to do about it."""

    file: str
    line: int
    code: P
    where: str  # the item, form, visit or key the problem is about
    message: str

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return f"{self.file}:{self.line}: [{self.code.value}]{where} {self.message}"


@dataclass
class Problems:
    """Collects every problem of a definition so they are reported together."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int, code: P, where: str = "", /, **params: object) -> None:
        self.items.append(Problem(file, line, code, where, MESSAGES[code].format(**params)))

    def __bool__(self) -> bool:
        return bool(self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: (p.file, p.line, p.code.value, p.where, p.message))


class DefinitionError(EcrfError):
    """The definition has problems; `problems` lists all of them (each with its own code, above)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__("definition-problems", count=len(problems), first=first + more)


register("study", {
    "definition-problems": Message(
        "The study definition has {count} problem(s): {first}.",
        "Run `ecrf check-forms` on the definition folder to see them all, fix them, then start again.",
        "研究定义有 {count} 个问题：{first}。",
        "请对定义文件夹运行 `ecrf check-forms` 查看全部问题，修正后重新启动。"),
})
