"""Plausible synthetic values for the demo site: generic ones from the item definitions, refined per item
for the forms of the MSC-COVID19 study. Pure functions of a random generator and a context: no storage."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from random import Random
from typing import Any

from ecrf.study.model import Form, Item, ItemType, Study
from ecrf.study.subject import Where
from ecrf.study.validate import validate_form
from ecrf.study.values import Missing, PartialDate

EMPTY = None  # an override of None leaves the item empty (hidden, not done yet, pending result)
LAB_NAME = "Demo hospital clinical laboratory"
# Form codes of this study that the demo's story refers to (absent ones are skipped).
INFUSION, LAB, AE_CHECK, MORTALITY, ADVERSE_EVENTS, MEDICATIONS = "EX", "LB", "AECHK", "MORT", "AE", "CM"
LAB_AE = "Alanine aminotransferase increased"


@dataclass(frozen=True)
class Profile:
    """The fixed traits of one synthetic subject."""

    sex: str
    birth: date
    height: float
    weight: float
    who0: int  # WHO ordinal scale at baseline
    lobes: tuple[int, ...]  # baseline CT severity per lobe (RUL, RML, RLL, LUL, LLL)


@dataclass(frozen=True)
class DayState:
    """How the subject is on one visit day; shared by vital signs and clinical status."""

    who: int
    o2: str
    temp: float
    spo2: int


@dataclass
class Ctx:
    """Everything a value builder may read: who, which visit, what day, which special case."""

    rng: Random
    study: Study
    profile: Profile
    arm: str | None
    consent: date
    visit: str
    day: int | None  # study day of the visit; None at screening
    on: date  # the date the visit took place
    today: date
    timepoint: str = ""
    state: DayState | None = None
    flags: frozenset[str] = frozenset()  # special cases, see demo.py
    end: date | None = None  # death or withdrawal date
    fate: str = ""
    failed_item: str | None = None  # criterion answered the wrong way (screen failure)
    extra: dict[str, Any] = field(default_factory=dict)


# -- subjects ------------------------------------------------------------------------------------

def make_profile(rng: Random, consent: date) -> Profile:
    sex = rng.choice("MF")
    age = rng.randint(24, 68)
    birth = consent - timedelta(days=round(age * 365.25) + rng.randint(20, 330))
    height = rng.uniform(162, 182) if sex == "M" else rng.uniform(150, 168)
    weight = rng.uniform(19.5, 28.5) * (height / 100) ** 2
    who0 = rng.choice((3, 4, 4, 4, 5, 5))
    lobes = tuple(min(5, rng.randint(0, who0 - 2) + (1 if lobe in (2, 4) else 0)) for lobe in range(5))
    return Profile(sex, birth, round(height, 1), round(weight, 1), who0, lobes)


def who_on(profile: Profile, day: int | None, dying: bool) -> int:
    """WHO ordinal scale on a study day: most improve after the first week, the dying subject worsens."""
    if day is None:
        return profile.who0
    if dying:
        return min(7, profile.who0 + 1 + day // 3)
    if day <= 3:
        return profile.who0
    if day <= 7:
        return profile.who0 - 1 if profile.who0 >= 5 else profile.who0
    if day <= 16:
        return max(2, profile.who0 - 2)
    return 2 if day <= 31 and profile.who0 >= 5 else 1


def day_state(profile: Profile, day: int | None, dying: bool, rng: Random) -> DayState:
    who = who_on(profile, day, dying)
    o2 = {4: rng.choice(("NC", "NC", "NC", "MASK")), 5: rng.choice(("HFNC", "HFNC", "NIV")), 6: "IMV",
          7: rng.choice(("IMV", "ECMO"))}.get(who, "RA")
    febrile = who >= 4 and (day is None or day <= 7) and rng.random() < 0.7
    temp = rng.uniform(37.4, 39.3) if febrile else rng.uniform(36.2, 37.1)
    low = {4: 91, 5: 88, 6: 86, 7: 85}.get(who, 94)
    return DayState(who, o2, round(temp, 1), rng.randint(low, min(99, low + 6)))


def recovery(day: int | None, dying: bool) -> float:
    """0 = as sick as at baseline, 1 = recovered; used to move laboratory values over time."""
    if day is None or day <= 3:
        return -0.2 * (day or 0) / 3 if dying else 0.0
    if dying:
        return -0.4
    return 0.3 if day <= 7 else 0.6 if day <= 16 else 0.85 if day <= 31 else 1.0


# -- generic values ------------------------------------------------------------------------------

def fit(item: Item, x: float) -> int | Decimal:
    """A number as the item stores it: rounded to its precision, inside its hard range."""
    hard = item.hard
    if hard is not None:
        x = min(max(x, hard.low if hard.low is not None else x), hard.high if hard.high is not None else x)
    if item.value_type is ItemType.INTEGER:
        return round(x)
    digits = item.precision or 0
    return Decimal(str(round(x, digits))).quantize(Decimal(1).scaleb(-digits))


def generic_value(item: Item, ctx: Ctx) -> Any:
    """A valid, unremarkable value from the item definition alone (for items without an override)."""
    if item.criterion is not None:
        return item.criterion.required_answer
    kind, rng = item.value_type, ctx.rng
    if kind in (ItemType.DATE, ItemType.PARTIAL_DATE):
        return ctx.on
    if kind is ItemType.DATETIME:
        return datetime.combine(ctx.on, time(9, rng.randint(0, 59)))
    if kind is ItemType.TIME:
        return time(rng.randint(8, 11), rng.randint(0, 59))
    if kind in (ItemType.INTEGER, ItemType.DECIMAL):
        bounds = item.soft or item.hard
        low = bounds.low if bounds and bounds.low is not None else 0
        high = bounds.high if bounds and bounds.high is not None else low + 100
        return fit(item, rng.uniform(float(low), float(high)))
    codes = item.codelist.codes() if item.codelist else ()
    if kind is ItemType.YES_NO:
        return "N"
    if kind is ItemType.SINGLE_CHOICE and codes:
        return rng.choice(codes)
    if kind is ItemType.MULTI_CHOICE and codes:
        return (codes[0],)
    if kind is ItemType.TEXT:
        return "Synthetic demo entry"[:item.max_length]
    return None


def form_values(form: Form, ctx: Ctx, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Overrides for the items this module knows, generic values for the rest, hidden items left out."""
    given = dict(OVERRIDES[form.code](ctx) if overrides is None and form.code in OVERRIDES else overrides or {})
    values: dict[str, Any] = {}
    for item in form.items:
        if item.is_calculated:
            continue
        value = given[item.code] if item.code in given else generic_value(item, ctx)
        if value is not None:
            values[item.code] = value
    return drop_hidden(form, values, ctx)


def left_open(study: Study, ctx: Ctx, form: str) -> bool:
    """Forms saved in progress: labs awaiting cytokine results, eligibility still being answered."""
    return (form == LAB and "pending_lab" in ctx.flags) or (
        form == study.eligibility_form and "partial_ie" in ctx.flags)


def drop_hidden(form: Form, values: dict[str, Any], ctx: Ctx) -> dict[str, Any]:
    """Leave out items whose skip logic (over this form's own items) hides them; the service refuses them."""
    local = {i.code for i in form.items if i.show_if is not None and all(k.form is None for k in i.show_if.refs)}
    for _ in range(len(local) + 1):
        hidden = validate_form(form, values, where=Where(ctx.visit, ctx.timepoint, ctx.today)).hidden
        gone = [code for code in hidden & local if code in values]
        if not gone:
            break
        for code in gone:
            del values[code]
    return values


# -- this study's forms --------------------------------------------------------------------------

def _clock(hour: int, minute: int) -> time:
    return time(hour + minute // 60, minute % 60)


def dm(ctx: Ctx) -> dict[str, Any]:
    p = ctx.profile
    age = (ctx.consent - p.birth).days // 365
    return {"RFICDAT": ctx.consent, "ICVER": "V1.0 2020-01-20", "BRTHDAT": p.birth, "SEX": p.sex,
            "PREGST": ("NEG" if age < 50 else "NCBP") if p.sex == "F" else EMPTY,
            "HEIGHT": p.height, "WEIGHT": p.weight}


def ie(ctx: Ctx) -> dict[str, Any]:
    """Every criterion met, except the screen failure's; still being screened: exclusions not yet answered."""
    values: dict[str, Any] = {}
    for item in ctx.study.form("IE").criteria:
        assert item.criterion is not None
        answer = item.criterion.required_answer
        if item.code == ctx.failed_item:
            answer = "N" if answer == "Y" else "Y"
        pending = "partial_ie" in ctx.flags and item.criterion.kind == "exclusion"
        values[item.code] = EMPTY if pending else answer
    return values


def vs(ctx: Ctx) -> dict[str, Any]:
    s, rng = ctx.state, ctx.rng
    assert s is not None
    taken = {"PRE": _clock(8, rng.randint(30, 70)), "POST": _clock(11, rng.randint(0, 40))}.get(
        ctx.timepoint, _clock(9, rng.randint(0, 90)))
    systolic = rng.randint(106, 142)
    fio2 = {"HFNC": rng.randint(40, 60), "NIV": rng.randint(45, 70), "IMV": rng.randint(50, 80)}.get(s.o2, 70)
    flow = {"NC": rng.randint(2, 5), "MASK": rng.randint(6, 10), "HFNC": rng.randint(35, 50)}.get(s.o2, EMPTY)
    return {"VSDAT": ctx.on, "VSTIM": taken, "TEMP": round(s.temp + (0.2 if ctx.timepoint == "POST" else 0), 1),
            "PULSE": 66 + 5 * s.who + rng.randint(-4, 10) + (8 if s.temp >= 37.5 else 0),
            "RESP": 12 + 3 * s.who + rng.randint(-2, 2), "SYSBP": systolic,
            "DIABP": rng.randint(60, 88), "OXYSAT": s.spo2, "O2SUP": s.o2,
            "FIO2": fio2 if s.o2 in ("HFNC", "NIV", "IMV", "ECMO") else EMPTY, "O2FLOW": flow}


def ex(ctx: Ctx) -> dict[str, Any]:
    rng = ctx.rng
    start = rng.randint(30, 50)
    stopped = "interrupted" in ctx.flags
    return {"EXDAT": ctx.on, "EXSTTIM": _clock(9, start), "EXENTIM": _clock(9, start + (30 if stopped else 45)),
            "EXDOSE": Decimal("2.10") if stopped else Decimal(rng.choice(("3.00", "3.00", "2.95", "3.05"))),
            "EXLOT": f"MSC-{ctx.consent:%y%m}-{rng.randint(1, 40):02d}",
            "EXVOL": Decimal("70.0" if stopped else "100.0"),
            "EXCOMP": "N" if stopped else "Y",
            "EXNCREAS": "Infusion stopped after 30 minutes because of chills" if stopped else EMPTY,
            "EXREACT": "Y" if stopped or "reaction" in ctx.flags else "N"}


def mb(ctx: Ctx) -> dict[str, Any]:
    rng, day = ctx.rng, ctx.day
    chance = 1.0 if day is None else 0.85 if day <= 3 else 0.7 if day <= 7 else 0.35 if day <= 16 else 0.05
    positive = rng.random() < chance
    result = "POS" if positive else "NEG"
    ct = 24 + (day or 0) * 0.5
    # One diagnostic swab predates consent: a warning the nurse confirms (it is the source document).
    taken = ctx.on - timedelta(days=1) if "early_swab" in ctx.flags and day is None else ctx.on
    return {"MBDAT": taken, "MBSPEC": rng.choice(("NPS", "NPS", "OPS", "SPUTUM")), "MBTEST": ("ORF1AB", "N"),
            "ORF1AB_RES": result, "ORF1AB_CT": round(ct + rng.uniform(-3, 5), 1) if positive else EMPTY,
            "N_RES": result, "N_CT": round(ct + rng.uniform(-4, 4), 1) if positive else EMPTY,
            "MBRES": result, "MBLAB": LAB_NAME}


def _ct_scores(ctx: Ctx, day: int | None) -> tuple[int, ...]:
    factor = 1.0 if day is None or day <= 7 else 0.75 if day <= 16 else 0.45 if day <= 31 else 0.15 if day <= 100 else 0
    return tuple(int(score * factor + 0.5) for score in ctx.profile.lobes)


def ct(ctx: Ctx) -> dict[str, Any]:
    scores = _ct_scores(ctx, ctx.day)
    total = sum(scores)
    lobes = tuple(code for code, score in zip(("RUL", "RML", "RLL", "LUL", "LLL"), scores, strict=True) if score)
    both = any(c in lobes for c in ("RUL", "RML", "RLL")) and any(c in lobes for c in ("LUL", "LLL"))
    previous = _previous_ct_total(ctx)
    change = "NA" if previous is None else "IMPROVED" if total < previous else "WORSENED" if total > previous \
        else "STABLE"
    return {"IMDAT": ctx.on, "IMMOD": "CT", "GGO": "Y" if total else "N", "CONSOL": "Y" if total >= 8 else "N",
            "CRAZY": "Y" if total >= 12 else "N", "SEPTAL": "Y" if total >= 6 else "N",
            "PLEFF": "Y" if total >= 15 else "N", "LOBES": lobes or Missing("NA"),
            "LATER": ("BI" if both else "UNI") if lobes else Missing("NA"),
            "DISTRIB": ("PERIPH" if total < 12 else "DIFFUSE") if lobes else Missing("NA"),
            **dict(zip(("SCRUL", "SCRML", "SCRLL", "SCLUL", "SCLLL"), scores, strict=True)),
            "CHANGE": change, "IMPRESS": _impression(total, change)}


def _previous_ct_total(ctx: Ctx) -> int | None:
    days: list[int | None] = []
    for visit in ctx.study.visits:
        if visit.code == ctx.visit:
            break
        if any(vf.form == "CT" for vf in visit.forms):
            days.append(None if visit.before_day0 else visit.day)
    return sum(_ct_scores(ctx, days[-1])) if days else None


def _impression(total: int, change: str) -> str:
    if not total:
        return "No active lesion; the earlier opacities have resolved."
    where = "bilateral peripheral" if total < 12 else "diffuse bilateral"
    trend = {"IMPROVED": " Partly absorbed compared with the previous scan.",
             "WORSENED": " Progressed compared with the previous scan."}.get(change, "")
    return f"Multiple {where} ground-glass opacities, consistent with viral pneumonia.{trend}"


def lb(ctx: Ctx) -> dict[str, Any]:
    rng, r = ctx.rng, recovery(ctx.day, ctx.fate == "died")

    def toward(sick: float, well: float, spread: float = 0.2) -> float:
        return (sick + (well - sick) * r) * rng.uniform(1 - spread, 1 + spread)

    lymph, neut = toward(0.6, 1.8), toward(5.5, 3.2)
    cd3 = lymph * 1000 * rng.uniform(0.6, 0.72)
    male = ctx.profile.sex == "M"
    values: dict[str, Any] = {
        "LBDAT": ctx.on, "WBC": lymph + neut + rng.uniform(0.4, 0.9), "LYMPH": lymph, "NEUT": neut,
        "HGB": rng.uniform(128, 152) if male else rng.uniform(112, 138), "PLT": rng.uniform(140, 320),
        "CD3": cd3, "CD4": cd3 * rng.uniform(0.5, 0.64), "CD8": cd3 * rng.uniform(0.26, 0.38),
        "CD19": lymph * 1000 * rng.uniform(0.08, 0.15), "NK": lymph * 1000 * rng.uniform(0.08, 0.18),
        "CRP": toward(45, 3, 0.5), "PCT": toward(0.12, 0.04), "FERRITIN": toward(650, 160),
        "DDIMER": toward(1.2, 0.3), "LDH": toward(320, 180), "ALT": rng.uniform(14, 48),
        "AST": rng.uniform(15, 42), "CREAT": rng.uniform(68, 96) if male else rng.uniform(52, 80),
        "IL6": toward(35, 3, 0.4), "IL10": toward(9, 3), "TNFA": rng.uniform(3, 10), "IFNG": toward(12, 4),
        "IL2": rng.uniform(1.5, 4.5), "IL4": rng.uniform(1.2, 3.5)}
    if "alt_high" in ctx.flags:
        values["ALT"], values["AST"] = rng.uniform(95, 130), rng.uniform(70, 95)
    if "pending_lab" in ctx.flags:  # cytokines come back from the reference laboratory days later
        values.update(dict.fromkeys(("IL6", "IL10", "TNFA", "IFNG", "IL2", "IL4"), EMPTY))
    form = ctx.study.form("LB")
    return {k: fit(form.item(k), v) if isinstance(v, float) and form.has_item(k) else v for k, v in values.items()}


def cs(ctx: Ctx) -> dict[str, Any]:
    s, rng = ctx.state, ctx.rng
    assert s is not None

    def sign(p_sick: float, p_well: float = 0.05) -> str:
        return "Y" if rng.random() < (p_sick if s.who >= 3 else p_well) else "N"

    return {"CSDAT": ctx.on, "WHOSCALE": s.who, "FEVER": "Y" if s.temp >= 37.3 else "N", "COUGH": sign(0.8, 0.2),
            "SPUTUM": sign(0.4), "DYSPNEA": "Y" if s.who >= 5 else sign(0.4), "CHESTTIG": sign(0.3),
            "FATIGUE": sign(0.6, 0.15), "MYALGIA": sign(0.3), "HEADACHE": sign(0.2), "SORETHR": sign(0.2),
            "DIARRHEA": sign(0.1), "ANOSMIA": sign(0.15), "ICU": "Y" if s.who >= 6 else "N", "O2SUP": s.o2}


def aechk(ctx: Ctx) -> dict[str, Any]:
    return {"AEYN": "Y" if "new_ae" in ctx.flags else "N"}


def mort(ctx: Ctx) -> dict[str, Any]:
    dead = ctx.fate == "died"
    return {"MORTDAT": ctx.on, "DTH28": "DEAD" if dead else "ALIVE", "DTHDAT": ctx.end if dead else EMPTY,
            "DTHCAUS": DEATH_CAUSE if dead else EMPTY}


DEATH_CAUSE = "Respiratory failure due to COVID-19 pneumonia"
WITHDRAWAL = "Subject withdrew consent for further visits (moved to another city)"


def eos(ctx: Ctx) -> dict[str, Any]:
    code = {"died": "DEATH", "withdrawn": "WDSUBJ"}.get(ctx.fate, "COMPLETED")
    return {"DSDECOD": code, "DSSTDAT": ctx.end or ctx.on, "DSTERM": WITHDRAWAL if code == "WDSUBJ" else EMPTY,
            "DTHDAT": ctx.end if code == "DEATH" else EMPTY, "DTHCAUS": DEATH_CAUSE if code == "DEATH" else EMPTY}


OVERRIDES: dict[str, Callable[[Ctx], dict[str, Any]]] = {
    "DM": dm, "IE": ie, "VS": vs, "EX": ex, "MB": mb, "CT": ct, "LB": lb, "CS": cs, "AECHK": aechk,
    "MORT": mort, "EOS": eos}


# -- log entries ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class AePlan:
    term: str
    grade: int
    onset: date
    end: date | None  # None: ongoing
    related: str  # AEREL code
    action: str  # AEACN code
    treated: bool = False
    serious: tuple[str, ...] = ()  # AESCRIT codes


def ae_values(ae: AePlan) -> dict[str, Any]:
    fatal = "AESDTH" in ae.serious
    outcome = "FATAL" if fatal else "RECOVING" if ae.end is None else "RECOV"
    return {"AETERM": ae.term, "AESTDAT": ae.onset, "AEONGO": "Y" if ae.end is None else "N", "AEENDAT": ae.end,
            "AETOXGR": ae.grade, "AESER": "Y" if ae.serious else "N", "AESCRIT": ae.serious or EMPTY,
            "AEREL": ae.related, "AEACN": ae.action, "AECONTRT": "Y" if ae.treated else "N", "AEOUT": outcome}


@dataclass(frozen=True)
class CmPlan:
    name: str
    indication: str
    dose: str
    unit: str
    route: str
    start: date | PartialDate
    end: date | None  # None: ongoing


def cm_values(cm: CmPlan) -> dict[str, Any]:
    return {"CMTRT": cm.name, "CMINDC": cm.indication, "CMDOSE": Decimal(cm.dose), "CMDOSU": cm.unit,
            "CMROUTE": cm.route, "CMSTDAT": cm.start, "CMONGO": "Y" if cm.end is None else "N", "CMENDAT": cm.end}


# (term, grade, onset day, days to resolve, treated, serious criteria)
AE_CATALOGUE: tuple[tuple[str, int, int, int, bool, tuple[str, ...]], ...] = (
    ("Alanine aminotransferase increased", 1, 5, 16, False, ()),
    ("Diarrhoea", 1, 4, 3, False, ()),
    ("Hypokalaemia", 2, 3, 5, True, ()),
    ("Insomnia", 1, 9, 120, False, ()),
    ("Headache", 1, 1, 2, False, ()),
    ("Deep vein thrombosis", 3, 8, 21, True, ("AESHOSP",)),
)

# (name, indication, dose, unit, route, days taken or None for ongoing)
CM_CATALOGUE: tuple[tuple[str, str, str, str, str, int | None], ...] = (
    ("Lopinavir/ritonavir", "COVID-19", "400", "MG", "PO", 10),
    ("Methylprednisolone", "COVID-19 pneumonia", "40", "MG", "IV", 5),
    ("Umifenovir", "COVID-19", "200", "MG", "PO", 10),
    ("Moxifloxacin", "Prophylaxis of bacterial infection", "400", "MG", "IV", 7),
    ("Lianhua Qingwen capsule", "COVID-19", "4", "CAP", "PO", 14),
    ("Interferon alfa-2b", "COVID-19", "5000000", "IU", "INH", 10),
    ("Enoxaparin", "Thromboprophylaxis", "40", "MG", "SC", 14),
    ("Amlodipine", "Hypertension", "5", "MG", "PO", None),
)
TREATMENTS = {"Hypokalaemia": ("Potassium chloride", "1", "G", "PO"),
              "Deep vein thrombosis": ("Enoxaparin", "60", "MG", "SC"),
              "Infusion-related chills": ("Promethazine", "25", "MG", "IM"),
              "Acute respiratory distress syndrome": ("Methylprednisolone", "80", "MG", "IV")}
