"""The last resort for bugs: an exception that is not an `EcrfError` is written, with its traceback, to a
log file under the data folder, and the user gets a short message naming that file.

Shared by the command line and the app (no Qt here). Writing the log never raises: when it cannot be
written, the message says so instead of naming a file.
"""
from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ecrf import __version__
from ecrf.errors import is_chinese
from ecrf.paths import data_dir


@dataclass(frozen=True)
class CrashReport:
    """Where the traceback went: `log` is None when it could not be written (`why` then says why)."""

    log: Path | None
    why: str = ""


def logs_dir() -> Path:
    return data_dir() / "logs"


def write_crash_log(exc: BaseException, folder: Path | None = None, now: datetime | None = None) -> CrashReport:
    """Write the traceback of `exc` to `<folder>/crash-<UTC time>-<pid>.log` (folder: data folder/logs)."""
    try:
        folder = folder if folder is not None else logs_dir()
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S.%fZ")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{stamp}-{os.getpid()}.log"
        with open(path, "x", encoding="utf-8", errors="replace") as out:
            out.write(_report_text(exc))
        return CrashReport(path)
    except Exception as failure:  # noqa: BLE001 - the crash handler itself must never crash
        return CrashReport(None, f"{type(failure).__name__}: {failure}")


def _report_text(exc: BaseException) -> str:
    import platform  # only when a crash is written: importing it cost every start of the app a few ms

    head = (f"ecrf {__version__} on Python {platform.python_version()} ({platform.platform()})\n"
            f"time (UTC): {datetime.now(UTC).isoformat(timespec='seconds')}\n"
            f"command: {' '.join(sys.argv)}\n\n")
    return head + "".join(traceback.format_exception(exc))


def crash_message(exc: BaseException, report: CrashReport, lang: str = "en") -> str:
    """The short message for the user: what happened, where the details are, what to do."""
    what = f"{type(exc).__name__}"
    if is_chinese(lang):
        where = (f"详细信息已写入 {report.log}：请将该文件连同您当时的操作发给中心管理员。" if report.log else
                 f"详细信息无法写入日志文件（{report.why}）：请将您当时的操作告知中心管理员。")
        return f"ecrf 出现意外错误（{what}），这是程序缺陷。出错的步骤没有保存任何内容。{where}"
    where = (f"The details are in {report.log}: send that file, with what you were doing, to the site "
             "administrator." if report.log else
             f"The details could not be written to a log file ({report.why}): tell the site administrator "
             "what you were doing.")
    return f"ecrf met an unexpected error ({what}); this is a bug. Nothing was saved by the step that failed. {where}"


def report_crash(exc: BaseException, lang: str = "en") -> str:
    """Log `exc` and return the message to show."""
    return crash_message(exc, write_crash_log(exc), lang)
