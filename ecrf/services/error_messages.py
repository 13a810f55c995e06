"""The services' catalogue of error codes: for each situation, what is wrong and what to do, in English and
Chinese (registered by `ecrf.services.errors`; docs/errors.md is made from it)."""
from __future__ import annotations

from ecrf.errors import Bug, Message

M = Message
SERVICE_MESSAGES: dict[str, Message] = {
    # -- permissions and sessions --------------------------------------------------------------------------
    "permission-denied": M(
        "As {role} you may not {action}.",
        "Ask a user with the role {roles}.",
        "您的角色（{role}）无权执行此操作：{action}。",
        "请联系具有以下角色的用户：{roles}。"),
    "session-locked": M(
        "The session is locked after a period without activity.",
        "Enter your password to continue.",
        "长时间无操作，会话已锁定。",
        "请输入密码以继续。"),
    "temporary-password": M(
        "Your password is a temporary one set by the site administrator.",
        "Change it first (`ecrf users passwd`, or the dialog in the app).",
        "您的密码是中心管理员设置的临时密码。",
        "请先修改密码（`ecrf users passwd`，或在程序的对话框中修改）。"),
    "wrong-study": M(
        "This site database belongs to study {site_study}, but the study definition loaded is {loaded_study}.",
        "Start ecrf with the forms of {site_study}.",
        "此中心数据库属于研究 {site_study}，但加载的研究定义是 {loaded_study}。",
        "请使用 {site_study} 的表单定义启动 ecrf。"),
    # -- logins and passwords ------------------------------------------------------------------------------
    # The lockout counts by the username typed, whether or not such a user exists, and its words are the same
    # for both: they never say "the account", so a guesser cannot tell a real username from a made-up one.
    "login-failed": M(
        "Wrong username or password.",
        "{left} attempt(s) left before logins with this username are refused for a while; check the username, "
        "the password and Caps Lock.",
        "用户名或密码错误。",
        "还可尝试 {left} 次，之后将暂时拒绝使用该用户名登录；请检查用户名、密码以及大写锁定键。"),
    "login-failed-read-only": M(
        "Wrong username or password.",
        "The site is on read-only media, so this attempt cannot be recorded or counted; check the username, the "
        "password and Caps Lock.",
        "用户名或密码错误。",
        "此中心位于只读介质上，本次尝试无法记录或计数；请检查用户名、密码以及大写锁定键。"),
    "login-failed-now-locked": M(
        "Wrong username or password. After {failures} failed attempts, logins as '{username}' are refused for "
        "{minutes} minute(s).",
        "Wait, or ask the site administrator to reset the password.",
        "用户名或密码错误。因 {failures} 次尝试失败，{minutes} 分钟内将拒绝以“{username}”登录。",
        "请等待，或请中心管理员重置密码。"),
    # Where the username is known (the lock screen, an electronic signature), only the password can be wrong.
    "password-wrong": M(
        "Wrong password.",
        "{left} attempt(s) left before logins as '{username}' are refused for a while; check the password and "
        "Caps Lock.",
        "密码错误。",
        "还可尝试 {left} 次，之后将暂时拒绝以“{username}”登录；请检查密码以及大写锁定键。"),
    "password-wrong-read-only": M(
        "Wrong password.",
        "The site is on read-only media, so this attempt cannot be recorded or counted; check the password and "
        "Caps Lock.",
        "密码错误。",
        "此中心位于只读介质上，本次尝试无法记录或计数；请检查密码以及大写锁定键。"),
    "password-wrong-now-locked": M(
        "Wrong password. After {failures} failed attempts, logins as '{username}' are refused for {minutes} "
        "minute(s).",
        "Wait, or ask the site administrator to reset the password.",
        "密码错误。因 {failures} 次尝试失败，{minutes} 分钟内将拒绝以“{username}”登录。",
        "请等待，或请中心管理员重置密码。"),
    "account-locked": M(
        "After {failures} failed attempts, logins as '{username}' are refused until {until}.",
        "Wait until then, or ask the site administrator to reset the password.",
        "因 {failures} 次尝试失败，在 {until} 之前将拒绝以“{username}”登录。",
        "请等到该时间，或请中心管理员重置密码。"),
    "account-inactive": M(
        "The account '{username}' is not active at this site.",
        "Ask the site administrator.",
        "账户“{username}”在本中心未启用。",
        "请联系中心管理员。"),
    "password-too-short": M(
        "The password is too short.",
        "Use at least {min_length} characters.",
        "密码太短。",
        "请至少使用 {min_length} 个字符。"),
    "password-is-username": M(
        "The password must not be the username.",
        "Choose another password.",
        "密码不能与用户名相同。",
        "请另选一个密码。"),
    "password-unchanged": M(
        "The new password is the same as the old one.",
        "Choose a different one.",
        "新密码与旧密码相同。",
        "请另选一个密码。"),
    "current-password-wrong": M(
        "The current password is wrong; the password was not changed.",
        "Type your current password again (check Caps Lock).",
        "当前密码错误；密码未修改。",
        "请重新输入当前密码（注意大写锁定键）。"),
    "recovery-code-wrong": M(
        "The recovery code is wrong.",
        "Type it exactly as printed at site setup.",
        "恢复码错误。",
        "请按中心设置时打印的内容准确输入。"),
    # -- users ---------------------------------------------------------------------------------------------
    "role-unknown": M(
        "'{role}' is not a role.",
        "Use one of: {roles}.",
        "“{role}”不是有效角色。",
        "请使用以下之一：{roles}。"),
    "user-not-found": M(
        "There is no user '{username}' at this site.",
        "Check the username; `ecrf users list` shows who there is.",
        "本中心没有用户“{username}”。",
        "请检查用户名；`ecrf users list` 可列出所有用户。"),
    "full-name-required": M(
        "The full name is missing; it appears in the audit trail and on signatures.",
        "Give the user's full name.",
        "缺少全名；全名会出现在稽查轨迹和签名中。",
        "请填写用户的全名。"),
    "username-reserved": M(
        "The username '{username}' is reserved: the eCRF signs its own automatic steps with it.",
        "Choose another username.",
        "用户名“{username}”为系统保留：本系统以此名记录其自动执行的步骤。",
        "请另选一个用户名。"),
    "username-taken": M(
        "The username '{username}' is taken (usernames are never reused).",
        "Choose another.",
        "用户名“{username}”已被使用（用户名不能重复使用）。",
        "请另选一个。"),
    "username-invalid": M(
        "'{username}' cannot be a username.",
        "Use 2–32 lower-case letters, digits, '.', '_' or '-', starting with a letter.",
        "“{username}”不能作为用户名。",
        "请使用 2–32 个小写字母、数字、“.”、“_”或“-”，并以字母开头。"),
    "deactivate-reason-required": M(
        "There is no reason for deactivating the account.",
        "Give a reason for deactivating the account.",
        "缺少停用账户的原因。",
        "请填写停用账户的原因。"),
    "deactivate-own-account": M(
        "You cannot deactivate your own account.",
        "Ask another site administrator.",
        "您不能停用自己的账户。",
        "请联系另一位中心管理员。"),
    "account-unlock-reason-required": M(
        "Lifting a lockout needs a reason (e.g. the user called and was recognised).",
        "Give the reason.",
        "解除锁定需要填写原因（例如用户来电且已核实身份）。",
        "请填写原因。"),
    "account-not-locked": M(
        "'{username}' is not locked out (the lock may have run out already).",
        "Nothing needs to be done: the user can log in.",
        "“{username}”未被锁定（锁定可能已自动解除）。",
        "无需操作：该用户可以登录。"),
    "user-already-inactive": M(
        "'{username}' is already deactivated.",
        "Nothing needs to be done.",
        "“{username}”已被停用。",
        "无需再操作。"),
    "change-own-role": M(
        "You cannot change your own role.",
        "Ask another site administrator.",
        "您不能修改自己的角色。",
        "请联系另一位中心管理员。"),
    "role-reason-required": M(
        "There is no reason for changing the role.",
        "Give a reason for changing the role.",
        "缺少修改角色的原因。",
        "请填写修改角色的原因。"),
    # -- site setup and settings ---------------------------------------------------------------------------
    "site-code-invalid": M(
        "'{site_code}' cannot be a site code.",
        "Use 2–10 capital letters or digits, e.g. CN01.",
        "“{site_code}”不能作为中心编号。",
        "请使用 2–10 个大写字母或数字，例如 CN01。"),
    "admin-full-name-required": M(
        "The administrator's full name is missing; it appears in the audit trail.",
        "Give the administrator's full name.",
        "缺少管理员的全名；全名会出现在稽查轨迹中。",
        "请填写管理员的全名。"),
    "idle-lock-out-of-range": M(
        "The idle lock must be between {low} and {high} minutes (you gave {minutes}).",
        "Give a number of minutes in that range.",
        "空闲锁定时间必须在 {low} 到 {high} 分钟之间（您填写的是 {minutes}）。",
        "请填写此范围内的分钟数。"),
    "no-signing-key": M(
        "This site has no signing key yet.",
        "It is made at the first export, or when an investigator, a study nurse or the site administrator "
        "asks for the certificate.",
        "本中心还没有签名密钥。",
        "签名密钥会在首次导出时生成，或在研究者、研究护士或中心管理员查看证书时生成。"),
    # -- backup and restore --------------------------------------------------------------------------------
    "backup-target-is-folder": M(
        "{path} is a folder; a backup is one file.",
        "Give a new file name inside it, for example {example}.",
        "{path} 是文件夹；备份是单个文件。",
        "请在其中给出一个新文件名，例如 {example}。"),
    "backup-target-exists": M(
        "{path} exists already.",
        "Choose a new file name for the backup.",
        "{path} 已存在。",
        "请为备份选择一个新的文件名。"),
    "backup-write-failed": M(
        "The backup could not be written to {path}: {reason}. Nothing was written.",
        "Free some space or choose another place.",
        "备份无法写入 {path}：{reason}。未写入任何内容。",
        "请释放一些空间或选择其他位置。"),
    "backup-copy-failed-checks": M(
        "The copy failed its checks ({why}); nothing was kept or replaced.",
        "When backing up, run `ecrf audit verify` and try again; when restoring, use another backup.",
        "副本未通过检查（{why}）；未保留或替换任何内容。",
        "如为备份，请运行 `ecrf audit verify` 后重试；如为恢复，请使用其他备份。"),
    "backup-missing": M(
        "There is no backup file at {path}. Nothing was restored.",
        "Give the path of a file made by `ecrf backup`.",
        "{path} 处没有备份文件。未恢复任何内容。",
        "请给出由 `ecrf backup` 生成的文件路径。"),
    "backup-is-folder": M(
        "{path} is a folder, not a backup file. Nothing was restored.",
        "Give the path of the .zip file made by `ecrf backup` inside it.",
        "{path} 是文件夹，不是备份文件。未恢复任何内容。",
        "请给出其中由 `ecrf backup` 生成的 .zip 文件的路径。"),
    "restore-other-site": M(
        "{path} is a backup of another database (study {study}, site {site}), not of the site at {db}. "
        "Nothing was restored or replaced.",
        "Check that you chose the right backup and the right --db. To restore that backup, give --db a new "
        "path (an empty folder), then move it where the app expects it.",
        "{path} 是另一个数据库（研究 {study}，中心 {site}）的备份，不是 {db} 处中心的备份。未恢复或替换任何内容。",
        "请确认选择了正确的备份和正确的 --db。如需恢复该备份，请为 --db 指定一个新路径（空文件夹），"
        "然后将其移到应用使用的位置。"),
    "backup-manifest-mismatch": M(
        "{path} does not match its own manifest (audit head differs). Nothing was restored.",
        "Use another backup.",
        "{path} 与其自身的清单不符（稽查轨迹末端不同）。未恢复任何内容。",
        "请使用其他备份。"),
    "restore-failed": M(
        "The backup could not be restored to {path}: {reason}. The existing database was not changed.",
        "Check that the folder is writable and has space, then try again.",
        "备份无法恢复到 {path}：{reason}。现有数据库未被修改。",
        "请检查该文件夹是否可写且有足够空间，然后重试。"),
    "backup-wrong-members": M(
        "{path} is not a usable ecrf backup: it does not hold exactly {members}. Nothing was restored.",
        "Use a file made by `ecrf backup`.",
        "{path} 不是可用的 ecrf 备份：其内容不完全是 {members}。未恢复任何内容。",
        "请使用由 `ecrf backup` 生成的文件。"),
    "backup-unknown-format": M(
        "{path} is not a usable ecrf backup: unknown format. Nothing was restored.",
        "Use a file made by `ecrf backup` (with this or an older ecrf version).",
        "{path} 不是可用的 ecrf 备份：格式未知。未恢复任何内容。",
        "请使用由 `ecrf backup`（本版本或更早版本）生成的文件。"),
    "backup-checksum-mismatch": M(
        "{path} is not a usable ecrf backup: {member} does not match its checksum (damaged or altered). "
        "Nothing was restored.",
        "Use another backup.",
        "{path} 不是可用的 ecrf 备份：{member} 与其校验和不符（已损坏或被改动）。未恢复任何内容。",
        "请使用其他备份。"),
    "backup-unreadable": M(
        "{path} is not a usable ecrf backup ({detail}); it may be truncated or damaged. Nothing was restored.",
        "Use another backup.",
        "{path} 不是可用的 ecrf 备份（{detail}）；可能不完整或已损坏。未恢复任何内容。",
        "请使用其他备份。"),
    "backup-login-failed": M(
        "Wrong username or password for this backup.",
        "Use the password valid when the backup was made, or the recovery code with user 'recovery'.",
        "此备份的用户名或密码错误。",
        "请使用备份时有效的密码，或使用用户名“recovery”和恢复码。"),
    "restore-not-admin": M(
        "Only a site administrator (or the recovery code) can restore a backup.",
        "Ask the site administrator.",
        "只有中心管理员（或使用恢复码）才能恢复备份。",
        "请联系中心管理员。"),
    # -- export --------------------------------------------------------------------------------------------
    "nothing-to-export": M(
        "There is nothing to export yet: no subject has been screened at this site.",
        "Export after the first subject is screened.",
        "尚无可导出的内容：本中心还没有筛选任何受试者。",
        "请在筛选第一位受试者后再导出。"),
    "export-overtaken": M(
        "Another export finished while this one was running; nothing was kept.",
        "Export again to include everything.",
        "本次导出进行时另一次导出已完成；未保留任何内容。",
        "请重新导出，以包含全部内容。"),
    "export-trail-moving": M(
        "The audit trail kept changing while the export checked it: someone is saving data at this site. "
        "Nothing was exported.",
        "Export again when no one is entering data (or close the other ecrf windows on this PC).",
        "导出检查稽查轨迹时，轨迹一直在变化：本中心有人正在保存数据。未导出任何内容。",
        "请在无人录入数据时重新导出（或关闭本电脑上其他 ecrf 窗口）。"),
    "audit-export-failed": M(
        "The audit trail could not be exported to {path}: {reason}. Nothing was written.",
        "Choose another folder (one you may write to, with free space) and export again.",
        "稽查轨迹无法导出到 {path}：{reason}。未写入任何内容。",
        "请选择另一个文件夹（有写入权限且有剩余空间）后重新导出。"),
}


def _merge_catalogues() -> None:
    """The catalogue lives in three files by subject; the codes are one family."""
    from ecrf.services.data_messages import DATA_MESSAGES
    from ecrf.services.esign_messages import ESIGN_MESSAGES
    from ecrf.services.integrity_messages import INTEGRITY_MESSAGES
    from ecrf.services.query_messages import QUERY_MESSAGES
    from ecrf.services.report_messages import REPORT_MESSAGES
    from ecrf.services.sdv_lock_messages import SDV_LOCK_MESSAGES
    from ecrf.services.sponsor_query_messages import SPONSOR_QUERY_MESSAGES

    for part in (DATA_MESSAGES, INTEGRITY_MESSAGES, SDV_LOCK_MESSAGES, ESIGN_MESSAGES, QUERY_MESSAGES, REPORT_MESSAGES,
                 SPONSOR_QUERY_MESSAGES):
        clash = SERVICE_MESSAGES.keys() & part.keys()
        if clash:
            raise Bug(f"error codes defined twice: {sorted(clash)}")
        SERVICE_MESSAGES.update(part)


_merge_catalogues()
