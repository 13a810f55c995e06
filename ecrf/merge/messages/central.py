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
        "There is no central database at {path}.",
        "Check the path, or run `ecrf merge` first: it makes the database.",
        "{path} 处没有中心数据库。",
        "请检查路径，或先运行 `ecrf merge`：它会创建数据库。"),
    "central-is-folder": M(
        "{path} is a folder, not a central database file.",
        "Give the database file itself (e.g. {path}/merged.db, the name `ecrf merge` uses unless told otherwise).",
        "{path} 是文件夹，不是中心数据库文件。",
        "请给出数据库文件本身（例如 {path}/merged.db，这是 `ecrf merge` 默认使用的文件名）。"),
    "central-not-database": M(
        "{path} is not an ecrf central database (it is not a SQLite database file); it was left as it is.",
        "Give the file `ecrf merge` made; to start a new central database, give `ecrf merge --into` a path where "
        "no file is yet.",
        "{path} 不是 ecrf 中心数据库（不是 SQLite 数据库文件）；文件保持原样。",
        "请给出 `ecrf merge` 创建的文件；如要新建中心数据库，请给 `ecrf merge --into` 一个尚无文件的路径。"),
    "central-folder-read-only": M(
        "The folder {folder} cannot be written (read-only medium or no permission), so the central database "
        "{path} cannot be made or changed there; nothing was merged.",
        "Give a path in a folder you can write to (or make this folder writable), then run the command again.",
        "文件夹 {folder} 无法写入（只读介质或没有权限），因此无法在其中创建或修改中心数据库 {path}；未合并任何内容。",
        "请给出一个可写入的文件夹中的路径（或使该文件夹可写），然后重新运行命令。"),
    "central-file-read-only": M(
        "The central database {path} is read-only (no permission to write it); nothing was merged.",
        "Make the file writable, or merge into a copy you can write, then run the command again.",
        "中心数据库 {path} 是只读的（没有写入权限）；未合并任何内容。",
        "请使该文件可写，或合并到一个您可写入的副本中，然后重新运行命令。"),
    "central-file-unusable": M(
        "The central database {path} cannot be opened ({reason}).",
        "Check that it is the file `ecrf merge` made and that its disk can be read (and written, to merge), then "
        "run the command again.",
        "无法打开中心数据库 {path}（{reason}）。",
        "请检查它是否为 `ecrf merge` 创建的文件，以及其所在磁盘是否可读（合并时还需可写），然后重新运行命令。"),
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
    "central-unreachable-reading": M(
        "The central database {url} cannot be reached or opened ({reason}); nothing was read from it.",
        "Check that the server is running and the URL, user and password are right, then run the command again.",
        "无法连接或打开中心数据库 {url}（{reason}）；未从中读取任何内容。",
        "请检查服务器是否在运行，地址、用户和密码是否正确，然后重新运行命令。"),
    "central-empty": M(
        "The database {database} holds no merged data yet.",
        "Run `ecrf merge BUNDLE... --into` this database first.",
        "数据库 {database} 中还没有合并的数据。",
        "请先运行 `ecrf merge BUNDLE... --into` 此数据库。"),
    "central-not-ecrf": M(
        "The database {database} already holds tables that ecrf did not make; nothing was written to it.",
        "Give an empty database or one that `ecrf merge` made.",
        "数据库 {database} 中已有不是 ecrf 创建的表；未写入任何内容。",
        "请给出一个空数据库或由 `ecrf merge` 创建的数据库。"),
    "central-schema-version": M(
        "The central database {database} has schema version {found}; this ecrf writes version {expected}.",
        "Use the ecrf version that made it, or merge all bundles again into a new database.",
        "中心数据库 {database} 的结构版本为 {found}；此版本 ecrf 使用版本 {expected}。",
        "请使用创建它的 ecrf 版本，或将所有数据包重新合并到一个新数据库。"),
    "bundle-columns-unknown": M(
        "{file} in this bundle has the columns {found}; this ecrf merges {expected}. Nothing of it was merged.",
        "Merge it with the ecrf version that matches the site's, or ask the site for an export of this version.",
        "此数据包中的 {file} 的列为 {found}；此版本 ecrf 合并的列为 {expected}。未合并其中任何内容。",
        "请使用与站点相符的 ecrf 版本合并，或请站点导出与此版本相符的数据包。"),
}
