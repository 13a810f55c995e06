"""Error messages of the sponsor side: the central database (registered by ecrf.merge.errors)."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
CENTRAL_MESSAGES: dict[str, Message] = {
    "central-url-unsupported": M(
        "{url} is not a database ecrf can merge into.",
        "Give a file path (a SQLite database, made on first use) or a postgresql://user@host:port/database URL.",
        "{url} 不是 ecrf 可以合并到的数据库。",
        "请给出文件路径（SQLite 数据库，首次使用时创建）或 postgresql://user@host:port/database 地址。"),
    "central-missing": M(
        "There is no central database at {url}.",
        "Check the path, or run `ecrf merge` first: it makes the database.",
        "{url} 处没有中心数据库。",
        "请检查路径，或先运行 `ecrf merge`：它会创建数据库。"),
    "central-folder-missing": M(
        "The folder {folder} for the central database does not exist.",
        "Create the folder or give another path.",
        "中心数据库的文件夹 {folder} 不存在。",
        "请创建该文件夹或给出其他路径。"),
    "central-unreachable": M(
        "The central database {url} cannot be reached or opened ({reason}); nothing was merged.",
        "Check that the server is running and the URL, user and password are right, then run the command again.",
        "无法连接或打开中心数据库 {url}（{reason}）；未合并任何内容。",
        "请检查服务器是否在运行，地址、用户和密码是否正确，然后重新运行命令。"),
    "central-empty": M(
        "The database {url} holds no merged data yet.",
        "Run `ecrf merge BUNDLE... --into` this database first.",
        "数据库 {url} 中还没有合并的数据。",
        "请先运行 `ecrf merge BUNDLE... --into` 此数据库。"),
    "central-not-ecrf": M(
        "The database {url} already holds tables that ecrf did not make; nothing was written to it.",
        "Give an empty database or one that `ecrf merge` made.",
        "数据库 {url} 中已有不是 ecrf 创建的表；未写入任何内容。",
        "请给出一个空数据库或由 `ecrf merge` 创建的数据库。"),
    "central-schema-version": M(
        "The central database {url} has schema version {found}; this ecrf writes version {expected}.",
        "Use the ecrf version that made it, or merge all bundles again into a new database.",
        "中心数据库 {url} 的结构版本为 {found}；此版本 ecrf 使用版本 {expected}。",
        "请使用创建它的 ecrf 版本，或将所有数据包重新合并到一个新数据库。"),
    "bundle-columns-unknown": M(
        "{file} in this bundle has the columns {found}; this ecrf merges {expected}. Nothing of it was merged.",
        "Merge it with the ecrf version that matches the site's, or ask the site for an export of this version.",
        "此数据包中的 {file} 的列为 {found}；此版本 ecrf 合并的列为 {expected}。未合并其中任何内容。",
        "请使用与站点相符的 ecrf 版本合并，或请站点导出与此版本相符的数据包。"),
}
