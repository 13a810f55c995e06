"""Findings about entered values: a code, a severity, and a message in every language.

hard       — refused: the value is not stored.
soft       — a warning: stored only once the user confirms it (the confirmation is stored too).
incomplete — a required answer is missing: the form can be saved, not marked complete.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ecrf.study.model import Text


class Severity(StrEnum):
    HARD = "hard"
    SOFT = "soft"
    INCOMPLETE = "incomplete"


class F(StrEnum):
    """Finding codes; each has an English and a Chinese message in MESSAGES."""

    NOT_A_NUMBER = "not-a-number"
    DECIMAL_COMMA = "decimal-comma"
    NOT_WHOLE = "not-whole-number"
    TOO_MANY_DECIMALS = "too-many-decimals"
    BAD_DATE = "bad-date"
    IMPOSSIBLE_DATE = "impossible-date"
    BAD_PARTIAL_DATE = "bad-partial-date"
    FUTURE_DATE = "future-date"
    BAD_TIME = "bad-time"
    BAD_DATETIME = "bad-datetime"
    NOT_IN_CODELIST = "not-in-codelist"
    DUPLICATE_CHOICE = "duplicate-choice"
    TOO_LONG = "too-long"
    CONTROL_CHARACTER = "control-character"
    BROKEN_CHARACTER = "broken-character"
    TOO_MANY_DIGITS = "too-many-digits"
    WRONG_VALUE_TYPE = "wrong-value-type"
    BELOW_HARD = "below-hard-range"
    ABOVE_HARD = "above-hard-range"
    OUTSIDE_SOFT = "outside-soft-range"
    REQUIRED = "required"
    MISSING_NOT_ALLOWED = "missing-code-not-allowed"
    HIDDEN_HAS_VALUE = "hidden-item-has-value"
    CALCULATED_READ_ONLY = "calculated-read-only"
    UNKNOWN_ITEM = "unknown-item"
    CHECK_FAILED = "check-failed"


MESSAGES: dict[F, tuple[str, str]] = {
    F.NOT_A_NUMBER: ("{label}: '{raw}' is not a number; type digits, e.g. {example}.",
                     "{label}：“{raw}”不是数字；请输入数字，例如 {example}。"),
    F.DECIMAL_COMMA: ("{label}: use a point as the decimal separator: {suggestion}, not {raw}.",
                      "{label}：小数点请用“.”：应为 {suggestion}，而不是 {raw}。"),
    F.NOT_WHOLE: ("{label}: '{raw}' must be a whole number.",
                  "{label}：“{raw}”必须是整数。"),
    F.TOO_MANY_DECIMALS: ("{label}: at most {precision} digit(s) after the point; '{raw}' has more.",
                          "{label}：小数点后最多 {precision} 位；“{raw}”超过了。"),
    F.BAD_DATE: ("{label}: '{raw}' is not a date; write YYYY-MM-DD, e.g. 2020-02-15.",
                 "{label}：“{raw}”不是有效日期；请按 YYYY-MM-DD 填写，例如 2020-02-15。"),
    F.IMPOSSIBLE_DATE: ("{label}: {raw} does not exist ({detail}).",
                        "{label}：日期 {raw} 不存在（{detail}）。"),
    F.BAD_PARTIAL_DATE: ("{label}: '{raw}' is not a date; write YYYY-MM-DD, or UN for an unknown day or "
                         "month (2020-02-UN, 2020-UN-UN).",
                         "{label}：“{raw}”不是有效日期；请按 YYYY-MM-DD 填写，日或月不详时写 UN"
                         "（2020-02-UN、2020-UN-UN）。"),
    F.FUTURE_DATE: ("{label}: {raw} is in the future (today is {today}).",
                    "{label}：{raw} 晚于今天（{today}）。"),
    F.BAD_TIME: ("{label}: '{raw}' is not a time; write HH:MM on the 24-hour clock, e.g. 14:30.",
                 "{label}：“{raw}”不是有效时间；请按 24 小时制 HH:MM 填写，例如 14:30。"),
    F.BAD_DATETIME: ("{label}: '{raw}' is not a date and time; write YYYY-MM-DD HH:MM.",
                     "{label}：“{raw}”不是有效的日期时间；请按 YYYY-MM-DD HH:MM 填写。"),
    F.NOT_IN_CODELIST: ("{label}: '{raw}' is not one of the choices ({choices}).",
                        "{label}：“{raw}”不是可选项（{choices}）。"),
    F.DUPLICATE_CHOICE: ("{label}: '{raw}' is chosen twice.", "{label}：“{raw}”被重复选择。"),
    F.TOO_LONG: ("{label}: {length} characters; at most {max_length} are allowed. Shorten the text.",
                 "{label}：共 {length} 个字符，最多允许 {max_length} 个，请缩短。"),
    F.CONTROL_CHARACTER: ("{label}: the text contains an invisible control character; retype it.",
                          "{label}：文本含有不可见的控制字符，请重新输入。"),
    F.BROKEN_CHARACTER: ("{label}: the entry contains a broken character (half of an emoji or of a rare "
                         "character, often from a paste); delete it and type it again.",
                         "{label}：输入内容含有残缺字符（半个表情符号或生僻字，常见于粘贴）；请删除后重新输入。"),
    F.TOO_MANY_DIGITS: ("{label}: '{raw}' has {digits} digits; a number here has at most {max_digits}. "
                        "Check the entry.",
                        "{label}：“{raw}”共 {digits} 位数字；此处数字最多 {max_digits} 位，请核对。"),
    F.WRONG_VALUE_TYPE: ("{label}: a {got} was given where a {want} is expected.",
                         "{label}：需要 {want}，实际为 {got}。"),
    F.BELOW_HARD: ("{label}: {value} {unit} is below the lowest possible value {low}; check the entry.",
                   "{label}：{value} {unit} 低于允许的最小值 {low}，请核对。"),
    F.ABOVE_HARD: ("{label}: {value} {unit} is above the highest possible value {high}; check the entry.",
                   "{label}：{value} {unit} 高于允许的最大值 {high}，请核对。"),
    F.OUTSIDE_SOFT: ("{label}: {value} {unit} is outside the expected range {range}; confirm it is correct.",
                     "{label}：{value} {unit} 超出预期范围 {range}，请确认无误。"),
    F.REQUIRED: ("{label} is required: enter a value{missing_hint}.",
                 "{label} 为必填项：请填写{missing_hint}。"),
    F.MISSING_NOT_ALLOWED: ("{label}: the missing code {code} is not allowed here{allowed}.",
                            "{label}：此处不允许缺失代码 {code}{allowed}。"),
    F.HIDDEN_HAS_VALUE: ("{label} does not apply (its condition is not met) but has a value; clear it.",
                         "{label} 不适用（条件不满足），但已有数值；请清除。"),
    F.CALCULATED_READ_ONLY: ("{label} is calculated and cannot be entered.",
                             "{label} 为自动计算项，不能手工填写。"),
    F.UNKNOWN_ITEM: ("'{code}' is not an item of this form.", "“{code}”不是本表单的项目。"),
    F.CHECK_FAILED: ("{message}", "{message}"),
}


@dataclass(frozen=True)
class Finding:
    code: F
    severity: Severity
    item: str | None
    message: Text
    check: str | None = None  # the id of a cross-item check
    items: tuple[str, ...] = ()
    confirmed: bool = False

    @property
    def key(self) -> str:
        """Identifies a soft finding so that a confirmation can be stored and matched."""
        return f"{self.item or ''}:{self.check or self.code.value}"

    def text(self, lang: str = "en") -> str:
        return self.message.get(lang)


def make(code: F, severity: Severity, item: str | None, /, *, check: str | None = None,
         items: tuple[str, ...] = (), **params: Any) -> Finding:
    """Build a finding; a Text parameter (a label, a detail) is filled in each message's own language."""
    templates = dict(zip(("en", "zh"), MESSAGES[code], strict=True))
    text = Text(tuple((lang, _fill(template, lang, params)) for lang, template in templates.items()))
    return Finding(code, severity, item, text, check, items or ((item,) if item else ()))


def _fill(template: str, lang: str, params: dict[str, Any]) -> str:
    values = {k: (v.get(lang) if isinstance(v, Text) else v) for k, v in params.items()}
    return " ".join(template.format(**values).split(" ")).replace(" .", ".").replace("  ", " ")
