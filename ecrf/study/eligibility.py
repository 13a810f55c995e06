"""Eligibility from the criteria of the eligibility form, with the reasons a subject is not eligible."""
from __future__ import annotations

from dataclasses import dataclass, field

from ecrf.study.expr import Env
from ecrf.study.expr.runtime import known
from ecrf.study.model import Form, Item, Text


@dataclass(frozen=True)
class Reason:
    """Why a criterion is not met (or cannot be decided yet)."""

    item: str
    kind: str  # inclusion | exclusion
    number: int
    text: Text

    def __str__(self) -> str:
        return self.text.en


@dataclass(frozen=True)
class Eligibility:
    eligible: bool | None  # None: not all criteria answered yet
    reasons: tuple[Reason, ...] = ()  # criteria not met
    open: tuple[Reason, ...] = field(default=())  # criteria not answered or not decidable


def criteria_met(form: Form, env: Env) -> bool | None:
    """True when every criterion of `form` is met, False when one is not, None when undecided."""
    result = assess(form, env)
    return result.eligible


def assess(form: Form, env: Env) -> Eligibility:
    reasons: list[Reason] = []
    undecided: list[Reason] = []
    for item in form.criteria:
        state, reason = _assess_item(item, env)
        if state is False:
            reasons.append(reason)
        elif state is None:
            undecided.append(reason)
    eligible = False if reasons else (None if undecided else True)
    return Eligibility(eligible, tuple(reasons), tuple(undecided))


def _assess_item(item: Item, env: Env) -> tuple[bool | None, Reason]:
    criterion = item.criterion
    assert criterion is not None
    kind_en = "Inclusion" if criterion.kind == "inclusion" else "Exclusion"
    kind_zh = "入选标准" if criterion.kind == "inclusion" else "排除标准"
    answer = known(env.values.get(item.code))
    number = criterion.number

    def reason(en: str, zh: str) -> Reason:
        return Reason(item.code, criterion.kind, criterion.number,
                      Text.of(en=f"{_criterion_name(f'{kind_en} {number}', item.label.get('en'), '{0} ({1})')}: {en}",
                              zh=f"{_criterion_name(f'{kind_zh} {number}', item.label.get('zh'), '{0}（{1}）')}：{zh}"))

    if answer is None:
        return None, reason("not answered yet", "尚未回答")
    if answer != criterion.required_answer:
        said_en, said_zh = ("Yes", "是") if answer == "Y" else ("No", "否")
        return False, reason(f"answered {said_en}", f"回答为“{said_zh}”")
    if criterion.rule is not None:
        held = criterion.rule.evaluate(env)
        label = criterion.rule_label or Text.of(en=criterion.rule.text, zh=criterion.rule.text)
        if held is False:
            return False, reason(f"not met: {label.get('en')}", f"不符合：{label.get('zh')}")
        if held is None:
            return None, reason(f"cannot be checked yet: {label.get('en')}", f"暂无法核对：{label.get('zh')}")
    return True, reason("met", "符合")



def _criterion_name(prefix: str, label: str, pattern: str) -> str:
    """`pattern` ("Exclusion 2 (Malignant tumour …)"), or the label alone when it names the criterion itself
    ("Exclusion 2: Malignant tumour …"), so that the screening panel does not say it twice."""
    compact, start = label.replace(" ", ""), prefix.replace(" ", "")
    if compact.startswith(start) and not compact[len(start):len(start) + 1].isdigit():  # not "Exclusion 10"
        return label
    return pattern.format(prefix, label)
