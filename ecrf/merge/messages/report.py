"""Error messages of the sponsor side: the merge report (registered by ecrf.merge.errors)."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
REPORT_MESSAGES: dict[str, Message] = {
    "report-folder-missing": M(
        "The folder {folder} for the merge report cannot be made: it is a file, or the folder above it does not exist.",
        "Give a folder whose parent exists.",
        "无法创建合并报告的文件夹 {folder}：它是一个文件，或其上级文件夹不存在。",
        "请给出上级文件夹存在的文件夹。"),
    "report-write-failed": M(
        "The merge report could not be written to {folder} ({reason}); the report files there were not changed.",
        "Check that the folder is writable and the disk has space, then run the command again.",
        "无法将合并报告写入 {folder}（{reason}）；该处原有的报告文件未被更改。",
        "请检查该文件夹是否可写、磁盘是否有空间，然后重新运行命令。"),
    "report-study-mismatch": M(
        "The central database holds study {found}, but the study definition given is {study}.",
        "Give --forms the definition folder of study {found}.",
        "中心数据库中的研究为 {found}，但所给的研究定义为 {study}。",
        "请用 --forms 给出研究 {found} 的定义文件夹。"),
}
