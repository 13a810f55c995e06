"""A readable plain-text summary of a study definition (for `ecrf describe`), in the study's languages:
the headings follow `lang` as the labels do, so a Chinese summary is Chinese throughout."""
from __future__ import annotations

from ecrf.study.model import Study, Visit

# The summary's own words; codes, numbers and the fingerprint stay as they are in every language.
_EN = {
    "study": "Study {oid} · definition version {version} · phase {phase} · {planned} subjects planned · "
             "languages {languages}",
    "fingerprint": "Definition fingerprint (SHA-256 of forms/): {fingerprint}",
    "arms": "Arms ({n})", "planned": "{n} planned",
    "schedule": "Visit schedule ({n} visits; day relative to Day 0 = allocation)",
    "visit": "visit", "day": "day", "window": "window", "arm_forms": "{arm} forms",
    "logs": "Logs (repeating, whole study): {logs}", "none": "none", "log": "log",
    "forms": "Forms ({n})",
    "form": "{label}: {items} items ({required} required, {calculated} calculated), {checks} checks · {visits}",
    "total": "{items} items in {forms} forms, {codelists} codelists.",
}
_ZH = {
    "study": "研究 {oid} · 定义版本 {version} · {phase} 期 · 计划 {planned} 例受试者 · 语言 {languages}",
    "fingerprint": "研究定义指纹（forms/ 的 SHA-256）：{fingerprint}",
    "arms": "组别（{n}）", "planned": "计划 {n} 例",
    "schedule": "访视计划（{n} 次访视；天数相对于第 0 天 = 分组日）",
    "visit": "访视", "day": "天", "window": "窗口", "arm_forms": "{arm} 表单",
    "logs": "日志（可重复，贯穿全研究）：{logs}", "none": "无", "log": "日志",
    "forms": "表单（{n}）",
    "form": "{label}：{items} 个条目（{required} 个必填，{calculated} 个计算），{checks} 项核查 · {visits}",
    "total": "共 {items} 个条目，{forms} 个表单，{codelists} 个代码表。",
}
WORDS = {"en": _EN, "zh": _ZH}


def describe(study: Study, lang: str = "en") -> str:
    words = WORDS.get(lang, _EN)
    info = study.info
    lines = [
        f"{info.title.get(lang)}",
        words["study"].format(oid=info.oid, version=info.version, phase=info.phase or "-",
                              planned=info.planned_subjects or "?", languages=", ".join(info.languages)),
        words["fingerprint"].format(fingerprint=study.fingerprint),
        "",
        words["arms"].format(n=len(study.arms)),
    ]
    for arm in study.arms:
        planned = words["planned"].format(n=arm.planned_subjects) if arm.planned_subjects is not None else ""
        lines.append(f"  {arm.code:<6} {arm.label.get(lang)}  [{arm.type}; {planned}]")
    lines += ["", words["schedule"].format(n=len(study.visits))]
    lines += _schedule_table(study, lang, words)
    lines += ["", words["logs"].format(logs=", ".join(study.logs) or words["none"]),
              "", words["forms"].format(n=len(study.forms))]
    for code, form in sorted(study.forms.items()):
        visits = ", ".join(study.visits_of_form(code)) or (words["log"] if code in study.logs else "-")
        lines.append(f"  {code:<6} " + words["form"].format(
            label=form.label.get(lang), items=len(form.items), required=sum(1 for i in form.items if i.required),
            calculated=sum(1 for i in form.items if i.is_calculated), checks=len(form.checks), visits=visits))
    total = sum(len(f.items) for f in study.forms.values())
    lines += ["", words["total"].format(items=total, forms=len(study.forms), codelists=len(study.codelists))]
    return "\n".join(lines)


def _schedule_table(study: Study, lang: str, words: dict[str, str]) -> list[str]:
    arms = [a.code for a in study.arms]
    header = (f"  {_pad(words['visit'], 6)} {_pad(words['day'], 4, right=True)}  {_pad(words['window'], 9)} "
              + "  ".join(words["arm_forms"].format(arm=a) for a in arms))
    rows = [header]
    for visit in study.visits:
        window = f"-{visit.window_before}/+{visit.window_after}"
        per_arm = [_forms_for(visit, arm) for arm in arms]
        rows.append(f"  {visit.code:<6} {visit.day:>4}  {window:<9} " + "  |  ".join(per_arm))
        rows.append(f"  {'':<6} {'':>4}  {'':<9} ({visit.label.get(lang)})")
    return rows


def _forms_for(visit: Visit, arm: str) -> str:
    parts = []
    for vf in visit.forms_for(arm):
        parts.append(f"{vf.form}×{len(vf.timepoints)}" if vf.timepoints else vf.form)
    return " ".join(parts)


def _pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded to `width` columns of a terminal, where a Chinese character takes two."""
    room = " " * max(0, width - sum(2 if ord(c) > 0x2E80 else 1 for c in text))
    return room + text if right else text + room
