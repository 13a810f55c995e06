"""Error codes of source data verification, locks and the site's freeze and lock, merged into SERVICE_MESSAGES
by `ecrf.services.error_messages`."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
SDV_LOCK_MESSAGES: dict[str, Message] = {
    # -- the site's state ------------------------------------------------------------------------------------
    "site-frozen": M(
        "The site is frozen: no data can be entered or changed.",
        "Queries can still be answered without changing values, and the monitor can still verify data. Ask the "
        "site administrator to reopen the site (with a reason) if data must be corrected.",
        "本中心已冻结：不能录入或修改数据。",
        "仍可回复质疑（不修改数值），监查员仍可核查数据。如需更正数据，请中心管理员（填写原因后）重新开放中心。"),
    "site-locked": M(
        "The site is locked: its data can only be read and exported.",
        "Ask the site administrator to reopen the site (with a reason) if anything must still be done.",
        "本中心已锁定：数据只能查看和导出。",
        "如仍需操作，请中心管理员（填写原因后）重新开放中心。"),
    "site-state-unchanged": M(
        "The site is {state} already.",
        "Nothing needs to be done.",
        "本中心已处于{state}状态。",
        "无需再操作。"),
    "site-state-reason-required": M(
        "A reason is required to freeze, lock or reopen the site.",
        "Say why (e.g. \"database lock before the final export\").",
        "冻结、锁定或重新开放中心时必须填写原因。",
        "请写明原因（例如“最终导出前锁库”）。"),
    "monitoring-reason-broken-character": M(
        "The reason contains a broken character (half of an emoji or of a rare character, often from a paste); "
        "nothing was saved.",
        "Delete that character from the reason and type it again.",
        "原因中含有残缺字符（半个表情符号或生僻字，常见于粘贴）；未保存任何内容。",
        "请从原因中删除该字符后重新输入。"),
    # -- locks -----------------------------------------------------------------------------------------------
    "subject-locked": M(
        "{label} is locked; nothing about the subject can be changed.",
        "Ask the investigator or the site administrator to unlock the subject (with a reason) first.",
        "{label} 已锁定；该受试者的任何信息都不能修改。",
        "请研究者或中心管理员先（填写原因后）解锁该受试者。"),
    "already-locked": M(
        "{place} of {label} is locked already.",
        "Nothing needs to be done.",
        "{label} 的{place}已锁定。",
        "无需再操作。"),
    "lock-needs-unmet": M(
        "{place} of {label} cannot be locked yet: {missing}.",
        "Complete the forms, have the queries closed and the data verified by the monitor, then lock again.",
        "{label} 的{place}尚不能锁定：{missing}。",
        "请完成表单、关闭质疑并由监查员完成源数据核查后再锁定。"),
    "lock-not-found": M(
        "There is no lock {id} in force.",
        "Refresh the subject page (or Administration › Data locks); someone may have unlocked it already.",
        "不存在生效中的锁定 {id}。",
        "请刷新受试者页面（或“管理 › 数据锁定”）；可能已有他人解锁。"),
    "lock-scope-invalid": M(
        "'{scope}' cannot be locked; only a form, a visit or a subject can.",
        "Choose a form, a visit or the subject.",
        "“{scope}”不能锁定；只能锁定表单、访视或受试者。",
        "请选择表单、访视或受试者。"),
    "unlock-reason-required": M(
        "A reason is required to unlock data.",
        "Say why the data must be opened again; signatures over them will be marked broken.",
        "解锁数据时必须填写原因。",
        "请写明需要重新开放数据的原因；覆盖这些数据的签名将被标记为失效。"),
    # -- source data verification ----------------------------------------------------------------------------
    "sdv-no-items": M(
        "No item of {ref} was chosen.",
        "Tick the items to verify or un-verify.",
        "未选择 {ref} 的任何条目。",
        "请勾选要核查或取消核查的条目。"),
    "sdv-item-not-required": M(
        "The monitoring plan does not ask to verify {items} on {ref}.",
        "Verify only the items marked for source data verification.",
        "监查计划不要求核查 {ref} 的 {items}。",
        "请只核查标记为需要源数据核查的条目。"),
    "sdv-item-not-verified": M(
        "{items} on {ref} is not verified, so it cannot be un-verified.",
        "Refresh the form; someone may have un-verified it already.",
        "{ref} 的 {items} 尚未核查，不能取消核查。",
        "请刷新表单；可能已有他人取消核查。"),
    "sdv-form-not-found": M(
        "{ref} has no data to verify.",
        "The site enters and completes the form first.",
        "{ref} 没有可核查的数据。",
        "请研究中心先录入并完成该表单。"),
    "sdv-form-not-complete": M(
        "{ref} is not saved as complete, so it cannot be verified yet.",
        "The site must complete the form first (a study nurse or the investigator saves it as complete).",
        "{ref} 尚未保存为完成，暂不能核查。",
        "请研究中心先完成该表单（由研究护士或研究者保存为完成）。"),
    "sdv-visit-not-complete": M(
        "No form of visit {visit} of {label} that needs verification is complete yet: {forms}.",
        "The site must complete these forms first (a study nurse or the investigator saves them as complete).",
        "{label} 访视 {visit} 中需要核查的表单均未完成：{forms}。",
        "请研究中心先完成这些表单（由研究护士或研究者保存为完成）。"),
    "sdv-not-required": M(
        "The monitoring plan asks to verify nothing on {ref}.",
        "Nothing needs to be done.",
        "监查计划不要求核查 {ref}。",
        "无需操作。"),
    "sdv-unverify-reason-required": M(
        "A reason is required to un-verify data on {ref}.",
        "Say why the verification is taken back (e.g. the wrong source document was used).",
        "取消核查 {ref} 的数据时必须填写原因。",
        "请写明取消核查的原因（例如使用了错误的原始资料）。"),
}
