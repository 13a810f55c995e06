"""The direct tree build of yamlsource gives what PyYAML's constructor gives: values, lines, duplicates."""
from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest

from ecrf.study import yamlsource
from ecrf.study.yamlsource import LineList, LineMap, YamlSyntaxError, parse_yaml

FORMS = Path(__file__).resolve().parent.parent / "forms"


def _shape(value: Any) -> Any:
    """Everything parse_yaml hands on, with types (so True is not 1) and every line number."""
    if isinstance(value, LineMap):
        return ("map", value.line, sorted(value.key_lines.items(), key=repr), value.duplicates,
                [(repr(k), _shape(v)) for k, v in value.items()])
    if isinstance(value, LineList):
        return ("seq", value.line, value.item_lines, [_shape(v) for v in value])
    return (type(value).__name__, repr(value))


def _by_constructor(monkeypatch: pytest.MonkeyPatch, data: bytes) -> Any:
    def give_up(self: Any, node: Any) -> Any:
        raise yamlsource._NotATree

    with monkeypatch.context() as patch:
        patch.setattr(yamlsource._TreeBuilder, "build", give_up)
        return parse_yaml(data)


SAMPLES = [
    b"a: 1\nb: [x, 2.5, true, null, 2020-01-02]\nc: {d: 'q', e: [1, [2]]}\n",
    b"a: 1\na: 2\n[1, 2]: listed key\n",  # a duplicate key, an unhashable key
    b"base: {x: 1}\nmerged:\n  <<: {x: 2, y: 3}\n  z: 4\n",  # a merge key without anchors
    b"s: !!set {a, b}\no: !!omap [{a: 1}]\nt: !!str 12\n",  # explicit tags: the constructor's way
    b"a: &x {k: 1}\nb: *x\n",  # an alias: the constructor's way, after the alias check
]
REFUSED = [b"a: !!seq {x: 1}\n", b"a: !!map [1, 2]\n", b"a: !!python/name:os.system\n"]


@pytest.mark.parametrize("data", [*SAMPLES, *(p.read_bytes() for p in sorted(FORMS.glob("*.yaml")))])
def test_tree_build_equals_the_constructor(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    assert _shape(parse_yaml(data)) == _shape(_by_constructor(monkeypatch, data))


def test_an_alias_is_never_expanded_by_the_tree_build() -> None:
    builder = yamlsource._TreeBuilder(yamlsource._LineLoader("a: &x [1]\nb: *x\n"))
    root = builder.loader.get_single_node()
    with pytest.raises(yamlsource._NotATree):
        builder.build(root)


@pytest.mark.parametrize("data", REFUSED)
def test_tags_on_the_wrong_node_are_syntax_problems(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    with pytest.raises(YamlSyntaxError) as fast:  # a problem with its line, never a crash
        parse_yaml(data)
    with pytest.raises(YamlSyntaxError) as slow:
        _by_constructor(monkeypatch, data)
    assert (fast.value.line, fast.value.message) == (slow.value.line, slow.value.message) == (1, ANY)
