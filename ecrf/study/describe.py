"""A readable plain-text summary of a study definition (for `ecrf describe`)."""
from __future__ import annotations

from ecrf.study.model import Study, Visit


def describe(study: Study, lang: str = "en") -> str:
    info = study.info
    lines = [
        f"{info.title.get(lang)}",
        f"Study {info.oid} · definition version {info.version} · phase {info.phase or '-'} · "
        f"{info.planned_subjects or '?'} subjects planned · languages {', '.join(info.languages)}",
        f"Definition fingerprint (SHA-256 of forms/): {study.fingerprint}",
        "",
        f"Arms ({len(study.arms)})",
    ]
    for arm in study.arms:
        planned = f"{arm.planned_subjects} planned" if arm.planned_subjects is not None else ""
        lines.append(f"  {arm.code:<6} {arm.label.get(lang)}  [{arm.type}; {planned}]")
    lines += ["", f"Visit schedule ({len(study.visits)} visits; day relative to Day 0 = allocation)"]
    lines += _schedule_table(study, lang)
    lines += ["", f"Logs (repeating, whole study): {', '.join(study.logs) or 'none'}",
              "", f"Forms ({len(study.forms)})"]
    for code, form in sorted(study.forms.items()):
        n_items = len(form.items)
        n_req = sum(1 for i in form.items if i.required)
        n_calc = sum(1 for i in form.items if i.is_calculated)
        visits = ", ".join(study.visits_of_form(code)) or ("log" if code in study.logs else "-")
        lines.append(f"  {code:<6} {form.label.get(lang)}: {n_items} items ({n_req} required, {n_calc} calculated), "
                     f"{len(form.checks)} checks · {visits}")
    total = sum(len(f.items) for f in study.forms.values())
    lines += ["", f"{total} items in {len(study.forms)} forms, {len(study.codelists)} codelists."]
    return "\n".join(lines)


def _schedule_table(study: Study, lang: str) -> list[str]:
    arms = [a.code for a in study.arms]
    header = f"  {'visit':<6} {'day':>4}  {'window':<9} " + "  ".join(f"{a} forms" for a in arms)
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
