"""Error codes of the clinical data use cases (subjects, allocation, forms, logs), merged into SERVICE_MESSAGES
by `ecrf.services.error_messages`."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
DATA_MESSAGES: dict[str, Message] = {
    # -- subjects and allocation ---------------------------------------------------------------------------
    "subject-not-found": M(
        "There is no subject '{label}' at this site.",
        "Use the subject id or the screening number.",
        "本中心没有受试者“{label}”。",
        "请使用受试者编号或筛选号。"),
    "allocation-file-not-a-file": M(
        "{path} is not a regular file (a folder, a device or a pipe).",
        "Give the allocation list's CSV file.",
        "{path} 不是普通文件（而是文件夹、设备或管道）。",
        "请给出随机分配表的 CSV 文件。"),
    "allocation-file-too-large": M(
        "{path} is larger than {limit_mb} MB, far more than any allocation list; nothing was imported.",
        "Check that this is the allocation list (CSV: rand_no,arm).",
        "{path} 大于 {limit_mb} MB，远超任何随机分配表；未导入任何内容。",
        "请确认这是随机分配表（CSV：rand_no,arm）。"),
    "allocation-file-unreadable": M(
        "Cannot read {path}: {reason}.",
        "Check the path and that the file can be opened.",
        "无法读取 {path}：{reason}。",
        "请检查路径以及该文件能否打开。"),
    "allocation-file-is-workbook": M(
        "{path} is a spreadsheet workbook (Excel), not a CSV file; nothing was imported.",
        "Open it in the spreadsheet program, save it as \"CSV UTF-8\" (columns rand_no and arm) and import that file.",
        "{path} 是电子表格工作簿（Excel），不是 CSV 文件；未导入任何内容。",
        "请在电子表格软件中打开它，另存为“CSV UTF-8”（包含 rand_no 和 arm 两列）后导入该文件。"),
    "allocation-file-not-utf8": M(
        "{path} is not UTF-8 text.",
        "Save the allocation list as a UTF-8 CSV file.",
        "{path} 不是 UTF-8 文本。",
        "请将随机分配表保存为 UTF-8 编码的 CSV 文件。"),
    "allocation-list-other-study": M(
        "None of the arms in the allocation list ({found}) is an arm of this study ({arms}): it is the list of "
        "another study. Nothing was imported.",
        "Ask the sponsor for this study's allocation list and import that one.",
        "随机分配表中的组别（{found}）均不是本研究的组别（{arms}）：这是其他研究的分配表。未导入任何内容。",
        "请向申办方索取本研究的随机分配表后导入。"),
    "allocation-list-same-imported": M(
        "This allocation list was imported already (the same file); nothing was changed.",
        "Nothing needs to be done: allocation uses it.",
        "该随机分配表已导入（同一文件）；未作任何更改。",
        "无需操作：分配时会使用它。"),
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
    "allocation-line-extra-fields": M(
        "Line {line} of the allocation list has more fields than its header ({header}): the extra is "
        "'{extra}'. Nothing was imported.",
        "Correct the line (a comma inside a value must be in double quotes) or ask the sponsor for a corrected "
        "list, and import it again.",
        "随机分配表第 {line} 行的字段多于表头（{header}）：多出的是“{extra}”。未导入任何内容。",
        "请修正该行（值中的逗号须放在双引号内）或向申办方索取更正后的分配表，然后重新导入。"),
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
}
