"""The services' catalogue of error codes: for each situation, what is wrong and what to do, in English and
Chinese (registered by `ecrf.services.errors`; docs/errors.md is made from it)."""
from __future__ import annotations

from ecrf.errors import Message

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
    "login-failed": M(
        "Wrong username or password.",
        "{left} attempt(s) left before the account is locked; check the username, the password and Caps Lock.",
        "用户名或密码错误。",
        "账户锁定前还可尝试 {left} 次；请检查用户名、密码以及大写锁定键。"),
    "login-failed-read-only": M(
        "Wrong username or password.",
        "The site is on read-only media, so this attempt cannot be recorded or counted; check the username, the "
        "password and Caps Lock.",
        "用户名或密码错误。",
        "此中心位于只读介质上，本次尝试无法记录或计数；请检查用户名、密码以及大写锁定键。"),
    "login-failed-now-locked": M(
        "Wrong username or password. The account '{username}' is now locked for {minutes} minute(s) after "
        "{failures} failed attempts.",
        "Wait, or ask the site administrator to reset your password.",
        "用户名或密码错误。账户“{username}”因 {failures} 次登录失败，现已锁定 {minutes} 分钟。",
        "请等待，或请中心管理员重置您的密码。"),
    "account-locked": M(
        "The account '{username}' is locked after {failures} failed logins until {until}.",
        "Wait until then, or ask the site administrator to reset your password.",
        "账户“{username}”因 {failures} 次登录失败被锁定，直至 {until}。",
        "请等到该时间，或请中心管理员重置您的密码。"),
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
    # -- subjects and allocation ---------------------------------------------------------------------------
    "subject-not-found": M(
        "There is no subject '{label}' at this site.",
        "Use the subject id or the screening number.",
        "本中心没有受试者“{label}”。",
        "请使用受试者编号或筛选号。"),
    "allocation-list-exists": M(
        "The allocation list was imported already and cannot be replaced.",
        "Ask the sponsor how to continue if it is used up or wrong.",
        "随机分配表已导入，不能替换。",
        "如分配表已用完或有误，请咨询申办方如何处理。"),
    "allocation-list-not-csv": M(
        "The allocation list is not a CSV file with the columns rand_no and arm.",
        "Save it as CSV with a header line rand_no,arm and import it again.",
        "随机分配表不是包含 rand_no 和 arm 两列的 CSV 文件。",
        "请将其保存为首行为 rand_no,arm 的 CSV 文件后重新导入。"),
    "allocation-arm-unknown": M(
        "Line {line} of the allocation list: '{arm}' is not an arm of this study ({arms}). Nothing was imported.",
        "Correct the list (or ask the sponsor for the right one) and import it again.",
        "随机分配表第 {line} 行：“{arm}”不是本研究的组别（{arms}）。未导入任何内容。",
        "请修正分配表（或向申办方索取正确的分配表）后重新导入。"),
    "allocation-number-invalid": M(
        "Line {line} of the allocation list: the number '{rand_no}' is empty or repeated. Nothing was imported.",
        "Correct the list (or ask the sponsor for the right one) and import it again.",
        "随机分配表第 {line} 行：编号“{rand_no}”为空或重复。未导入任何内容。",
        "请修正分配表（或向申办方索取正确的分配表）后重新导入。"),
    "allocation-list-empty": M(
        "The allocation list has no entries. Nothing was imported.",
        "Import the list the sponsor sent (CSV: rand_no,arm, one line per number).",
        "随机分配表没有任何条目。未导入任何内容。",
        "请导入申办方提供的分配表（CSV：rand_no,arm，每个编号一行）。"),
    "allocation-list-used-up": M(
        "The allocation list is used up.",
        "Ask the sponsor.",
        "随机分配表已用完。",
        "请联系申办方。"),
    "allocation-list-missing": M(
        "No allocation list has been imported.",
        "The site administrator imports it first.",
        "尚未导入随机分配表。",
        "请中心管理员先导入。"),
    "manual-allocation-reason-required": M(
        "Manual allocation needs a reason (why the allocation list was not used).",
        "Give the reason.",
        "手工分配需要填写原因（为何未使用随机分配表）。",
        "请填写原因。"),
    "arm-unknown": M(
        "'{arm}' is not an arm of this study.",
        "Use one of: {arms}.",
        "“{arm}”不是本研究的组别。",
        "请使用以下之一：{arms}。"),
    "allocation-number-used": M(
        "The allocation number '{rand_no}' is already used.",
        "Check the number on the envelope.",
        "随机号“{rand_no}”已被使用。",
        "请核对信封上的编号。"),
    "allocation-arm-mismatch": M(
        "The allocation list gives number '{rand_no}' to arm {list_arm}, not {arm}.",
        "Check the envelope.",
        "随机分配表将编号“{rand_no}”分配给组别 {list_arm}，而不是 {arm}。",
        "请核对信封。"),
    "subject-not-in-screening": M(
        "{label} is {status}, not in screening; only subjects in screening can be allocated.",
        "Check the subject.",
        "{label} 的状态为 {status}，不在筛选期；只有筛选期受试者可以分配。",
        "请核对受试者。"),
    "subject-not-eligible": M(
        "{label} cannot be allocated: {reasons}.",
        "Complete or correct the eligibility forms first.",
        "{label} 不能分配：{reasons}。",
        "请先完成或更正入选资格表单。"),
    "end-status-invalid": M(
        "'{status}' does not end participation.",
        "Use withdrawal, death, completion or screen failure.",
        "“{status}”不能结束受试者参与。",
        "请使用退出、死亡、完成或筛选失败。"),
    "end-reason-required": M(
        "The reason for ending participation is missing.",
        "Give the reason (e.g. the subject's decision, cause of death, last visit done).",
        "缺少结束参与的原因。",
        "请填写原因（例如受试者本人决定、死亡原因、已完成的最后一次访视）。"),
    "date-in-future": M(
        "The date {day} is in the future (today is {today}).",
        "Give a date that is not after today.",
        "日期 {day} 晚于今天（{today}）。",
        "请填写不晚于今天的日期。"),
    "participation-already-ended": M(
        "{label}'s participation has already ended ({status}).",
        "Nothing more can be recorded about the end of participation.",
        "{label} 的参与已经结束（{status}）。",
        "不能再记录结束参与的信息。"),
    "screen-failure-after-allocation": M(
        "{label} is enrolled; a screen failure is only possible before allocation.",
        "Record a withdrawal instead.",
        "{label} 已入组；只有在分配前才能记录筛选失败。",
        "请改为记录退出。"),
    "still-in-screening": M(
        "{label} is still in screening.",
        "Record a screen failure instead.",
        "{label} 仍处于筛选期。",
        "请改为记录筛选失败。"),
    "date-before-day0": M(
        "The date {day} is before {label}'s Day 0 ({day0}).",
        "Give a date on or after Day 0.",
        "日期 {day} 早于 {label} 的第 0 天（{day0}）。",
        "请填写不早于第 0 天的日期。"),
    # -- forms and logs ------------------------------------------------------------------------------------
    "form-locked": M(
        "{ref} is locked; locked data cannot be changed.",
        "Ask the investigator to unlock it (with a reason) if it must be corrected.",
        "{ref} 已锁定；锁定的数据不能修改。",
        "如需更正，请研究者（填写原因后）解锁。"),
    "form-removed": M(
        "{ref} was removed ({reason}); it cannot be changed.",
        "Enter the data in a new entry if it is still needed.",
        "{ref} 已被删除（{reason}）；不能修改。",
        "如仍需要，请新建一条记录录入。"),
    "change-reason-required": M(
        "{ref} was saved as complete: changing {items} needs a reason.",
        "Give a reason for the change.",
        "{ref} 已保存为完成：修改 {items} 需要填写原因。",
        "请填写修改原因。"),
    "reason-broken-character": M(
        "The reason for changing {ref} contains a broken character (half of an emoji or of a rare character, "
        "often from a paste); nothing was saved.",
        "Delete that character from the reason and type it again.",
        "修改 {ref} 的原因含有残缺字符（半个表情符号或生僻字，常见于粘贴）；未保存任何内容。",
        "请从原因中删除该字符后重新输入。"),
    "values-refused": M(
        "{ref} was not saved: {findings}",
        "Correct these values and save again.",
        "{ref} 未保存：{findings}",
        "请更正这些数值后再保存。"),
    "needs-confirmation": M(
        "{ref}: these warnings need confirming: {findings}",
        "Check the values; confirm the warnings that are correct and save again.",
        "{ref}：以下警告需要确认：{findings}",
        "请核对数值；确认无误的警告后再保存。"),
    "form-incomplete": M(
        "{ref} cannot be marked complete: {findings}",
        "Enter the missing answers (or an allowed missing-data code), then mark it complete.",
        "{ref} 不能标记为完成：{findings}",
        "请填写缺少的答案（或允许的缺失代码），然后再标记为完成。"),
    "form-unknown": M(
        "There is no form '{form}' in this study.",
        "Check the form code.",
        "本研究中没有表单“{form}”。",
        "请检查表单代码。"),
    "not-a-log-form": M(
        "{form} is not a log form.",
        "Give the visit it belongs to.",
        "{form} 不是日志类表单。",
        "请给出它所属的访视。"),
    "visit-unknown": M(
        "There is no visit '{visit}' in this study.",
        "Check the visit code.",
        "本研究中没有访视“{visit}”。",
        "请检查访视代码。"),
    "form-not-at-visit": M(
        "{form}{timepoint} is not asked for at visit {visit} for {whom}.",
        "Open the form from the subject's schedule.",
        "访视 {visit} 对 {whom} 不需要填写 {form}{timepoint}。",
        "请从受试者的访视计划中打开表单。"),
    "subject-not-allocated": M(
        "{label} is not allocated yet: {ref} can be entered after allocation (Day 0).",
        "Allocate the subject first.",
        "{label} 尚未分配：{ref} 需在分配（第 0 天）之后填写。",
        "请先为受试者分配组别。"),
    "visit-cancelled": M(
        "Visit {visit} of {label} was cancelled when the subject's participation ended ({status}, {ended_on}); "
        "it takes no more data.",
        "Enter data only at visits before the end of participation.",
        "受试者参与结束时（{status}，{ended_on}），{label} 的访视 {visit} 已取消；不再接受数据。",
        "请只在参与结束之前的访视录入数据。"),
    "log-form-unknown": M(
        "{form} is not a log form of this study ({logs}).",
        "Use one of the study's logs.",
        "{form} 不是本研究的日志类表单（{logs}）。",
        "请使用本研究的日志类表单之一。"),
    "log-entry-empty": M(
        "The new {form} entry has no values.",
        "Enter at least one, then save.",
        "新的 {form} 记录没有任何数值。",
        "请至少填写一项后保存。"),
    "log-remove-reason-required": M(
        "There is no reason for removing the entry.",
        "Give a reason for removing the entry (e.g. entered for the wrong subject).",
        "缺少删除该记录的原因。",
        "请填写删除原因（例如录入到了错误的受试者）。"),
    "log-entry-not-found": M(
        "{label} has no {form} entry #{repeat}.",
        "Check the entry number.",
        "{label} 没有第 {repeat} 条 {form} 记录。",
        "请检查记录编号。"),
    "log-entry-already-removed": M(
        "{form} entry #{repeat} of {label} was removed already.",
        "Nothing needs to be done.",
        "{label} 的第 {repeat} 条 {form} 记录已被删除。",
        "无需再操作。"),
    "log-entry-locked": M(
        "{form} entry #{repeat} of {label} is locked and cannot be removed.",
        "Ask the investigator to unlock it (with a reason) first.",
        "{label} 的第 {repeat} 条 {form} 记录已锁定，不能删除。",
        "请研究者先（填写原因后）解锁。"),
    # -- backup and restore --------------------------------------------------------------------------------
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
}


def _merge_integrity() -> None:
    from ecrf.services.integrity_messages import INTEGRITY_MESSAGES

    SERVICE_MESSAGES.update(INTEGRITY_MESSAGES)


_merge_integrity()
