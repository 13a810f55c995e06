"""`audit/trail.jsonl` lines: written without json.dumps per line, they must be the very text json.dumps gives,
because `ecrf verify` and the sponsor's merge read the events back from them and recompute the chain."""
from __future__ import annotations

import json

import pytest

from ecrf.export.bundle.evidence import json_line, values_line


@pytest.mark.req("TRAIL-SEALED")
@pytest.mark.parametrize("values", [
    [1, "2026-05-09T08:30:00.000000Z", 480, None, "nurse", "value", "37.5 °C", "体温"],
    ['quote " and \\\\ backslash', "line\nbreak\r\ttab", "\x01\x1f control", "\u2028\u2029", "→ ≤ µ", ""],
    [0, -480, True, False, 2.5, None],
    [],
])
def test_a_trail_line_is_the_json_text_json_dumps_gives(values: list[object]) -> None:
    line = values_line(values)
    assert line == json_line(values)
    assert json.loads(line) == values
