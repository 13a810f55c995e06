"""Faults of the site database and its key file: the store's categories and its catalogue of codes.

Every message says what is wrong and what to do (docs/errors.md lists them)."""
from __future__ import annotations

from ecrf.errors import EcrfError, Message, register


class StoreError(EcrfError):
    """A problem with the database file or its key file."""


class AlreadyOpen(StoreError):
    """Another ecrf window or process has the database open."""


class NotOurDatabase(StoreError):
    """The file is not an ecrf site database, or the key does not open it."""


class DatabaseDamaged(StoreError):
    """The file is ours but fails an integrity check."""


class DiskFull(StoreError):
    """The disk (or the database's size limit) is full; the change was not saved."""


class ReadOnly(StoreError):
    """The database file or its folder cannot be written."""


class SiteExists(StoreError):
    """A new site would overwrite an existing database."""


class NoSite(StoreError):
    """There is no database at the given path (or its folder has gone)."""


M = Message
STORE_MESSAGES: dict[str, Message] = {
    # -- the database file ---------------------------------------------------------------------------------
    "login-ledger-unwritable": M(
        "The file of failed logins {path} cannot be written ({reason}).",
        "Make sure it is an ordinary file in a writable folder (move away anything else of that name), then "
        "try again.",
        "登录失败记录文件 {path} 无法写入（{reason}）。",
        "请确认它是可写文件夹中的普通文件（移走同名的其他内容），然后重试。"),
    "already-open": M(
        "{db} is already open in another ecrf window or process on this computer.",
        "Close it there first (only one program may write to a site at a time).",
        "{db} 已在本机另一个 ecrf 窗口或进程中打开。",
        "请先在那里关闭（同一时间只允许一个程序写入中心数据）。"),
    "lock-failed": M(
        "Cannot lock {db} for use ({reason}).",
        "Check that its folder is writable.",
        "无法锁定 {db}（{reason}）。",
        "请检查其所在文件夹是否可写。"),
    "site-exists": M(
        "{db} already exists.",
        "Choose another --db path, or move the old site away first.",
        "{db} 已存在。",
        "请选择其他 --db 路径，或先将旧中心移走。"),
    "site-keys-left": M(
        "{db} does not exist, but the key file {keys} of a site there does.",
        "It opens that site's database if you restore it from a backup: keep it, move it away, or choose "
        "another --db path.",
        "{db} 不存在，但该处中心的密钥文件 {keys} 仍在。",
        "若从备份恢复该中心数据库，仍需此文件打开它：请保留或移走它，或选择其他 --db 路径。"),
    "no-site": M(
        "There is no site database at {db}.",
        "Create one with `ecrf init`, open the demo with `ecrf demo`, or give the right --db path.",
        "{db} 处没有中心数据库。",
        "请用 `ecrf init` 创建，用 `ecrf demo` 打开演示中心，或给出正确的 --db 路径。"),
    "database-folder-missing": M(
        "The folder {folder} of the site database does not exist (a removed USB drive or network share, a "
        "deleted or renamed folder, or a wrong path), so {db} cannot be opened.",
        "Reconnect the drive or restore the folder from your backup, then try again; or give the right --db "
        "path (`ecrf init` makes a new site).",
        "中心数据库所在的文件夹 {folder} 不存在（U 盘或网络共享被移除、文件夹被删除或改名，或路径有误），"
        "因此无法打开 {db}。",
        "请重新连接该驱动器或从备份恢复该文件夹，然后重试；或给出正确的 --db 路径（`ecrf init` 可新建中心）。"),
    "database-empty": M(
        "{db} is empty, so it is not an ecrf site database.",
        "Restore the database from your backup, or give the right --db path.",
        "{db} 是空文件，不是 ecrf 中心数据库。",
        "请从备份恢复数据库，或给出正确的 --db 路径。"),
    "database-unreadable": M(
        "The site database {db} cannot be read ({reason}).",
        "Check that the drive is present and that your account may read the file, then try again.",
        "无法读取中心数据库 {db}（{reason}）。",
        "请检查驱动器是否已连接、您的账户能否读取该文件，然后重试。"),
    "not-a-site-file": M(
        "{db} is not an ecrf site database ({why}); nothing was opened and no file was made beside it.",
        "Give the --db path of a site's database (the file next to its .keys file).",
        "{db} 不是 ecrf 中心数据库（{why}）；未打开任何文件，也未在其旁边创建文件。",
        "请给出中心数据库的 --db 路径（与其 .keys 文件放在一起的那个文件）。"),
    "key-file-does-not-open-database": M(
        "The key file {keys} does not open {db}: the two do not belong together (the key file of another "
        "site, or one of them was replaced or damaged).",
        "Put the .keys file that was made with this database beside it, e.g. restore both from the same backup.",
        "密钥文件 {keys} 无法打开 {db}：两者不匹配（可能是其他中心的密钥文件，或其中之一被替换或损坏）。",
        "请将与此数据库一同生成的 .keys 文件放在其旁边，例如从同一份备份中同时恢复两者。"),
    "no-site-in-database": M(
        "{db} has no ecrf site in it.",
        "Check that the database and its .keys file belong together.",
        "{db} 中没有 ecrf 中心。",
        "请检查数据库与其 .keys 文件是否配套。"),
    "key-file-of-another-site": M(
        "{keys} belongs to another site database than {db}.",
        "Put the .keys file that was made with this database beside it.",
        "{keys} 属于另一个中心数据库，而不是 {db}。",
        "请将与此数据库一同生成的 .keys 文件放在其旁边。"),
    "not-a-database": M(
        "{path} is not an ecrf database, or the key does not open it.",
        "Check that the database and its .keys file belong together.",
        "{path} 不是 ecrf 数据库，或密钥无法打开它。",
        "请检查数据库与其 .keys 文件是否配套。"),
    "disk-full": M(
        "The disk holding {path} is full: nothing was saved, and the site cannot even be opened while the "
        "disk has no room for the database's working files.",
        "Free some space on that disk (or copy the site to another one) and try again; the data is not damaged.",
        "{path} 所在的磁盘已满：未保存任何内容；磁盘没有空间存放数据库的工作文件时，连打开中心也无法进行。",
        "请在该磁盘上释放一些空间（或将中心复制到其他磁盘）后重试；数据并未损坏。"),
    "read-only": M(
        "{path} cannot be written (read-only file, folder or medium); nothing was saved.",
        "Move the database to a writable folder or fix its permissions.",
        "{path} 无法写入（文件、文件夹或介质为只读）；未保存任何内容。",
        "请将数据库移到可写的文件夹，或修正其权限。"),
    "site-opened-read-only": M(
        "This site is opened read-only: {db} is on read-only media or in a folder you may not write, so "
        "nothing can be changed (the data and the audit trail can be read and verified).",
        "Copy the site folder (the .db and .keys files) to a writable folder and open it there to change "
        "anything.",
        "此中心以只读方式打开：{db} 位于只读介质上或您无权写入的文件夹中，因此不能修改任何内容"
        "（可以查看和核验数据与稽查轨迹）。",
        "如需修改，请将中心文件夹（.db 和 .keys 文件）复制到可写的文件夹，并在那里打开。"),
    "opened-read-only": M(
        "{db} is on read-only media or in a folder you may not write, so it is opened read-only: you can read "
        "the data and the audit trail, and this login is not recorded in the audit trail.",
        "Copy the site folder (the .db and .keys files) to a writable folder and open it there to change "
        "anything.",
        "{db} 位于只读介质上或您无权写入的文件夹中，因此以只读方式打开：可以查看数据和稽查轨迹，"
        "本次登录不会记入稽查轨迹。",
        "如需修改，请将中心文件夹（.db 和 .keys 文件）复制到可写的文件夹，并在那里打开。"),
    "read-only-site-needs-upgrade": M(
        "{db} was made by another version of ecrf and must be upgraded before it can be opened, which "
        "cannot be done on read-only media.",
        "Copy the site folder (the .db and .keys files) to a writable folder and open it there.",
        "{db} 由其他版本的 ecrf 创建，需先升级才能打开，而只读介质上无法升级。",
        "请将中心文件夹（.db 和 .keys 文件）复制到可写的文件夹，并在那里打开。"),
    "database-damaged": M(
        "{path} is damaged ({detail}).",
        "Restore the latest backup with `ecrf restore`.",
        "{path} 已损坏（{detail}）。",
        "请用 `ecrf restore` 恢复最近的备份。"),
    "database-busy": M(
        "{path} is busy in another process.",
        "Try again in a moment.",
        "{path} 正被另一个进程使用。",
        "请稍后重试。"),
    "database-error": M(
        "The database {path} reported an error: {detail}.",
        "Try again; if it happens again, tell the site administrator.",
        "数据库 {path} 报告错误：{detail}。",
        "请重试；如再次出现，请告知中心管理员。"),
    # -- the key file (site.keys) --------------------------------------------------------------------------
    "key-file-missing": M(
        "The key file {path} is missing, so the database cannot be opened.",
        "Restore it from your backup next to the database.",
        "密钥文件 {path} 缺失，因此无法打开数据库。",
        "请从备份中恢复该文件，放回数据库旁边。"),
    "key-file-unreadable": M(
        "The key file {path} could not be read ({reason}).",
        "Check that it is accessible and try again.",
        "无法读取密钥文件 {path}（{reason}）。",
        "请检查该文件是否可以访问，然后重试。"),
    "key-file-damaged": M(
        "The key file {path} is damaged or has been altered ({detail}).",
        "Restore it from your backup; do not edit it by hand.",
        "密钥文件 {path} 已损坏或被改动（{detail}）。",
        "请从备份中恢复；不要手工编辑该文件。"),
    "key-slot-missing": M(
        "There is no key slot '{slot}' in {path}.",
        "Check the user name, or ask the site administrator to add one.",
        "{path} 中没有密钥槽“{slot}”。",
        "请检查用户名，或请中心管理员添加。"),
    "wrong-password": M(
        "The password does not open key slot '{slot}'.",
        "Check the password (and Caps Lock) and try again.",
        "密码无法打开密钥槽“{slot}”。",
        "请检查密码（以及大写锁定键）后重试。"),
    "wrong-recovery-code": M(
        "The recovery code does not open key slot '{slot}'.",
        "Check the recovery code and try again.",
        "恢复码无法打开密钥槽“{slot}”。",
        "请检查恢复码后重试。"),
    "empty-secret": M(
        "An empty password or recovery code cannot protect key slot '{slot}'.",
        "Give a password that is not empty.",
        "空的密码或恢复码不能保护密钥槽“{slot}”。",
        "请提供非空的密码。"),
}
register("store", STORE_MESSAGES)
