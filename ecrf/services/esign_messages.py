"""Error codes of electronic signatures (21 CFR 11.50-11.300), merged into SERVICE_MESSAGES."""
from __future__ import annotations

from ecrf.errors import Message

M = Message
ESIGN_MESSAGES: dict[str, Message] = {
    "esign-not-certified": M(
        "{username} has not yet certified that their electronic signature is the legally binding equivalent of "
        "their handwritten signature.",
        "Read and accept the certification once (the signing dialog shows it before the first signature).",
        "{username} 尚未确认其电子签名与手写签名具有同等法律效力。",
        "请阅读并接受一次确认声明（首次签名前签名对话框会显示）。"),
    "esign-already-certified": M(
        "{username} certified their electronic signature on {at}; it is certified once.",
        "Nothing to do: sign as usual.",
        "{username} 已于 {at} 确认其电子签名；只需确认一次。",
        "无需操作，可直接签名。"),
    "esign-username-required": M(
        "The first signature of a session needs your username and your password.",
        "Enter both; later signatures in the same session need the password only.",
        "本次会话的第一次签名需要输入用户名和密码。",
        "请输入两者；同一会话中之后的签名只需输入密码。"),
    "esign-not-own-username": M(
        "You sign as yourself: enter your own username ({username}) and password.",
        "The signer is the user logged in (21 CFR 11.200); another user signs after logging in. Nothing was "
        "counted as a failed attempt.",
        "您只能以本人身份签名：请输入您自己的用户名（{username}）和密码。",
        "签名人即当前登录的用户（21 CFR 11.200）；其他用户须自行登录后签名。本次未计为失败尝试。"),
    "esign-scope-invalid": M(
        "An electronic signature covers a form, a visit or a subject's whole casebook, not '{scope}'.",
        "Choose a form, a visit or the casebook.",
        "电子签名的范围只能是表单、访视或受试者的整份病例报告表，而不是“{scope}”。",
        "请选择表单、访视或整份病例报告表。"),
    "esign-nothing-to-sign": M(
        "{place} holds no data to sign.",
        "Enter the data first; only forms with data can be signed.",
        "{place} 没有可签署的数据。",
        "请先录入数据；只有含数据的表单才能签署。"),
    "esign-incomplete": M(
        "{place} cannot be signed while these forms are not complete: {forms}.",
        "Complete them (required items filled in and the form saved as complete), then sign.",
        "以下表单未完成，{place} 无法签署：{forms}。",
        "请先完成这些表单（填写必填项并保存为完成），再签名。"),
    "esign-open-queries": M(
        "{place} cannot be signed while {count} query(ies) are open or answered but not closed.",
        "Have the queries answered and closed by the monitor who raised them, then sign.",
        "{place} 尚有 {count} 个质疑处于开放或已回复未关闭状态，无法签署。",
        "请先回复质疑并由提出质疑的监查员关闭，再签名。"),
    "esign-warn-incomplete": M(
        "These forms are not complete: {forms}.",
        "You may sign them as they are; the warning is recorded with your signature.",
        "以下表单尚未完成：{forms}。",
        "您可以按现状签署；此警告将与您的签名一同记录。"),
    "esign-warn-open-queries": M(
        "{count} query(ies) are open or answered but not closed.",
        "You may sign anyway; the warning is recorded with your signature.",
        "有 {count} 个质疑处于开放或已回复未关闭状态。",
        "您仍可签名；此警告将与您的签名一同记录。"),
    "esign-warnings": M(
        "Before you sign {place}: {warnings}",
        "Acknowledge the warnings to sign anyway, or cancel and deal with them first.",
        "签署 {place} 之前请注意：{warnings}",
        "确认这些警告后仍可签名，或取消并先处理它们。"),
}
