"""Keep docs/errors.md in step with the error catalogues: `python scripts/error_codes.py update|check`.

update   write docs/errors.md from the registry (every code, its English message and what to do, by layer).
check    exit 1 when docs/errors.md differs from what `update` would write.

The registry (`ecrf.errors.REGISTRY`) fills as the modules holding a catalogue are imported, so this
imports every module of ecrf except the Qt interface (which raises the others' errors, never its own).
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "errors.md"
sys.path.insert(0, str(REPO))

# The order and the words of the doc's sections; a layer missing here fails `update` (add it).
LAYERS = {
    "store": ("The site database and its key file", "`ecrf/store/errors.py`"),
    "services": ("Refusals of the services (permissions, workflow, input)", "`ecrf/services/error_messages.py`"),
    "study": ("The study definition", "`ecrf/study/problems.py` (each problem has its own code)"),
    "export": ("Writing an export bundle", "`ecrf/export/errors.py`"),
    "verify": ("Verifying a bundle (`ecrf verify`, the export's self-check)", "`ecrf/export/errors.py`"),
    "merge": ("The sponsor's side: trust registry, merge, merged outputs, query bundles",
              "`ecrf/merge/messages/*.py`"),
    "demo": ("Making a demo site", "`ecrf/demo/errors.py`"),
    "cli": ("The command line", "`ecrf/cli/errors.py`"),
    "core": ("Files: the app's own, and those it reads or writes", "`ecrf/paths.py`, `ecrf/errors.py`"),
}

INTRO = """# Error codes

Every error a user can meet has a stable code (kebab-case, one per situation) and a message that says
what is wrong and what to do, in English and Simplified Chinese. The command line prints
`error [code]: message` on standard error and exits with 1 (Chinese when `LANGUAGE`, `LC_ALL`,
`LC_MESSAGES` or `LANG` starts with `zh`); the app shows the message in its interface language.

Anything else is a bug: the traceback goes to a crash log in the data folder (`logs/crash-<UTC time>-<pid>.log`
under `$ECRF_DATA_DIR` or the platform's data folder), the user sees a short message naming that file, and the
command line exits with 70 (`ECRF_DEBUG=1` also prints the traceback). A command given wrongly (an unknown
option, a missing or malformed argument: the usage line under it says which) or cancelled with Ctrl+C exits
with 2.

`{braces}` are filled in where the error is raised. This page is generated from the catalogues by
`python scripts/error_codes.py update`; `tests/test_errors.py` keeps the two in step.
"""

VERDICT_NOTE = """Each of these is a verdict: `ecrf verify` prints `NOT VERIFIED: <file>: <reason>` and exits non-zero.
Verdicts, and `ecrf merge`'s reasons for refusing a bundle, are printed in English whatever the language
setting: they are the sponsor's record of a check, worded the same for every site (the Chinese text below is
for the reader of this page).
What to do is the same for all: do not use the bundle; ask the site for a new export (or, for a `--trust`
problem, give the site's registered certificate file or its SHA-256 fingerprint)."""

UNCATALOGUED_NOTE = """A plain sentence raised by code that does not use a code yet (a branch merged later) is shown
as it is under this code. `tests/test_errors.py` fails while any such raise is left in `ecrf/`."""


def load_catalogues() -> dict:
    """Import every non-UI module of ecrf, so that every catalogue has registered; the registry."""
    import ecrf
    from ecrf.errors import REGISTRY

    for module in pkgutil.walk_packages(ecrf.__path__, "ecrf."):
        if not module.name.startswith("ecrf.ui") and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    return REGISTRY


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    registry = load_catalogues()
    unknown = {entry.layer for entry in registry.values()} - LAYERS.keys()
    if unknown:
        raise SystemExit(f"layers without a section in scripts/error_codes.py: {', '.join(sorted(unknown))}")
    parts = [INTRO]
    for layer, (title, where) in LAYERS.items():
        entries = sorted((e for e in registry.values() if e.layer == layer), key=lambda e: e.code)
        if not entries:
            continue
        parts.append(f"\n## {title}\n\nCatalogue: {where}.\n")
        if layer == "verify":
            parts.append(f"\n{VERDICT_NOTE}\n\n| code | reason |\n|---|---|\n")
            parts.extend(f"| `{e.code}` | {_cell(e.message.problem_en)} |\n" for e in entries)
            continue
        if layer == "core":
            parts.append(f"\n{UNCATALOGUED_NOTE}\n")
        parts.append("\n| code | what is wrong | what to do |\n|---|---|---|\n")
        parts.extend(f"| `{e.code}` | {_cell(e.message.problem_en)} | {_cell(e.message.action_en)} |\n"
                     for e in entries)
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["update", "check"])
    args = parser.parse_args(argv)
    text = markdown()
    if args.action == "update":
        DOC.write_text(text, encoding="utf-8")
        print(f"{DOC.relative_to(REPO)}: {text.count(chr(10) + '| `')} codes")
        return 0
    if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
        print(f"{DOC.relative_to(REPO)} is out of date; run `python scripts/error_codes.py update`")
        return 1
    print(f"{DOC.relative_to(REPO)}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
