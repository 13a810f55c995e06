"""Typed reading of YAML fields: each reader records a problem (file, line, where) and returns None
instead of raising, so a whole definition is checked in one pass."""
from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from ecrf.study.expr import Expression, ExprSyntaxError
from ecrf.study.model import Range, Text
from ecrf.study.problems import P, Problems
from ecrf.study.yamlsource import LineList, LineMap

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:
    from typing import Any

CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,31}$")
CODE_RULE = "upper-case letters, digits and _, starting with a letter, at most 32 characters"
OID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_\-.]{0,63}$")

_SHAPES = {dict: "a mapping (key: value lines)", list: "a list (lines starting with '- ')",
           str: "a text", int: "a whole number", bool: "true or false"}


def did_you_mean(name: object, known: Collection[object]) -> str:
    """' (did you mean 'X'?)' for the closest known name to a typo, or ''."""
    import difflib  # only a definition with a mistake needs it: not imported at every start

    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def shape_name(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    for t, name in _SHAPES.items():
        if isinstance(value, t):
            return name
    return type(value).__name__


class Reader:
    """Reads the fields of one file and records what is wrong with them."""

    def __init__(self, problems: Problems, file: str, languages: tuple[str, ...]) -> None:
        self.problems = problems
        self.file = file
        self.languages = languages

    def add(self, line: int, code: P, where: str = "", /, **params: object) -> None:
        self.problems.add(self.file, line, code, where, **params)

    # -- shapes --------------------------------------------------------------------------
    def mapping(self, value: Any, line: int, what: str, where: str = "") -> LineMap | None:
        if isinstance(value, LineMap):
            return value
        self.add(line, P.WRONG_SHAPE, where, what=what, expected=_SHAPES[dict], got=shape_name(value))
        return None

    def sequence(self, value: Any, line: int, what: str, where: str = "") -> LineList | None:
        if isinstance(value, LineList):
            return value
        self.add(line, P.WRONG_SHAPE, where, what=what, expected=_SHAPES[list], got=shape_name(value))
        return None

    def keys(self, m: LineMap, allowed: Collection[str], required: Collection[str], what: str,
             where: str = "", elsewhere: Collection[str] = (), type_name: str = "") -> None:
        """Report unknown keys (with a suggestion) and missing required keys."""
        for key in m:
            if key in allowed:
                continue
            if key in elsewhere:
                self.add(m.line_of(key), P.KEY_NOT_FOR_TYPE, where, key=key, type=type_name)
                continue
            self.add(m.line_of(key), P.UNKNOWN_KEY, where, key=key, what=what, hint=did_you_mean(key, allowed),
                     allowed=", ".join(sorted(allowed)))
        for key in required:
            if key not in m or m[key] is None:
                self.add(m.line_of(key), P.MISSING_KEY, where, what=what, key=key)

    # -- scalars -------------------------------------------------------------------------
    def string(self, m: LineMap, key: str, what: str, where: str = "") -> str | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(m.line_of(key), P.WRONG_SHAPE, where, what=f"{what} '{key}'", expected="a text",
                     got=shape_name(value))
            return None
        return str(value)

    def code(self, m: LineMap, key: str, what: str, where: str = "") -> str | None:
        value = self.string(m, key, what, where)
        if value is not None and not CODE_RE.match(value):
            self.add(m.line_of(key), P.BAD_CODE, where, code=value, rule=CODE_RULE)
            return None
        return value

    def integer(self, m: LineMap, key: str, what: str, where: str = "", minimum: int | None = None) -> int | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(m.line_of(key), P.WRONG_SHAPE, where, what=f"{what} '{key}'", expected="a whole number",
                     got=shape_name(value))
            return None
        if minimum is not None and value < minimum:
            self.add(m.line_of(key), P.BAD_VALUE, where, what=f"{what} '{key}'",
                     detail=f"{value} is below the minimum {minimum}")
            return None
        return value

    def boolean(self, m: LineMap, key: str, what: str, where: str = "", default: bool = False) -> bool:
        value = m.get(key, default)
        if not isinstance(value, bool):
            self.add(m.line_of(key), P.WRONG_SHAPE, where, what=f"{what} '{key}'", expected="true or false",
                     got=shape_name(value))
            return default
        return value

    def iso_date(self, m: LineMap, key: str, what: str, where: str = "") -> date | None:
        value = m.get(key)
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.add(m.line_of(key), P.BAD_VALUE, where, what=f"{what} '{key}'",
                     detail=f"{value!r} is not a date; write YYYY-MM-DD")
            return None

    def choice(self, m: LineMap, key: str, options: Collection[str], what: str, where: str = "") -> str | None:
        value = self.string(m, key, what, where)
        if value is not None and value not in options:
            self.add(m.line_of(key), P.BAD_VALUE, where, what=f"{what} '{key}'",
                     detail=f"{value!r} is not one of: {', '.join(options)}")
            return None
        return value

    def text(self, m: LineMap, key: str, what: str, where: str = "", required: bool = True) -> Text | None:
        """A label in every language of the study: {en: ..., zh: ...}."""
        value = m.get(key)
        if value is None:
            if required:
                self.add(m.line_of(key), P.MISSING_KEY, where, what=what, key=key)
            return None
        return self.text_value(value, m.line_of(key), f"{what} '{key}'", where)

    def text_value(self, value: Any, line: int, what: str, where: str = "") -> Text | None:
        if isinstance(value, str) and len(self.languages) == 1:
            return Text(((self.languages[0], value),))
        tm = self.mapping(value, line, what, where)
        if tm is None:
            return None
        found: list[tuple[str, str]] = []
        for lang in self.languages:
            text = tm.get(lang)
            if not isinstance(text, (str, int, float)) or isinstance(text, bool) or not str(text).strip():
                self.add(tm.line_of(lang) if lang in tm else tm.line, P.MISSING_TRANSLATION, where,
                         what=what, lang=lang, langs=" and ".join(self.languages))
                continue
            found.append((lang, str(text)))
        for key in tm:
            if key not in self.languages:
                self.add(tm.line_of(key), P.UNKNOWN_KEY, where, key=key, what=what, hint="",
                         allowed=", ".join(self.languages))
        return Text(tuple(found)) if len(found) == len(self.languages) else None

    def unit(self, m: LineMap, key: str, what: str, where: str = "") -> Text | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return Text(tuple((lang, value) for lang in self.languages))
        return self.text_value(value, m.line_of(key), f"{what} '{key}'", where)

    def expression(self, m: LineMap, key: str, where: str) -> Expression | None:
        value = m.get(key)
        if value is None:
            return None
        line = m.line_of(key)
        if not isinstance(value, str):
            self.add(line, P.WRONG_SHAPE, where, what=f"'{key}'", expected="an expression in quotes",
                     got=shape_name(value))
            return None
        try:
            return Expression.parse(value)
        except ExprSyntaxError as exc:
            self.add(line, P.BAD_EXPRESSION, where, expr=value, detail=str(exc))
            return None

    def ranges(self, m: LineMap, where: str) -> tuple[Range | None, Range | None]:
        raw = m.get("range")
        if raw is None:
            return None, None
        rm = self.mapping(raw, m.line_of("range"), "'range'", where)
        if rm is None:
            return None, None
        self.keys(rm, ("hard", "soft"), (), "'range'", where)
        hard = self._range(rm, "hard", where)
        soft = self._range(rm, "soft", where)
        if hard and soft and not _inside(soft, hard):
            self.add(rm.line_of("soft"), P.SOFT_OUTSIDE_HARD, where, soft=str(soft), hard=str(hard))
        return hard, soft

    def _range(self, rm: LineMap, key: str, where: str) -> Range | None:
        value = rm.get(key)
        if value is None:
            return None
        line = rm.line_of(key)
        if not isinstance(value, list) or len(value) != 2 or not all(
                v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in value):
            self.add(line, P.WRONG_SHAPE, where, what=f"{key} range", expected="[minimum, maximum] (numbers or null)",
                     got=repr(value))
            return None
        low, high = value
        if low is not None and high is not None and low > high:
            self.add(line, P.RANGE_ORDER, where, which=key, low=low, high=high)
            return None
        return Range(low, high)


def _inside(inner: Range, outer: Range) -> bool:
    def ge(a: float | None, b: float | None) -> bool:  # a lies at or above lower bound b
        return b is None or (a is not None and a >= b)

    def le(a: float | None, b: float | None) -> bool:
        return b is None or (a is not None and a <= b)

    return ge(inner.low, outer.low) and le(inner.high, outer.high)
