"""Dropping the shared libraries that only the dropped Qt plugins needed (run inside the spec, after analysis).

PyInstaller collects each plugin's libraries during analysis, so leaving out, say, the GTK platform theme
would still leave GTK, Cairo and Pango (~30 MB) in the folder. This keeps a top-level library only when
something that stays (an extension module, a Qt library or plugin, or a kept library) links against it.
Used on Linux only (see ecrf.spec), where ldd lists every library a binary loads, directly or not.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

# (destination in the bundle, source path, PyInstaller type code)
Entry = tuple[str, str, str]
ImportsOf = Callable[[str], Iterable[tuple[str, str | None]]]
ALWAYS_KEEP = ("libpython", "python3", "vcruntime", "msvcp", "ucrtbase", "api-ms-win")  # loaded by the bootloader


def _is_top_level_library(dest: str) -> bool:
    name = Path(dest).name
    return Path(dest).parent == Path(".") and not name.startswith(ALWAYS_KEEP) and not name.startswith("_") \
        and ".cpython-" not in name and ".pyd" not in name


def drop_orphan_libraries(binaries: list[Entry], imports_of: ImportsOf) -> tuple[list[Entry], list[str]]:
    """The entries to keep and the names of the dropped orphans. `imports_of(path)` lists (name, path) of the
    libraries a binary links against (PyInstaller's bindepend.get_imports)."""
    libraries = {Path(dest).name: entry for dest, *_ in binaries if _is_top_level_library(dest)
                 for entry in [(dest, *_)]}
    needed: set[str] = set()
    todo = [src for dest, src, _ in binaries if not _is_top_level_library(dest)]
    seen: set[str] = set()
    while todo:
        source = todo.pop()
        if source in seen:
            continue
        seen.add(source)
        for reference, _path in imports_of(source):
            name = Path(reference).name  # macOS names them @rpath/…
            if name in libraries and name not in needed:
                needed.add(name)
                todo.append(libraries[name][1])
    kept = [entry for entry in binaries if not _is_top_level_library(entry[0]) or Path(entry[0]).name in needed]
    dropped = sorted(set(libraries) - needed)
    return kept, dropped
