"""The layers of DESIGN.md: the core imports without Qt (the import rules themselves: test_contracts.py);
the README names every CLI command."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ecrf.cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent

_BLOCK_QT = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6'):
            raise ImportError('PySide6 is blocked in this test')
sys.meta_path.insert(0, Block())
import pkgutil, importlib, ecrf
for mod in pkgutil.walk_packages(ecrf.__path__, 'ecrf.'):
    if not mod.name.startswith('ecrf.ui') and not mod.name.endswith('__main__'):
        importlib.import_module(mod.name)
print('ok')
"""


def test_core_packages_import_without_pyside6():
    result = subprocess.run([sys.executable, "-c", _BLOCK_QT], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_readme_lists_every_cli_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert [c for c in commands if f"ecrf {c}" not in readme] == []


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = next(line for line in readme.splitlines() if "pip install -e '.[test]'" in line)
    assert test_command.strip() in ci


def _layout_entries() -> dict[str, str]:
    """The README's Layout block as {path: its line}: top-level paths, and `  sub/` lines under the one above."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    entries: dict[str, str] = {}
    parent = ""
    for line in block.splitlines():
        name = line.split(" ", 3)[2] if line.startswith("  ") and not line.startswith("   ") else line.split(" ", 1)[0]
        if not name:
            continue
        if line.startswith("  "):
            entries[parent + name] = line
        else:
            parent = name
            entries[name] = line
    return entries


def test_the_readme_layout_matches_the_tree():
    """Every path the Layout names exists, and every package and module of ecrf/ (and the export's rooms) is named."""
    entries = _layout_entries()
    assert [path for path in entries if not (ROOT / path).exists()] == []
    package = ROOT / "ecrf"
    rooms = [p for p in package.iterdir() if (p / "__init__.py").exists()]
    modules = [p for p in package.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    rooms += [p for p in (package / "export").iterdir() if (p / "__init__.py").exists()]
    named = {str(p.relative_to(ROOT)) + ("/" if p.is_dir() else "") for p in rooms + modules}
    assert sorted(named - set(entries)) == []
