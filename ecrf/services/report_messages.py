"""Error codes of the reports and prints made at the site (the monitoring visit report, a printed form),
merged into SERVICE_MESSAGES."""
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
    "print-form-unknown": M(
        "The study definition has no form '{form}' to print.",
        "Open the form from the subject's schedule and print it from there.",
        "研究定义中没有可打印的表单“{form}”。",
        "请从受试者的访视计划中打开该表单，再从表单中打印。"),
    "print-nothing-saved": M(
        "Nothing is saved on {where} yet, so there are no values to print.",
        "Print the blank form instead, or save the form first and print it again.",
        "{where} 尚未保存任何内容，没有可打印的数值。",
        "请改为打印空白表单，或先保存表单后再打印。"),
    "print-not-written": M(
        "The printed form could not be written to {path}: {reason}.",
        "Choose another folder or file name (a folder you may write to, with free space), then save it again.",
        "打印的表单无法写入 {path}：{reason}。",
        "请选择其他文件夹或文件名（您有写入权限且有剩余空间的文件夹），然后重新保存。"),
}
