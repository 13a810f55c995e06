"""Helpers of the merged data set tests: fill a central database from real site bundles, export, read files."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from ecrf.export.csv.safe import restore
from ecrf.export.verify.zip_safety import SafeZip
from ecrf.merge.bundle_read import bundle_facts, file_sha256
from ecrf.merge.central.db import open_central
from ecrf.merge.load import replace_source
from ecrf.merge.outputs.export import MergedExport, export_merged
from ecrf.study.model import Study

VERSION = "0.1.0-test"


def fill_central(target: str | Path, bundles: Iterable[Path], study: Study) -> str:
    """Load the bundles in the order given (a later one of the same installation replaces the earlier)."""
    engine = open_central(target)
    try:
        for path in bundles:
            with SafeZip(path) as bundle, engine.begin() as conn:
                replace_source(conn, bundle, bundle_facts(bundle, file_sha256(path)), study)
    finally:
        engine.dispose()
    return str(target)


def export(target: str | Path, out: Path, study: Study) -> MergedExport:
    return export_merged(target, out, study, VERSION)


def csv_rows(data: bytes) -> list[list[str]]:
    """Every row (header first) of CSV bytes, the spreadsheet guard undone."""
    return [[restore(cell) for cell in row] for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))]


def bundle_member(bundle: Path, member: str) -> bytes:
    with SafeZip(bundle) as opened:
        return opened.read(member)


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its relative path."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}
