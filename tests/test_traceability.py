"""Every requirement ID used by a test is documented, and every documented ID is tested."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_USED = re.compile(r"""mark\.req\(\s*["']([A-Z0-9][A-Za-z0-9.\-]*)["']""")
_LISTED = re.compile(r"^\|\s*([A-Z0-9][A-Za-z0-9.\-]+)\s*\|", re.MULTILINE)


def used_ids() -> set[str]:
    return {m for path in (ROOT / "tests").rglob("test_*.py") for m in _USED.findall(path.read_text(encoding="utf-8"))}


def listed_ids() -> set[str]:
    return set(_LISTED.findall((ROOT / "docs" / "requirements.md").read_text(encoding="utf-8"))) - {"ID"}


def test_every_requirement_used_in_tests_is_documented():
    assert used_ids() - listed_ids() == set()


def test_every_documented_requirement_has_a_test():
    assert listed_ids() - used_ids() == set()


def test_every_requirement_is_listed_once():
    found = _LISTED.findall((ROOT / "docs" / "requirements.md").read_text(encoding="utf-8"))
    assert sorted(i for i in set(found) if found.count(i) > 1) == []
