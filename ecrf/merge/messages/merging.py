"""Error messages of the sponsor side: merging (registered by ecrf.merge.errors).

Two kinds: what stops `ecrf merge` before anything is merged (no trust source, a path that is not there), and
the reasons a single bundle is refused, kept with the bundle in the central database (`bundles.reason`) and
shown in the merge's progress and the report. A refused bundle's reason starts with its file name, like a
verification verdict, and never changes what was merged before.
"""
from __future__ import annotations

from ecrf.errors import Message

M = Message
_KEPT_EN = "The merged data of that site were kept as they were."
_KEPT_ZH = "该中心已合并的数据保持不变。"
_EXPLAIN_EN = ("Do not use this bundle: ask the site what happened (e.g. a restored backup that went on "
               "differently) and report it to the study's data manager. " + _KEPT_EN)
_EXPLAIN_ZH = ("请勿使用此数据包：请询问该中心发生了什么（例如恢复的备份之后有了不同的记录），"
               "并报告给研究的数据管理员。" + _KEPT_ZH)

MERGING_MESSAGES: dict[str, Message] = {
    "merge-no-trust": M(
        "No trust source: the site certificates that sign the bundles cannot be checked, so nothing was merged.",
        "Register each site's certificate with `ecrf trust add --site CODE CERT` (or give --registry FILE), "
        "or give the sites' certificates with --trust CERT.",
        "没有信任来源：无法核对签署数据包的中心证书，因此未合并任何内容。",
        "请用 `ecrf trust add --site CODE CERT` 登记每个中心的证书（或给出 --registry FILE），"
        "或用 --trust CERT 给出各中心的证书。"),
    "merge-path-missing": M(
        "{path} does not exist; nothing was merged.",
        "Check the name of the bundle or folder and run the command again.",
        "{path} 不存在；未合并任何内容。",
        "请检查数据包或文件夹的名称，然后重新运行命令。"),
    "merge-no-bundles": M(
        "No bundle to merge: {where} holds no .zip file.",
        "Give the bundles (zip files) or the folder that holds them.",
        "没有可合并的数据包：{where} 中没有 .zip 文件。",
        "请给出数据包（zip 文件）或存放它们的文件夹。"),
    "merge-database-failed": M(
        "The central database {database} failed during the merge ({reason}). Every bundle merged before it stays "
        "merged whole; the one being merged was rolled back.",
        "Put the database right (server running, disk space), then run the same merge again: what was merged is "
        "recognised and skipped.",
        "中心数据库 {database} 在合并过程中出错（{reason}）。此前已合并的每个数据包保持完整；正在合并的数据包已回滚。",
        "请修复数据库（服务器运行、磁盘空间），然后重新运行同样的合并：已合并的内容会被识别并跳过。"),
    "merge-file-unreadable": M(
        "{file}: the file could not be read ({reason}); it was not merged.",
        "Check that the file is still there and readable (a USB stick removed?), then merge it again.",
        "{file}：无法读取该文件（{reason}）；未合并。",
        "请检查文件是否仍在且可读（U 盘是否已拔出？），然后重新合并。"),
    "merge-signer-not-trusted": M(
        "{file}: its signer is not a registered certificate of the site, study and installation it claims; "
        "it was not merged.",
        "Check the certificate with the site and register it (`ecrf trust add`), then merge it again.",
        "{file}：其签署者不是其所声称的中心、研究和安装的已登记证书；未合并。",
        "请与该中心核对证书并登记（`ecrf trust add`），然后重新合并。"),
    "merge-file-changed": M(
        "{file}: the file changed while it was being merged (SHA-256 {before} when first read, {after} when "
        "copied for checking); it was not merged.",
        "Make sure nothing writes to the file (a copy still in progress?), then merge it again.",
        "{file}：文件在合并过程中被更改（首次读取时 SHA-256 为 {before}，复制检查时为 {after}）；未合并。",
        "请确保没有程序在写入该文件（是否仍在复制？），然后重新合并。"),
    "merge-another-study": M(
        "{file}: a bundle of study {found}; this merge is for study {expected}.",
        "Merge it into that study's central database, with that study's definition (--forms).",
        "{file}：这是研究 {found} 的数据包；本次合并针对研究 {expected}。",
        "请用该研究的定义（--forms）将其合并到该研究的中心数据库。"),
    "merge-other-definition": M(
        "{file}: made under another study definition (fingerprint {found}); this merge uses the definition "
        "with fingerprint {expected}.",
        "Merge with the definition the site uses (--forms DIR), or have the site move to this definition "
        "and export again.",
        "{file}：按另一份研究定义生成（指纹 {found}）；本次合并使用指纹为 {expected} 的定义。",
        "请使用该中心所用的定义合并（--forms DIR），或让该中心改用此定义后重新导出。"),
    "merge-fork": M(
        "{file}: fork: export {sequence} of {site} holds event {event} with another hash than the merged "
        "export {merged}.",
        _EXPLAIN_EN,
        "{file}：分叉：{site} 的第 {sequence} 次导出中事件 {event} 的哈希值与已合并的第 {merged} 次导出不同。",
        _EXPLAIN_ZH),
    "merge-rollback": M(
        "{file}: rollback: export {sequence} of {site} ends at event {head}, before event {event} that the "
        "merged export {merged} already holds.",
        _EXPLAIN_EN,
        "{file}：回退：{site} 的第 {sequence} 次导出止于事件 {head}，"
        "早于已合并的第 {merged} 次导出已有的事件 {event}。",
        _EXPLAIN_ZH),
    "merge-previous-differs": M(
        "{file}: fork: export {sequence} of {site} follows another export {merged} than the one merged "
        "(its manifest names {named} as the previous one, the merged one is {actual}).",
        _EXPLAIN_EN,
        "{file}：分叉：{site} 的第 {sequence} 次导出所接续的第 {merged} 次导出不是已合并的那一次"
        "（其清单记录的上一次为 {named}，已合并的为 {actual}）。",
        _EXPLAIN_ZH),
    "merge-sequence-not-growing": M(
        "{file}: export {sequence} of {site} holds events after the merged export {merged} but its export number "
        "does not grow.",
        _EXPLAIN_EN,
        "{file}：{site} 的第 {sequence} 次导出包含已合并的第 {merged} 次导出之后的事件，但其导出编号没有增加。",
        _EXPLAIN_ZH),
    "merge-subject-conflict": M(
        "{file}: subject id(s) {subjects} of {site} (installation {installation}) already held by {held_by}; "
        "nothing of this bundle was merged.",
        "Find out which site the subject belongs to (two installations using the same site code?) and have the "
        "wrong one corrected; the merged data were kept and are never overwritten.",
        "{file}：{site}（安装 {installation}）的受试者 {subjects} 已由 {held_by} 持有；此数据包的任何内容均未合并。",
        "请查明该受试者属于哪个中心（是否有两个安装使用了同一中心代码？）并让错误的一方更正；"
        "已合并的数据保持不变，绝不会被覆盖。"),
}
