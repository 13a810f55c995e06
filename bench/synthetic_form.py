"""A generated study with one 50-item form of mixed types, and the raw text a UI would send for it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

FORM = "BENCH"
Values = dict[str, str]


def _text(en: str) -> dict[str, str]:
    return {"en": en, "zh": f"{en}（中文）"}


def _study() -> dict[str, Any]:
    roles = ("site_admin", "investigator", "nurse", "monitor", "read_only")
    return {
        "study": {"oid": "BENCH", "version": "1.0.0", "title": _text("Benchmark study"), "languages": ["en", "zh"]},
        "missing_codes": {"ND": _text("Not done")},
        "roles": {role: _text(role) for role in roles},
        "arms": [{"code": "A", "label": _text("Arm A"), "type": "experimental"}],
        "visits": [{"code": "V1", "label": _text("Visit 1"), "day": 0, "forms": [FORM]}],
    }


def _codelist(*codes: str) -> dict[str, Any]:
    return {"data_type": "text", "items": [{"code": c, "label": _text(c)} for c in codes]}


def _form() -> tuple[dict[str, Any], Values]:
    """The form file and the values typed into it (all 50 keys, as strings)."""
    items: list[dict[str, Any]] = []
    values: Values = {}

    def add(code: str, type_: str, raw: str, **extra: Any) -> None:
        items.append({"code": code, "cdash": code, "type": type_, "label": _text(code), **extra})
        values[code] = raw

    # 14 decimals: ranges hard + soft, hard only, none; one value outside its soft range (a warning)
    for n in range(1, 15):
        rng = {"hard": [0, 500], "soft": [20, 300]} if n <= 10 else {"hard": [0, 500]} if n <= 12 else None
        raw = {2: "120.0", 3: " 80.0 ", 5: "70.5", 6: "175.0", 9: "310.0"}.get(n, f"{30 + n}.5")
        add(f"DEC{n:02}", "decimal", raw, precision=1, required=True, missing=["ND"],
            **({"range": rng} if rng else {}))
    # 9 integers, the last one shown only for women
    for n in range(1, 10):
        extra: dict[str, Any] = {"range": {"hard": [0, 1000], "soft": [1, 250]}} if n <= 6 else {}
        if n == 9:
            extra["show_if"] = "SEX == 'F'"
        add(f"INT{n:02}", "integer", str(10 * n), required=True, **extra)
    for n in range(1, 7):
        add(f"DAT{n:02}", "date", f"2023-05-{n + 10:02}", required=True)
    partial = ["2023-05-UN", "2022-UN-UN", "2023-04-12", ""]
    for n, raw in enumerate(partial, 1):
        extra = {"show_if": "YN02 == 'Y'"} if n == 4 else {}
        add(f"PDT{n:02}", "partial_date", raw, **extra)
    add("TIM01", "time", "08:30")
    add("TIM02", "time", "17:05")
    add("SEX", "single_choice", "F", codelist="BSEX", required=True)
    add("SYMPT", "multi_choice", "FEV;COUGH", codelist="BSYM")
    for n, raw in enumerate(["Y", "N", "Y", "N", "y", "N"], 1):
        add(f"YN{n:02}", "yes_no", raw, required=True)
    texts = ["Fever since two days", "none", "", "Paracetamol 500 mg", "Cough at night"]
    shown = {1: "YN01 == 'Y'", 5: "'COUGH' in SYMPT"}
    for n, raw in enumerate(texts, 1):
        add(f"TXT{n:02}", "text", raw, **({"show_if": shown[n]} if n in shown else {}))
    add("CALC01", "calculated", "", result_type="decimal", precision=1,
        derive="DEC05 / ((DEC06/100) * (DEC06/100))", range={"hard": [5, 100], "soft": [15, 40]})
    add("CALC02", "calculated", "", result_type="integer", derive="sum(INT03, INT04, INT05)")
    checks = [
        {"id": "DEC_ORDER", "expr": "DEC02 > DEC03", "severity": "hard", "items": ["DEC02", "DEC03"],
         "message": _text("DEC02 must be higher than DEC03.")},
        {"id": "DATE_ORDER", "expr": "DAT02 >= DAT01", "severity": "hard", "items": ["DAT02", "DAT01"],
         "message": _text("DAT02 must not be before DAT01.")},
        {"id": "INT_LIMIT", "expr": "INT02 <= INT08", "when": "YN03 == 'Y'", "severity": "soft",
         "items": ["INT02", "INT08"], "message": _text("INT02 is usually at most INT08.")},
    ]
    doc = {
        "form": {"code": FORM, "label": _text("Benchmark form"), "domain": "XX"},
        "codelists": {"BSEX": _codelist("M", "F"), "BSYM": _codelist("FEV", "COUGH", "DYSP", "FATIG", "OTH")},
        "items": items,
        "checks": checks,
    }
    return doc, values


def write_study(folder: Path) -> Values:
    """Write study.yaml and bench.yaml into `folder`; return the raw values of the 50-item form."""
    doc, values = _form()
    for name, data in (("study.yaml", _study()), ("bench.yaml", doc)):
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return values
