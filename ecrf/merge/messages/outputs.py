"""Error messages of the sponsor side: outputs (registered by ecrf.merge.errors)."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
OUTPUT_MESSAGES: dict[str, Message] = {
    "merged-nothing-merged": M(
        "The central database {database} holds no site's data yet; there is nothing to export.",
        "Merge the sites' bundles first (`ecrf merge BUNDLE... --into` this database), then export again.",
        "中心数据库 {database} 中还没有任何中心的数据；没有可导出的内容。",
        "请先合并各中心的数据包（`ecrf merge BUNDLE... --into` 此数据库），然后重新导出。"),
    "merged-other-study": M(
        "Site {site}'s data in the central database is of study {found}, not of the study definition given "
        "({expected}); nothing was written.",
        "Give the study definition of this central database with --forms.",
        "中心数据库中中心 {site} 的数据属于研究 {found}，而不是所给研究定义的研究（{expected}）；未写入任何内容。",
        "请用 --forms 给出此中心数据库所属的研究定义。"),
    "merged-definition-differs": M(
        "Site {site}'s data was entered under another version of the study definition (fingerprint {found}…) "
        "than the one given ({expected}…); nothing was written.",
        "Give the definition folder the sites use (--forms), the one whose fingerprint the bundles name.",
        "中心 {site} 的数据是在另一版本的研究定义下录入的（指纹 {found}…），与所给定义（{expected}…）不同；"
        "未写入任何内容。",
        "请用 --forms 给出各中心所用的定义文件夹，即数据包中指纹所指的那个。"),
    "merged-odm-definitions-differ": M(
        "The study definition in site {site}'s ODM file differs from site {first}'s; one merged ODM file "
        "cannot hold both, so nothing was written.",
        "Have the sites export again with the same ecrf and study definition, merge the new bundles, then export.",
        "中心 {site} 的 ODM 文件中的研究定义与中心 {first} 的不同；一个合并的 ODM 文件无法同时容纳两者，"
        "因此未写入任何内容。",
        "请让各中心使用相同的 ecrf 和研究定义重新导出，合并新的数据包，然后再导出。"),
    "merged-odm-missing": M(
        "The central database holds no ODM file of site {site}; nothing was written.",
        "Merge that site's newest bundle again (`ecrf merge`), then export again.",
        "中心数据库中没有中心 {site} 的 ODM 文件；未写入任何内容。",
        "请重新合并该中心最新的数据包（`ecrf merge`），然后重新导出。"),
    "merged-odm-unreadable": M(
        "Site {site}'s ODM file in the central database cannot be read ({reason}); nothing was written.",
        "Merge that site's newest bundle again (`ecrf merge`); if it stays, report it with the bundle.",
        "无法读取中心数据库中中心 {site} 的 ODM 文件（{reason}）；未写入任何内容。",
        "请重新合并该中心最新的数据包（`ecrf merge`）；如果问题仍在，请连同数据包一起报告。"),
    "merged-odm-unexpected": M(
        "Site {site}'s ODM file holds clinical data ecrf does not write ({element}); it would be lost in the "
        "merged file, so nothing was written.",
        "Check where that site's bundle came from; report it with the bundle.",
        "中心 {site} 的 ODM 文件包含 ecrf 不会写入的临床数据（{element}）；它在合并文件中会丢失，"
        "因此未写入任何内容。",
        "请核查该中心数据包的来源，并连同数据包一起报告。"),
    "merged-form-row-damaged": M(
        "Row {row} of form {form} of site {site} in the central database is damaged (not the form's columns); "
        "nothing was written.",
        "Merge that site's newest bundle again (`ecrf merge`); if it stays, restore the central database from "
        "its backup or merge every bundle into a new one.",
        "中心数据库中中心 {site} 的表单 {form} 第 {row} 行已损坏（与表单的列不符）；未写入任何内容。",
        "请重新合并该中心最新的数据包（`ecrf merge`）；如果问题仍在，请从备份恢复中心数据库，"
        "或将所有数据包合并到一个新数据库。"),
    "merged-changed-during-export": M(
        "The central database {database} changed while the merged data set was being written (a merge ran); the "
        "files would mix two states, so they were removed.",
        "Run the export again when no merge is running.",
        "写入合并数据集期间中心数据库 {database} 发生了变化（有合并在运行）；文件会混合两种状态，因此已删除。",
        "请在没有合并运行时重新导出。"),
    "merged-out-not-folder": M(
        "{path} is a file, not a folder; nothing was written.",
        "Give a new or empty folder for the merged data set.",
        "{path} 是文件而不是文件夹；未写入任何内容。",
        "请为合并数据集给出一个新的或空的文件夹。"),
    "merged-out-not-empty": M(
        "The folder {path} is not empty; the merged data set is never written over other files.",
        "Give a new or empty folder (an older data set stays as it is).",
        "文件夹 {path} 不是空的；合并数据集从不覆盖其他文件。",
        "请给出一个新的或空的文件夹（较早的数据集保持不变）。"),
    "merged-out-parent-missing": M(
        "The folder {folder}, where the merged data set's folder would be made, does not exist.",
        "Create it or give another path.",
        "要在其中创建合并数据集文件夹的文件夹 {folder} 不存在。",
        "请创建它或给出其他路径。"),
    "merged-out-read-only": M(
        "The folder {folder} cannot be written (read-only medium or no permission); nothing was written.",
        "Give a folder you can write to (or make this one writable), then export again.",
        "文件夹 {folder} 无法写入（只读介质或没有权限）；未写入任何内容。",
        "请给出一个可写入的文件夹（或使该文件夹可写），然后重新导出。"),
    "merged-out-write-failed": M(
        "The merged data set could not be written into {folder} ({reason}); nothing was kept.",
        "Check that the disk has space and the folder can be written, then export again.",
        "无法将合并数据集写入 {folder}（{reason}）；未保留任何内容。",
        "请检查磁盘是否有空间、文件夹是否可写，然后重新导出。"),
}
