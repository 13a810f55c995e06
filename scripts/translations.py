"""Keep the Chinese translation in step with the code: `python scripts/translations.py update|release|check`.

update   lupdate every ecrf/ui/**/*.py into resources/translations/ecrf_zh_CN.ts: new strings come in
         "unfinished", strings no longer in the code are dropped (-no-obsolete), translations are kept.
release  lrelease the .ts into ecrf_zh_CN.qm, the file the app loads (ecrf/ui/i18n.py).
check    list the strings of the .ts that have no Chinese yet (exit code 1 if there are any).

Runs Qt's lupdate/lrelease executables shipped with PySide6; imports no Qt itself.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
UI_DIR = REPO / "ecrf" / "ui"
# The source files of this checkout, deliberately not ecrf.paths.resource_path(): that finds the copy the
# running app uses, which after a non-editable install is the one inside site-packages.
TRANSLATIONS = REPO / "resources" / "translations"
LANGUAGE = "zh_CN"
TS_FILE = TRANSLATIONS / f"ecrf_{LANGUAGE}.ts"
QM_FILE = TRANSLATIONS / f"ecrf_{LANGUAGE}.qm"


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    finished: bool


def tool(name: str) -> Path:
    """Qt's own `name` executable inside the PySide6 package (found without importing Qt, so a broken
    PySide6/__init__.py does not matter), else the pyside6-<name> wrapper beside the interpreter."""
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        package = Path(next(iter(spec.submodule_search_locations)))
        for candidate in (package / name, package / f"{name}.exe"):
            if candidate.exists():
                return candidate
    bin_dir = Path(sys.executable).parent
    for candidate in (bin_dir / f"pyside6-{name}", bin_dir / f"pyside6-{name}.exe"):
        if candidate.exists():
            return candidate
    found = shutil.which(f"pyside6-{name}")
    if found:
        return Path(found)
    raise FileNotFoundError(f"Qt's {name} was not found in PySide6 or next to {sys.executable}; install PySide6")


def sources(ui_dir: Path = UI_DIR) -> list[Path]:
    return sorted(p for p in ui_dir.rglob("*.py") if "__pycache__" not in p.parts)


def update(ts_file: Path = TS_FILE, ui_dir: Path = UI_DIR) -> None:
    ts_file.parent.mkdir(parents=True, exist_ok=True)
    # Locations are left out: line numbers would change the .ts on every edit of the code.
    args = [str(tool("lupdate")), *map(str, sources(ui_dir)), "-ts", str(ts_file), "-no-obsolete",
            "-locations", "none", "-source-language", "en", "-target-language", LANGUAGE, "-silent"]
    _run(args)


def release(ts_file: Path = TS_FILE, qm_file: Path = QM_FILE) -> None:
    _run([str(tool("lrelease")), str(ts_file), "-qm", str(qm_file), "-silent"])


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def messages(ts_file: Path = TS_FILE) -> list[Message]:
    """Every message of a .ts file with its translation (plural forms joined by '|')."""
    result = []
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            tr = message.find("translation")
            kind = tr.get("type", "") if tr is not None else "unfinished"
            forms = tr.findall("numerusform") if tr is not None else []
            text = "|".join(f.text or "" for f in forms) if forms else (tr.text or "") if tr is not None else ""
            result.append(Message(name, message.findtext("source", ""), text,
                                  kind not in ("unfinished", "vanished", "obsolete") and bool(text.strip())))
    return result


def untranslated(ts_file: Path = TS_FILE) -> list[Message]:
    return [m for m in messages(ts_file) if not m.finished]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("update", "release", "check"))
    args = parser.parse_args(argv)
    if args.command == "update":
        update()
    elif args.command == "release":
        release()
    missing = untranslated()
    total = len(messages())
    print(f"{TS_FILE.relative_to(REPO)}: {total} strings, {len(missing)} without a translation")
    for m in missing:
        print(f"  [{m.context}] {m.source!r}")
    return 1 if args.command == "check" and missing else 0


if __name__ == "__main__":
    sys.exit(main())
