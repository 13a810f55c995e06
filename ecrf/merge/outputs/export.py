"""`export_merged`: the whole merged data set into a new folder, or nothing.

The files are written into a hidden folder beside the target (`.NAME.partial-…`) and that folder is renamed to
the target only when every file and both manifests are complete, so a folder with the target's name is always a
whole data set; a failure removes the partial folder. An existing folder is used only if it is empty (never
overwritten), and the run reads the sources table again at the end: if a merge changed the central database
meanwhile, the set would mix two states, so it is thrown away with a message to run again.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from ecrf.export.bundle import layout
from ecrf.merge.central.db import central_url, open_central, shown_url
from ecrf.merge.outputs.csv_files import write_csv_files
from ecrf.merge.outputs.errors import MergedOutputError
from ecrf.merge.outputs.manifest import write_manifests
from ecrf.merge.outputs.odm_file import write_merged_odm
from ecrf.merge.outputs.sources import Source, as_utc, merged_sources, newest_as_of
from ecrf.merge.outputs.xpt_files import write_xpt_files
from ecrf.study.model import Study


@dataclass(frozen=True)
class MergedExport:
    folder: Path
    sources: list[Source]
    files: dict[str, str]  # path inside the folder -> SHA-256
    data_as_of: str


def export_merged(central: str | Path, out: Path, study: Study, app_version: str) -> MergedExport:
    """Write the merged data set of the central database `central` (path or URL) into the new folder `out`."""
    out = Path(out).expanduser().absolute()
    _check_target(out)
    url = shown_url(central_url(central))
    engine = open_central(central, create=False)
    try:
        with engine.connect() as conn:
            sources = merged_sources(conn, study, url)
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
            try:
                files = _write_all(conn, study, sources, staging, app_version)
                if merged_sources(conn, study, url) != sources:
                    raise MergedOutputError("merged-changed-during-export", url=url)
                _check_target(out)
                if out.is_dir():
                    out.rmdir()  # empty, checked just above
                staging.rename(out)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    finally:
        engine.dispose()
    return MergedExport(out, sources, files, newest_as_of(sources))


def _write_all(conn: Connection, study: Study, sources: list[Source], folder: Path,
               app_version: str) -> dict[str, str]:
    paths = write_csv_files(conn, study, sources, folder)
    write_merged_odm(conn, sources, folder / layout.ODM, app_version)
    paths.append(layout.ODM)
    paths += write_xpt_files(conn, study, sources, folder, as_utc(newest_as_of(sources)))
    return write_manifests(folder, paths, sources, study.info.oid, study.fingerprint, app_version)


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise MergedOutputError("merged-out-not-folder", path=out)
    if out.is_dir() and any(out.iterdir()):
        raise MergedOutputError("merged-out-not-empty", path=out)
    if not out.parent.is_dir():
        raise MergedOutputError("merged-out-parent-missing", folder=out.parent)
