"""Error codes of the monitoring visit report, merged into SERVICE_MESSAGES."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
REPORT_MESSAGES: dict[str, Message] = {
    "report-period-reversed": M(
        "The report period starts ({since}) after it ends ({until}).",
        "Give a start before the end, or leave the start out to report since your first login today.",
        "报告期间的开始时间（{since}）晚于结束时间（{until}）。",
        "请给出早于结束时间的开始时间，或不填开始时间以报告自您今天首次登录以来的情况。"),
    "report-not-written": M(
        "The visit report could not be written to {path}: {reason}.",
        "Choose another folder or file name (a folder you may write to, with free space), then save it again.",
        "监查访视报告无法写入 {path}：{reason}。",
        "请选择其他文件夹或文件名（您有写入权限且有剩余空间的文件夹），然后重新保存。"),
    "report-bad-date": M(
        "'{text}' is not a date like 2026-12-03.",
        "Give the date as year-month-day, e.g. --since 2026-12-03.",
        "“{text}”不是形如 2026-12-03 的日期。",
        "请按年-月-日填写日期，例如 --since 2026-12-03。"),
}
