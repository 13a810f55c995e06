"""The layer rules of DESIGN.md ("Layers") hold on the real import graph, and the checks bite.

The rules are import-linter contracts in pyproject.toml (`[tool.importlinter]`). grimp, which builds the graph,
reads every import statement in a file, those inside functions and under TYPE_CHECKING too, so a late import
does not slip through. The contracts run in a fresh process over a folder: the checkout for the real check,
a throwaway copy of the package with planted offenders to prove that each rule fails when it should.
Two rules are plain AST checks here: no Qt outside ecrf/ui (import-linter cannot name a module nobody imports,
such as shiboken6) and the status enums defined in ecrf/study/status.py only.
"""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
_QT = {"PySide6", "shiboken6"}


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """The contracts of root/pyproject.toml checked over the `ecrf` package in root (found first on the path)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", _LINT, "--no-cache", "--no-logo"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def package_copy(tmp: Path) -> Path:
    """A copy of the package and its contracts to plant offenders in."""
    shutil.copytree(ROOT / "ecrf", tmp / "ecrf", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", tmp / "pyproject.toml")
    return tmp


def plant(root: Path, relative: str, code: str) -> None:
    """Add `code` to the end of a module of the copy (made if missing)."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(before + "\n" + code + "\n", encoding="utf-8")


def python_files(root: Path, *words: str) -> Iterator[tuple[str, ast.Module]]:
    """(path relative to root, parsed module) for every module of root/ecrf that mentions one of `words`
    (only those are parsed: parsing all of them takes seconds)."""
    for path in sorted((root / "ecrf").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if any(word in text for word in words):
            yield path.relative_to(root).as_posix(), ast.parse(text, str(path))


def qt_imports_outside_ui(root: Path) -> list[str]:
    """`file:line module` for every import of Qt (anywhere in a file) outside ecrf/ui."""
    found = []
    for name, tree in python_files(root, *_QT):
        if name.startswith("ecrf/ui/"):
            continue
        for node in ast.walk(tree):
            modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                       else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            found += [f"{name}:{node.lineno} {m}" for m in modules if m.split(".")[0] in _QT]
    return found


def _is_enum(node: ast.ClassDef) -> bool:
    return any((isinstance(b, ast.Name) and b.id.endswith("Enum"))
               or (isinstance(b, ast.Attribute) and b.attr.endswith("Enum")) for b in node.bases)


def _enums(tree: ast.Module) -> set[str]:
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef) and _is_enum(node)}


def status_enums_outside_study(root: Path) -> list[str]:
    """`file: class` for a status enum defined where the upper layers would have to import the store (or spell it
    again) to use it: any enum named ...Status outside ecrf/study, and a second home for one of ecrf/study/status.py's
    (the stored statuses)."""
    stored = _enums(ast.parse((root / "ecrf" / "study" / "status.py").read_text(encoding="utf-8")))
    return [f"{name}: {enum}" for name, tree in python_files(root, "Enum") if name != "ecrf/study/status.py"
            for enum in sorted(_enums(tree))
            if enum in stored or (enum.endswith("Status") and not name.startswith("ecrf/study/"))]


def test_the_layer_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_qt_outside_the_ui():
    assert qt_imports_outside_ui(ROOT) == []


def test_status_enums_are_defined_in_study_status_only():
    from ecrf.study import status

    assert {"FormStatus", "SubjectStatus"} <= _enums(ast.parse((ROOT / "ecrf/study/status.py").read_text("utf-8")))
    assert status.FormStatus.__module__ == status.SubjectStatus.__module__ == "ecrf.study.status"
    assert status_enums_outside_study(ROOT) == []


# --- the checks bite: offenders planted in a copy -------------------------------------------------------------

# (module of the copy, code added to it, a line lint-imports must print)
OFFENDERS = {
    "export imports the store (inside a function)": (
        "ecrf/export/leak.py", "def f():\n    from ecrf.store import models\n    return models",
        "ecrf.export.leak -> ecrf.store.models"),
    "the store imports a service": (
        "ecrf/store/upward.py", "import ecrf.services.session", "ecrf.store.upward -> ecrf.services.session"),
    "the study imports the store": (
        "ecrf/study/upward.py", "from ecrf.store.models import Subject", "ecrf.study.upward -> ecrf.store.models"),
    "the UI imports the store (under TYPE_CHECKING)": (
        "ecrf/ui/direct.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ecrf.store.audit import ChainReport",
        "ecrf.ui.direct -> ecrf.store.audit"),
    "a service imports Qt (inside a function)": (
        "ecrf/services/qt.py", "def f():\n    from PySide6.QtCore import QObject\n    return QObject",
        "ecrf.services.qt -> PySide6"),
    "a command other than gui imports the UI": (
        "ecrf/cli/window.py", "def f():\n    import ecrf.ui.app\n", "ecrf.cli.window -> ecrf.ui.app"),
    "the error family imports from ecrf": (
        "ecrf/errors.py", "from ecrf.study import status", "ecrf.errors -> ecrf.study"),
    "the export opens a database": ("ecrf/export/db.py", "import sqlalchemy", "ecrf.export.db -> sqlalchemy"),
    "a new top-level package left out of the layers": (
        "ecrf/gadgets/__init__.py", '"""A package DESIGN.md does not place."""', "ecrf.gadgets"),
}


@pytest.fixture(scope="module")
def offended(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """One copy with every offender planted, checked once (each planted in a module of its own)."""
    root = package_copy(tmp_path_factory.mktemp("offended"))
    for module, code, _ in OFFENDERS.values():
        plant(root, module, code)
    return lint_imports(root)


@pytest.mark.parametrize("case", OFFENDERS)
def test_each_planted_offender_breaks_a_contract(offended: subprocess.CompletedProcess[str], case: str):
    assert offended.returncode != 0
    assert OFFENDERS[case][2] in offended.stdout, offended.stdout + offended.stderr


def test_the_checkout_alone_breaks_nothing(offended: subprocess.CompletedProcess[str]):
    """The copy's report names only the planted modules: the offenders, not the copy, broke the contracts."""
    planted = {module.removesuffix("/__init__.py").removesuffix(".py").replace("/", ".")
               for module, _, _ in OFFENDERS.values()}
    lines = [line for line in offended.stdout.splitlines() if " -> " in line]
    assert lines and all(any(name in line for name in planted) for line in lines), offended.stdout


def test_qt_outside_the_ui_is_found(tmp_path: Path):
    plant(tmp_path, "ecrf/ui/window.py", "from PySide6.QtWidgets import QWidget")
    plant(tmp_path, "ecrf/store/shiboken.py", "def f():\n    import shiboken6\n    return shiboken6")
    plant(tmp_path, "ecrf/export/qt.py", "import os, PySide6.QtCore")
    assert qt_imports_outside_ui(tmp_path) == ["ecrf/export/qt.py:2 PySide6.QtCore",
                                               "ecrf/store/shiboken.py:3 shiboken6"]


def test_a_status_enum_back_in_the_store_is_found(tmp_path: Path):
    root = tmp_path
    plant(root, "ecrf/study/status.py", (ROOT / "ecrf" / "study" / "status.py").read_text(encoding="utf-8"))
    plant(root, "ecrf/study/schedule.py", "class VisitStatus(StrEnum):\n    DUE = 'due'")  # a computed one, fine
    plant(root, "ecrf/store/models.py", "class FormStatus(StrEnum):\n    NOT_STARTED = 'not_started'")
    plant(root, "ecrf/services/sdv.py", "class SdvStatus(enum.Enum):\n    VERIFIED = 'verified'")
    assert status_enums_outside_study(root) == ["ecrf/services/sdv.py: SdvStatus", "ecrf/store/models.py: FormStatus"]
