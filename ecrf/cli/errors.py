"""Refusals of the command line itself (a bad file, passwords that differ): the category and its codes."""
from __future__ import annotations

from ecrf.errors import EcrfError, Message, register


class CliError(EcrfError):
    """A refusal of the command line itself; the services' and the store's errors pass through unchanged."""


M = Message
register("cli", {
    "no-secret-given": M(
        "No {what} was given; nothing was done.",
        "Run the command again and type it (or give it on standard input with --password-stdin).",
        "未提供{what}；未执行任何操作。",
        "请重新运行命令并输入（或使用 --password-stdin 从标准输入提供）。"),
    "no-terminal-for-secret": M(
        "There is no terminal to type the {what} in (standard input is a pipe, a file or closed); nothing was "
        "done.",
        "Run the command in a terminal window, or give the password on standard input with --password-stdin "
        "(one line per password the command asks for).",
        "没有可输入{what}的终端（标准输入是管道、文件或已关闭）；未执行任何操作。",
        "请在终端窗口中运行该命令，或使用 --password-stdin 从标准输入提供密码（命令要求的每个密码各占一行）。"),
    "secrets-differ": M(
        "The two entries of the {what} differ; nothing was changed.",
        "Run the command again and type the same text twice.",
        "两次输入的{what}不一致；未修改任何内容。",
        "请重新运行命令，并两次输入相同的内容。"),
    "stdin-ended": M(
        "Standard input ended before the {what} (--password-stdin reads one per line).",
        "Give one line for every password or code the command asks for.",
        "在读取{what}之前标准输入已结束（--password-stdin 每行读取一项）。",
        "请为命令所需的每个密码或代码各提供一行。"),
    "definition-has-problems": M(
        "The study definition in {folder} has {count} problem(s):{first}",
        "Run `ecrf check-forms {folder}` to see them all; the study cannot be used until they are fixed.",
        "{folder} 中的研究定义有 {count} 个问题：{first}",
        "请运行 `ecrf check-forms {folder}` 查看全部问题；修正之前无法使用该研究。"),
    "db-path-unusable": M(
        "The --db path {path} cannot be used: {reason}.",
        "Give the path of the site database file, e.g. --db D:/trial/site.db.",
        "--db 路径 {path} 无法使用：{reason}。",
        "请给出中心数据库文件的路径，例如 --db D:/trial/site.db。"),
    "no-site-at-default": M(
        "There is no site database at {db}, where site commands look when no --db is given (the data folder's "
        "site.db, which `ecrf gui` opens too).",
        "Give the database with `--db PATH`, or make the demo with `ecrf demo` and use it with `--db {demo_db}` "
        "(`ecrf init` creates a real site at the default).",
        "{db} 处没有中心数据库；未给出 --db 时，中心命令都在此处查找（数据文件夹中的 site.db，`ecrf gui` 也打开它）。",
        "请用 `--db 路径` 指定数据库，或用 `ecrf demo` 创建演示中心后以 `--db {demo_db}` 使用它"
        "（`ecrf init` 在默认位置创建正式中心）。"),
    "no-site-at-default-demo-made": M(
        "There is no site database at {db}, where site commands look when no --db is given (the data folder's "
        "site.db, which `ecrf gui` opens too); the demo made by `ecrf demo` is at {demo_db}.",
        "To use the demo, add `--db {demo_db}` to the command (`ecrf init` creates a real site at the default).",
        "{db} 处没有中心数据库；未给出 --db 时，中心命令都在此处查找（数据文件夹中的 site.db，`ecrf gui` 也打开它）；"
        "`ecrf demo` 创建的演示中心在 {demo_db}。",
        "要使用演示中心，请在命令中加上 `--db {demo_db}`（`ecrf init` 在默认位置创建正式中心）。"),
    "no-site-at-path": M(
        "There is no site database at {db} (the --db path given).",
        "Check the path, or make the demo with `ecrf demo` and use it with `--db {demo_db}` "
        "(`ecrf init --db {db}` creates a real site there).",
        "{db}（所给的 --db 路径）处没有中心数据库。",
        "请检查路径，或用 `ecrf demo` 创建演示中心后以 `--db {demo_db}` 使用它"
        "（`ecrf init --db {db}` 在该处创建正式中心）。"),
    "db-path-is-folder": M(
        "The --db path {path} is a folder, not a database file.",
        "Give the database file in it, e.g. --db {example}.",
        "--db 路径 {path} 是文件夹，而不是数据库文件。",
        "请给出其中的数据库文件，例如 --db {example}。"),
    "argument-not-text": M(
        "The value of {option} is not valid text (bytes the system's encoding cannot read); nothing was done.",
        "Type it again in a UTF-8 terminal, or leave out the character that could not be read.",
        "{option} 的值不是有效文本（含系统编码无法读取的字节）；未执行任何操作。",
        "请在 UTF-8 终端中重新输入，或去掉无法读取的字符。"),
    "demo-unavailable": M(
        "The demo site is not available in this version of ecrf.",
        "Install ecrf with its demo (pip install -e .) to make one.",
        "此版本的 ecrf 不提供演示中心。",
        "请安装含演示功能的 ecrf（pip install -e .）。"),
    "demo-exists": M(
        "A demo site exists already at {db}.",
        "Use it with `--db {db_arg}`, or make a new one in its place with `ecrf demo --db {db_arg} --force`.",
        "{db} 处已有演示中心。",
        "请用 `--db {db_arg}` 使用它，或用 `ecrf demo --db {db_arg} --force` 在原处新建一个。"),
    "demo-sponsor-folder-used": M(
        "{folder} exists and is not an empty folder; the sponsor demo makes a new folder of its own.",
        "Give a new folder name, or remove that folder first.",
        "{folder} 已存在且不是空文件夹；申办方演示需要新建自己的文件夹。",
        "请给出新的文件夹名称，或先删除该文件夹。"),
    "demo-force-real-site": M(
        "{db} is the real site's database; `ecrf demo --force` does not delete it.",
        "Give the demo another --db path.",
        "{db} 是正式中心的数据库；`ecrf demo --force` 不会删除它。",
        "请为演示中心指定其他 --db 路径。"),
    "demo-delete-failed": M(
        "Cannot delete {path}: {reason}. Nothing more was removed.",
        "Close the app or command that uses it, or fix the permissions, then try again.",
        "无法删除 {path}：{reason}。未再删除其他内容。",
        "请关闭正在使用它的程序或命令，或修正权限，然后重试。"),
    "gui-cannot-start": M(
        "The desktop app cannot start: {detail}.",
        "Reinstall ecrf with its dependencies (pip install -e .).",
        "桌面程序无法启动：{detail}。",
        "请连同依赖一起重新安装 ecrf（pip install -e .）。"),
    "no-display": M(
        "There is no screen to show the app on (no DISPLAY or WAYLAND_DISPLAY is set).",
        "Start `ecrf gui` from a desktop session, or over SSH with X forwarding (`ssh -X`); for automated tests "
        "set QT_QPA_PLATFORM=offscreen. The command-line tools (`ecrf --help`) work anywhere.",
        "没有可显示程序的屏幕（未设置 DISPLAY 或 WAYLAND_DISPLAY）。",
        "请在桌面会话中启动 `ecrf gui`，或通过带 X 转发的 SSH（`ssh -X`）启动；自动化测试请设置 "
        "QT_QPA_PLATFORM=offscreen。命令行工具（`ecrf --help`）在任何环境下都可使用。"),
    "display-unreachable": M(
        "There is no screen to show the app on: no X server answers at DISPLAY={display}.",
        "Start `ecrf gui` from a desktop session, or over SSH with X forwarding (`ssh -X`); for automated tests "
        "set QT_QPA_PLATFORM=offscreen.",
        "没有可显示程序的屏幕：DISPLAY={display} 处没有响应的 X 服务器。",
        "请在桌面会话中启动 `ecrf gui`，或通过带 X 转发的 SSH（`ssh -X`）启动；自动化测试请设置 "
        "QT_QPA_PLATFORM=offscreen。"),
    "qt-libraries-missing": M(
        "The desktop app cannot start: Qt's X11 platform plugin needs system libraries that are not "
        "installed: {missing}.",
        "Install them (this needs an administrator), then start `ecrf gui` again. Debian/Ubuntu: `{apt}`; "
        "Fedora: `{dnf}`.",
        "桌面程序无法启动：Qt 的 X11 平台插件所需的系统库未安装：{missing}。",
        "请安装这些库（需要管理员权限）后重新启动 `ecrf gui`。Debian/Ubuntu：`{apt}`；"
        "Fedora：`{dnf}`。"),
    "language-not-in-study": M(
        "Language '{lang}' is not in this study.",
        "Use one of: {languages}.",
        "本研究没有语言“{lang}”。",
        "请使用以下之一：{languages}。"),
    "forms-folder-missing": M(
        "There is no study definition folder at {folder}.",
        "Give one with --forms DIR.",
        "{folder} 处没有研究定义文件夹。",
        "请用 --forms DIR 指定。"),
})
