"""Error codes of queries (raise, answer, close, cancel, re-open), merged into SERVICE_MESSAGES."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
QUERY_MESSAGES: dict[str, Message] = {
    "query-not-found": M(
        "There is no query {number}.",
        "Check the number in the query inbox.",
        "不存在质疑 {number}。",
        "请在质疑收件箱中核对编号。"),
    "query-text-required": M(
        "A query step needs a text: say what is asked, answered or decided.",
        "Write the text and try again.",
        "质疑的每一步都需要填写文字：说明提出、回复或决定了什么。",
        "请填写文字后重试。"),
    "query-text-broken-character": M(
        "The text of query {number} contains a character that cannot be stored.",
        "Retype the text without the pasted special character.",
        "质疑 {number} 的文字中含有无法保存的字符。",
        "请删除粘贴进来的特殊字符后重新输入。"),
    "query-place-unknown": M(
        "A query cannot be raised on {place}: {why}.",
        "Raise it on an item or form of the study at one of the subject's visits, or on a visit.",
        "无法在 {place} 上发起质疑：{why}。",
        "请在受试者某次访视的研究条目或表单上，或在访视上发起质疑。"),
    "query-not-answerable": M(
        "Query {number} is {state}: only an open or re-opened query can be answered.",
        "If the data still need attention, ask a monitor to re-open it or to raise a new query.",
        "质疑 {number} 的状态为{state}：只有未解决或重新打开的质疑才能回复。",
        "如数据仍需处理，请监查员重新打开该质疑或发起新的质疑。"),
    "query-wrong-state": M(
        "Query {number} is {state}: it can be {step} only when it is {allowed}.",
        "Look at the query's thread in the inbox to see where it stands.",
        "质疑 {number} 的状态为{state}：只有在{allowed}时才能{step}。",
        "请在收件箱中查看该质疑的往来记录，了解其当前状态。"),
    "query-raiser-only": M(
        "Query {number} was raised by {raiser}; as {role} you may not {step} it.",
        "Only {raiser} may {step} it: ask them.",
        "质疑 {number} 由{raiser}发起；您作为{role}不能{step}该质疑。",
        "只有{raiser}可以{step}该质疑，请联系他们。"),
    "query-reason-required": M(
        "Cancelling query {number} needs a reason (why it was raised in error).",
        "Write the reason and cancel again.",
        "取消质疑 {number} 必须填写原因（为何属于误提）。",
        "请填写原因后再取消。"),
    "query-change-reason-required": M(
        "Answering query {number} changes {items}: a change of data needs a reason.",
        "Write the reason for the change with the answer.",
        "回复质疑 {number} 会修改 {items}：修改数据必须填写原因。",
        "请在回复中填写修改原因。"),
}
