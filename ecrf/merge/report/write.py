"""Writing the merge report: both files made in full first, then put in place (temporary file + rename), so a
reader never finds half a report, and a failure leaves the previous report as it was.

`write_report` is what `ecrf merged report` runs, and what the merge calls at the end of a merge
(`report_after_merge`). The data are read in one transaction (a repeatable snapshot on PostgreSQL), so a merge
running beside it cannot make one section disagree with another.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from ecrf.merge.central import schema
from ecrf.merge.central.db import shown_url
from ecrf.merge.errors import ReportError
from ecrf.merge.report.collect import report_data
from ecrf.merge.report.html import html_page
from ecrf.merge.report.pdf import report_pdf
from ecrf.merge.report.sections import report_document
from ecrf.study.model import Study

HTML_NAME, PDF_NAME = "merge-report.html", "merge-report.pdf"


def write_report(target: Engine | Connection, study: Study, out_dir: Path, *,
                 made_at: str | None = None) -> tuple[Path, Path]:
    """Write merge-report.html and merge-report.pdf into `out_dir` (made when its parent folder exists); their paths."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir() and (out_dir.exists() or not out_dir.parent.is_dir()):
        raise ReportError("report-folder-missing", folder=out_dir)
    if isinstance(target, Engine):
        with _snapshot(target) as conn, conn.begin():
            html, pdf = _render(conn, study, made_at)
    else:
        html, pdf = _render(target, study, made_at)
    html_path, pdf_path = out_dir / HTML_NAME, out_dir / PDF_NAME
    staged: list[Path] = []
    try:
        out_dir.mkdir(exist_ok=True)  # after rendering: a refused report makes no folder
        staged += [_staged(out_dir, html.encode("utf-8")), _staged(out_dir, pdf)]
        for temp, final in zip(staged, (html_path, pdf_path), strict=True):
            os.replace(temp, final)
    except OSError as exc:
        raise ReportError("report-write-failed", folder=out_dir, reason=exc.strerror or exc) from None
    finally:
        for temp in staged:
            temp.unlink(missing_ok=True)
    return html_path, pdf_path


def report_after_merge(engine: Engine, study: Study, out_dir: Path) -> tuple[Path, Path]:
    """For the merge engine, once its transaction has committed: the report of the central database as the merge
    left it (a failure here raises ReportError; the merged data stay merged)."""
    return write_report(engine, study, out_dir)


def _snapshot(engine: Engine) -> Connection:
    if engine.dialect.name == "postgresql":
        return engine.connect().execution_options(isolation_level="REPEATABLE READ")
    return engine.connect()


def _render(conn: Connection, study: Study, made_at: str | None) -> tuple[str, bytes]:
    _same_study(conn, study)
    data = report_data(conn, study, made_at=made_at)
    document = report_document(data, _central_name(conn))
    return html_page(document), report_pdf(document, data.study_oid)


def _central_name(conn: Connection) -> str:
    """The central database as the sponsor named it: a SQLite file by its path, a server by its URL without
    the password."""
    url = conn.engine.url
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return shown_url(url.render_as_string(hide_password=True))


def _same_study(conn: Connection, study: Study) -> None:
    found = sorted({str(oid) for oid in conn.execute(select(schema.sources.c.study_oid).distinct()).scalars()})
    other = [oid for oid in found if oid != study.info.oid]
    if other:
        raise ReportError("report-study-mismatch", found=", ".join(other), study=study.info.oid)


def _staged(folder: Path, content: bytes) -> Path:
    """`content` in a new temporary file in `folder` (same file system: the rename is atomic), flushed to disk.
    Made as a plain open() makes a file (0666 less the umask), not as mkstemp's 0600: the report is for
    everyone who may read the folder, as the merged data set beside it is."""
    path = folder / f".merge-report-{secrets.token_hex(6)}.part"
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise ReportError("report-write-failed", folder=folder, reason=exc.strerror or exc) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise ReportError("report-write-failed", folder=folder, reason=exc.strerror or exc) from None
    return path
