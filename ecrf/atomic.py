"""Writing a file whole or not at all: a temporary file in the same folder, synced, renamed over the old one,
and the folder synced so that the rename survives a power cut. The one way ecrf replaces a small file it owns
(key slots, the trust registry, the sponsor's key and query bundles, reports). Imports nothing from ecrf."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_temporary(path: Path, data: bytes, *, private: bool = False) -> str:
    """`data` synced to a new temporary file beside `path`, for the caller to rename over it (or remove);
    an OSError leaves no temporary file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if not private:  # mkstemp makes 0600 files; a public file gets what a plain open would give it
            with contextlib.suppress(OSError):
                os.chmod(temporary, 0o644)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """`path` holds either its old content or `data`, never half; `private` files are readable by the owner only.
    An OSError (disk full, no permission) leaves the old file and no temporary one."""
    temporary = write_temporary(path, data, private=private)
    try:
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable. Windows cannot open a folder to sync it; some file systems refuse: the
    new file is in place either way."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
