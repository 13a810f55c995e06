"""Every `# type: ignore` in the code mypy checks says why, on the same line
(`# type: ignore[attr-defined]  # reportlab internal, not in its stubs`): an ignore without a reason
cannot be reviewed, and one that turns a rule off for a whole function hides that the function is untyped."""
from __future__ import annotations

import io
import re
import tokenize
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The ignore, its error codes, then a second comment that gives the reason.
_IGNORE = re.compile(r"#\s*type:\s*ignore\b(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")
_REASON = re.compile(r"\s*#\s*\S")


def _checked_files() -> list[Path]:
    """The files mypy checks, as pyproject.toml lists them."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    files: list[Path] = []
    for entry in settings["files"]:
        path = ROOT / entry
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def unexplained_ignores(source: str) -> list[tuple[int, str]]:
    """(line, comment) of each `type: ignore` comment with no error code or no reason after it."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        match = _IGNORE.search(token.string)
        if match and not (match["codes"] and _REASON.match(match["rest"])):
            found.append((token.start[0], token.string))
    return found


def test_every_type_ignore_names_its_error_and_says_why() -> None:
    files = _checked_files()
    assert any(f.name == "fast_table.py" for f in files)  # the list really reached into ecrf/
    bad = [f"{f.relative_to(ROOT)}:{line}: {comment}" for f in files
           for line, comment in unexplained_ignores(f.read_text(encoding="utf-8"))]
    assert bad == []


def test_no_function_is_let_off_its_annotations() -> None:
    """`[no-untyped-def]` turns off "functions must be annotated" for a whole function: annotate it instead."""
    bad = [f"{f.relative_to(ROOT)}:{n}" for f in _checked_files()
           for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
           if _IGNORE.search(line) and "no-untyped-def" in line]
    assert bad == []


def test_an_ignore_without_a_reason_or_a_code_is_found() -> None:
    source = ("a = b.c  # type: ignore[attr-defined]\n"
              "def f(x):  # type: ignore\n"
              "d = e.f  # type: ignore  # no error code named\n"
              "g = h.i  # type: ignore[attr-defined]  #\n"
              "j = k.l  # type: ignore[attr-defined]  # reportlab internal, not in its stubs\n"
              "m = '# type: ignore[misc]'\n")
    assert [line for line, _ in unexplained_ignores(source)] == [1, 2, 3, 4]
