"""Error codes of tamper evidence (personal keys, seals, trail findings), merged into SERVICE_MESSAGES."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
INTEGRITY_MESSAGES: dict[str, Message] = {
    "personal-key-mismatch": M(
        "The personal signing key in your key slot is not the one the audit trail registered for '{username}': "
        "the key file or the trail was changed by someone else.",
        "Do not use this account. Tell the site administrator, who resets your password (which issues you a new "
        "key, audited), and report it to the sponsor.",
        "您密钥槽中的个人签名密钥与稽查轨迹为“{username}”登记的密钥不一致：密钥文件或稽查轨迹已被他人修改。",
        "请勿使用此账户。请告知中心管理员重置您的密码（将为您签发新密钥并记入稽查轨迹），并报告申办方。"),
    "role-mismatch": M(
        "The account '{username}' has the role {stored} in the database, but the audit trail gave it {trail}: "
        "the role was changed outside ecrf.",
        "Do not use this account. Tell the site administrator, who sets the role again (audited), and report it "
        "to the sponsor.",
        "账户“{username}”在数据库中的角色为 {stored}，但稽查轨迹记录的角色为 {trail}：该角色在 ecrf 之外被修改。",
        "请勿使用此账户。请告知中心管理员重新设置角色（记入稽查轨迹），并报告申办方。"),
    "no-site-key-access": M(
        "Your key slot does not hold the site signing key, so you cannot sign a bundle.",
        "Only investigators, study nurses and the site administrator hold it; if you are one of them, ask the "
        "site administrator to reset your password, which grants it again.",
        "您的密钥槽中没有中心签名密钥，因此无法签署数据包。",
        "只有研究者、研究护士和中心管理员持有该密钥；如果您是其中之一，请中心管理员重置您的密码以重新授予。"),
    "export-blocked-by-finding": M(
        "The audit trail check found {count} problem(s) that no administrator has recorded a reason for; the first: "
        "{problem}.",
        "Keep this PC as it is and tell the sponsor. A site administrator records the reason (Administration › "
        "Audit trail, or `ecrf audit acknowledge --reason TEXT`); the bundle then carries the finding.",
        "稽查轨迹检查发现 {count} 个尚无管理员登记原因的问题；第一个：{problem}。",
        "请保持此电脑现状并告知申办方。由中心管理员登记原因（管理 › 稽查轨迹，"
        "或 `ecrf audit acknowledge --reason 文字`）；之后导出的数据包将附带此发现。"),
    "finding-reason-required": M(
        "A reason is required to record an audit trail finding.",
        "Say what is known: who was told, what was found, what was done.",
        "登记稽查轨迹发现时必须填写原因。",
        "请写明已知情况：通知了谁、发现了什么、采取了什么措施。"),
    "no-finding-to-acknowledge": M(
        "The audit trail check finds no open problem to record a reason for.",
        "Nothing to do: export is not blocked.",
        "稽查轨迹检查没有发现需要登记原因的问题。",
        "无需操作：导出未被阻止。"),
    "recovery-code-locked": M(
        "The recovery code was entered wrongly {failures} times; it is locked until {until}.",
        "Wait until then; each further wrong code doubles the wait.",
        "恢复码已连续输错 {failures} 次，锁定至 {until}。",
        "请等到该时间；每多输错一次，等待时间加倍。"),
    "against-is-folder": M(
        "{path} is a folder, not a bundle or a backup.",
        "Give the .zip file of an export bundle or a backup made by ecrf (inside that folder, perhaps).",
        "{path} 是文件夹，不是数据包或备份。",
        "请提供由 ecrf 生成的导出数据包或备份的 .zip 文件（可能就在该文件夹中）。"),
    "against-missing": M(
        "There is no file at {path}.",
        "Check the path of the bundle or backup to compare with, and try again.",
        "{path} 处没有文件。",
        "请检查要比对的数据包或备份的路径后重试。"),
    "against-unreadable": M(
        "{path} cannot be read as a bundle or a backup: {reason}.",
        "Give an export bundle (.zip) or a backup file made by ecrf.",
        "无法将 {path} 读取为数据包或备份：{reason}。",
        "请提供由 ecrf 生成的导出数据包（.zip）或备份文件。"),
    "against-not-a-copy": M(
        "{path} is neither an export bundle nor a backup of ecrf.",
        "Give an export bundle (.zip) or a backup file made by ecrf.",
        "{path} 既不是 ecrf 的导出数据包也不是备份。",
        "请提供由 ecrf 生成的导出数据包（.zip）或备份文件。"),
    "against-other-site": M(
        "The bundle {path} was not signed by this site's key.",
        "Compare this site with its own bundles or backups.",
        "数据包 {path} 不是由本中心的密钥签署的。",
        "请用本中心自己的数据包或备份进行比对。"),
}
