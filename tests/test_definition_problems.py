"""Broken study definitions: every kind of mistake is reported with its file, line, code and a clear message.

Each test copies a small but complete valid study (below) into a temporary folder named `forms`,
breaks one thing, and checks the problem `check-forms` would print: `forms/vs.yaml:14: [unknown-type] ...`.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ecrf.study.loader import check_definition, load_study
from ecrf.study.problems import DefinitionError, Problem

pytestmark = pytest.mark.req("DEF-ALL-PROBLEMS")

REPO = Path(__file__).resolve().parent.parent


def _d(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# ---- a small, complete, valid study ------------------------------------------------------------

STUDY = _d("""
    study:
      oid: MINI-1
      version: "0.1"
      title: {en: "Mini study", zh: "小研究"}
      phase: "1"
      planned_subjects: 4
      start_date: 2020-01-27
      languages: [en, zh]

    missing_codes:
      ND: {en: "Not done", zh: "未做"}
      UNK: {en: "Unknown", zh: "不详"}

    roles:
      site_admin: {en: "Site administrator", zh: "中心管理员"}
      investigator: {en: "Investigator", zh: "研究者"}
      nurse: {en: "Study nurse", zh: "研究护士"}
      monitor: {en: "Monitor", zh: "监查员"}
      read_only: {en: "Read-only user", zh: "只读用户"}

    arms:
      - code: MSC
        label: {en: "MSC group", zh: "干细胞组"}
        type: experimental
        planned_subjects: 2
      - code: CTRL
        label: {en: "Control group", zh: "对照组"}
        type: no_intervention
        planned_subjects: 2

    timepoints:
      PRE: {en: "Pre-infusion", zh: "输注前"}
      POST: {en: "Post-infusion", zh: "输注后"}

    visits:
      - code: SCR
        label: {en: "Screening", zh: "筛选"}
        day: 0
        window: {before: 3, after: 0}
        before_day0: true
        forms:
          - DM
          - IE
          - VS
      - code: D0
        label: {en: "Day 0", zh: "第0天"}
        day: 0
        forms:
          - {form: VS, arms: [MSC], timepoints: [PRE, POST]}
          - {form: VS, arms: [CTRL]}
      - code: D28
        label: {en: "Day 28", zh: "第28天"}
        day: 28
        window: {before: 3, after: 3}
        forms:
          - VS
          - EOS

    logs: [AE]
    eligibility: IE
    end_of_study: {form: EOS, visit: D28}
""")

CODELISTS = _d("""
    codelists:
      SEX:
        data_type: text
        items:
          - {code: "M", label: {en: "Male", zh: "男"}}
          - {code: "F", label: {en: "Female", zh: "女"}}
      GRADE:
        data_type: integer
        items:
          - {code: 1, label: {en: "Mild", zh: "轻度"}}
          - {code: 2, label: {en: "Moderate", zh: "中度"}}
          - {code: 3, label: {en: "Severe", zh: "重度"}}
""")

DM = _d("""
    form:
      code: DM
      label: {en: "Demographics", zh: "人口学资料"}
      domain: DM

    items:
      - code: BRTHDAT
        cdash: BRTHDAT
        type: date
        label: {en: "Date of birth", zh: "出生日期"}
        required: true
      - code: RFICDAT
        cdash: RFICDAT
        type: date
        label: {en: "Date of consent", zh: "知情同意日期"}
        required: true
      - code: AGE
        cdash: AGE
        type: calculated
        derive: "age(BRTHDAT, RFICDAT)"
        result_type: integer
        label: {en: "Age", zh: "年龄"}
      - code: SEX
        cdash: SEX
        type: single_choice
        codelist: SEX
        label: {en: "Sex", zh: "性别"}
        required: true
      - code: COMMENT
        cdash: DMCOM
        type: text
        max_length: 100
        label: {en: "Comment", zh: "备注"}

    checks:
      - id: CONSENT_AFTER_BIRTH
        expr: "RFICDAT > BRTHDAT"
        severity: hard
        items: [RFICDAT, BRTHDAT]
        message: {en: "Consent must be after birth.", zh: "知情同意日期必须晚于出生日期。"}
""")

IE = _d("""
    form:
      code: IE
      label: {en: "Eligibility", zh: "入选/排除标准"}
      domain: IE

    items:
      - code: IEIN01
        cdash: IEORRES
        type: yes_no
        label: {en: "Aged 18 to 70", zh: "年龄18至70岁"}
        required: true
        criterion:
          kind: inclusion
          number: 1
          rule: "DM.AGE >= 18 and DM.AGE <= 70"
          rule_label: {en: "Age 18-70 at consent", zh: "知情同意时年龄18-70岁"}
      - code: IEEX01
        cdash: IEORRES
        type: yes_no
        label: {en: "Pregnant", zh: "妊娠"}
        required: true
        criterion:
          kind: exclusion
          number: 1
      - code: ELIGIBLE
        cdash: IEYN
        type: calculated
        derive: "eligible()"
        result_type: yes_no
        label: {en: "Eligible", zh: "符合入选条件"}
""")

VS = _d("""
    form:
      code: VS
      label: {en: "Vital signs", zh: "生命体征"}
      domain: VS

    items:
      - code: VSDAT
        cdash: VSDAT
        type: date
        label: {en: "Date", zh: "日期"}
        required: true
      - code: TEMP
        cdash: VSORRES
        testcd: TEMP
        type: decimal
        precision: 1
        label: {en: "Temperature", zh: "体温"}
        unit: "°C"
        required: true
        missing: [ND]
        range:
          hard: [30, 45]
          soft: [35, 41]
      - code: SYSBP
        cdash: VSORRES
        type: integer
        label: {en: "Systolic blood pressure", zh: "收缩压"}
        unit: mmHg
        range:
          hard: [40, 300]
      - code: DIABP
        cdash: VSORRES
        type: integer
        label: {en: "Diastolic blood pressure", zh: "舒张压"}
        unit: mmHg
        range:
          hard: [20, 200]
      - code: MAP
        cdash: VSORRES
        type: calculated
        derive: "round((SYSBP + 2 * DIABP) / 3, 0)"
        result_type: integer
        label: {en: "Mean arterial pressure", zh: "平均动脉压"}
      - code: FEVER
        cdash: VSORRES
        type: yes_no
        label: {en: "Fever treated", zh: "发热已处理"}
        show_if: "TEMP >= 38"

    checks:
      - id: BP_ORDER
        expr: "SYSBP > DIABP"
        severity: hard
        items: [SYSBP, DIABP]
        message: {en: "Systolic must be higher than diastolic.", zh: "收缩压必须高于舒张压。"}
      - id: SCREEN_AGE
        expr: "DM.AGE >= 18"
        when: "$visit == 'SCR'"
        severity: soft
        items: [VSDAT]
        message: {en: "Subject is under 18.", zh: "受试者未满18岁。"}
""")

AE = _d("""
    form:
      code: AE
      label: {en: "Adverse events", zh: "不良事件"}
      domain: AE
      repeating: true

    items:
      - code: AETERM
        cdash: AETERM
        type: text
        label: {en: "Adverse event", zh: "不良事件"}
        required: true
      - code: AESTDAT
        cdash: AESTDAT
        type: partial_date
        label: {en: "Start date", zh: "开始日期"}
        required: true
      - code: AEENDAT
        cdash: AEENDAT
        type: partial_date
        label: {en: "End date", zh: "结束日期"}
      - code: AESEV
        cdash: AESEV
        type: single_choice
        codelist: GRADE
        label: {en: "Severity", zh: "严重程度"}

    checks:
      - id: AE_END_AFTER_START
        expr: "AEENDAT >= AESTDAT"
        severity: hard
        items: [AEENDAT]
        message: {en: "The end is before the start.", zh: "结束日期早于开始日期。"}
""")

EOS = _d("""
    form:
      code: EOS
      label: {en: "End of study", zh: "研究结束"}
      domain: DS

    codelists:
      DSDECOD:
        items:
          - {code: "COMPLETED", label: {en: "Completed", zh: "完成"}}
          - {code: "DEATH", label: {en: "Death", zh: "死亡"}}

    items:
      - code: DSDECOD
        cdash: DSDECOD
        type: single_choice
        codelist: DSDECOD
        label: {en: "Status", zh: "状态"}
        required: true
      - code: DSSTDAT
        cdash: DSSTDAT
        type: date
        label: {en: "Date", zh: "日期"}
        required: true
      - code: DTHCAUS
        cdash: DTHCAUS
        type: text
        label: {en: "Cause of death", zh: "死亡原因"}
        show_if: "DSDECOD == 'DEATH'"

    checks:
      - id: EOS_AFTER_CONSENT
        expr: "DSSTDAT >= DM.RFICDAT"
        severity: hard
        items: [DSSTDAT]
        message: {en: "End of study is before consent.", zh: "研究结束日期早于知情同意日期。"}
""")

BASE: dict[str, str] = {
    "study.yaml": STUDY,
    "codelists.yaml": CODELISTS,
    "dm.yaml": DM,
    "ie.yaml": IE,
    "vs.yaml": VS,
    "ae.yaml": AE,
    "eos.yaml": EOS,
}


# a well-formed form that no visit uses
UNUSED_FORM = _d("""
    form:
      code: LB
      label: {en: "Laboratory", zh: "实验室检查"}
      domain: LB

    items:
      - code: LBDAT
        cdash: LBDAT
        type: date
        label: {en: "Date", zh: "日期"}
""")

# ---- helpers -------------------------------------------------------------------------------------

def make_study(tmp_path: Path, **files: str | bytes | None) -> Path:
    """Write the valid study into tmp_path/forms, with `files` replacing (or, when None, removing) files.

    Keyword names are file names with '.' written as '_' before the extension: vs_yaml -> vs.yaml.
    """
    folder = tmp_path / "forms"
    folder.mkdir()
    contents: dict[str, str | bytes | None] = dict(BASE)
    for key, text in files.items():
        contents[_file_name(key)] = text
    for name, text in contents.items():
        if text is None:
            continue
        if isinstance(text, bytes):
            (folder / name).write_bytes(text)
        else:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def _file_name(key: str) -> str:
    stem, _, ext = key.rpartition("_")
    return f"{stem}.{ext}"


def edit(text: str, old: str, new: str) -> str:
    """Replace the one occurrence of `old` (the test is wrong when it is not exactly one)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def line_of(text: str, marker: str, nth: int = 1) -> int:
    """1-based line number of the nth line containing `marker`."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(hits) >= nth, f"{marker!r} found on {len(hits)} line(s)"
    return hits[nth - 1]


def expect(problems: list[Problem], file: str, line: int, code: str, fragment: str, *, only: bool = True) -> Problem:
    """Assert a problem `file:line: [code]` whose text contains `fragment`; by default it must be the only one."""
    shown = "\n".join(str(p) for p in problems) or "(no problems)"
    prefix = f"forms/{file}:{line}: [{code}]"
    matches = [p for p in problems if str(p).startswith(prefix) and fragment in str(p)]
    assert matches, f"expected {prefix} ... {fragment!r}; got:\n{shown}"
    if only:
        assert len(problems) == 1, f"expected only {prefix} ...; got:\n{shown}"
    return matches[0]


def check(tmp_path: Path, **files: str | bytes | None) -> list[Problem]:
    return check_definition(make_study(tmp_path, **files))


# ---- the base study and the real one are sound ----------------------------------------------------

def test_base_study_is_valid(tmp_path):
    assert check(tmp_path) == []
    study = load_study(tmp_path / "forms")
    assert [v.code for v in study.visits] == ["SCR", "D0", "D28"]
    assert [a.code for a in study.arms] == ["MSC", "CTRL"]
    assert study.logs == ("AE",)


def test_real_forms_have_no_problems():
    assert check_definition(REPO / "forms") == []


# ---- files and YAML --------------------------------------------------------------------------------

def test_yaml_syntax_error_names_the_line(tmp_path):
    broken = edit(VS, '    unit: "°C"\n', "    unit: °C: x\n")
    problems = check(tmp_path, vs_yaml=broken)
    # vs.yaml cannot be read, so the visits that list VS are reported too; the cause is named first
    p = expect(problems, "vs.yaml", line_of(broken, "°C: x"), "yaml-syntax", "YAML syntax error", only=False)
    assert "fix the YAML at this line" in p.message
    assert [q for q in problems if q.file == "forms/vs.yaml"] == [p]


def test_yaml_unclosed_quote_names_a_line_in_the_file(tmp_path):
    broken = edit(VS, 'label: {en: "Temperature", zh: "体温"}', 'label: {en: "Temperature, zh: "体温"}')
    problems = check(tmp_path, vs_yaml=broken)
    (p,) = [q for q in problems if q.file == "forms/vs.yaml"]
    assert p.code.value == "yaml-syntax"
    assert line_of(broken, '"Temperature, zh') <= p.line <= len(broken.splitlines()) + 1


def test_duplicate_key_in_an_item(tmp_path):
    broken = edit(VS, "    missing: [ND]\n", "    missing: [ND]\n    required: false\n")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "required: false"), "duplicate-key",
           "key 'required' is given twice")


def test_duplicate_key_in_a_form_mapping(tmp_path):
    broken = edit(VS, "  domain: VS\n", "  domain: VS\n  domain: LB\n")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "domain: LB"), "duplicate-key", "key 'domain' is given twice")


def test_duplicate_top_level_key_in_study_yaml(tmp_path):
    # A second `logs:` section silently replaces the first in YAML; it must be reported, not lost.
    broken = STUDY + "logs: [AE]\n"
    problems = check(tmp_path, study_yaml=broken)
    expect(problems, "study.yaml", line_of(broken, "logs: [AE]", nth=2), "duplicate-key", "key 'logs' is given twice")


def test_duplicate_top_level_key_in_a_form_file(tmp_path):
    # Two `checks:` sections: YAML would keep only the second and BP_ORDER would silently vanish.
    extra = _d("""
        checks:
          - id: TEMP_SET
            expr: "TEMP is not missing"
            severity: soft
            items: [TEMP]
            message: {en: "No temperature.", zh: "未填写体温。"}
    """)
    broken = VS + "\n" + extra
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "checks:", nth=2), "duplicate-key", "key 'checks' is given twice")


def test_missing_study_yaml(tmp_path):
    problems = check(tmp_path, study_yaml=None)
    p = expect(problems, "study.yaml", 0, "file-missing", "study.yaml is missing", only=False)
    assert "every study folder needs one" in p.message


def test_folder_that_does_not_exist(tmp_path):
    folder = tmp_path / "nowhere"
    with pytest.raises(DefinitionError) as info:
        load_study(folder)
    problems = info.value.problems
    assert len(problems) == 1
    assert problems[0].code.value == "file-missing"
    assert problems[0].file == str(folder)
    assert "does not exist" in problems[0].message
    assert check_definition(folder) == problems


def test_a_file_given_as_the_folder_is_named_a_file(tmp_path):
    given = tmp_path / "allocation.csv"
    given.write_text("rand_no,arm\n")
    with pytest.raises(DefinitionError) as info:
        load_study(given)
    assert "is a file, not a folder" in info.value.problems[0].message


def test_file_that_is_a_list_not_a_mapping(tmp_path):
    broken = "- code: VS\n- items: []\n"
    problems = check(tmp_path, vs_yaml=broken)
    p = expect(problems, "vs.yaml", 1, "wrong-shape", "the file must be a mapping of keys", only=False)
    # The message is for a study author: it names a YAML list, not a Python class of the loader.
    assert "LineList" not in p.message
    assert "list" in p.message


def test_empty_file(tmp_path):
    problems = check(tmp_path, extra_yaml="# nothing here yet\n")
    expect(problems, "extra.yaml", 1, "wrong-shape", "the file must be a mapping of keys, not empty")


def test_file_that_is_not_utf8(tmp_path):
    raw = VS.replace("体温", "TEMP-ZH").encode("utf-8") + "# température\n".encode("latin-1")
    problems = check(tmp_path, vs_yaml=raw)
    expect(problems, "vs.yaml", 1, "yaml-syntax", "not UTF-8", only=False)


# ---- keys and values ------------------------------------------------------------------------------

def test_unknown_item_type_suggests_the_right_one(tmp_path):
    broken = edit(VS, "    type: decimal\n", "    type: decmal\n")
    problems = check(tmp_path, vs_yaml=broken)
    p = expect(problems, "vs.yaml", line_of(broken, "decmal"), "unknown-type", "unknown item type 'decmal'",
               only=False)
    assert "(did you mean 'decimal'?)" in p.message
    assert "VS.TEMP:" in str(p)


def test_unknown_key_with_suggestion(tmp_path):
    broken = edit(DM, "    codelist: SEX\n    label: {en: \"Sex\", zh: \"性别\"}\n    required: true\n",
                  "    codelist: SEX\n    label: {en: \"Sex\", zh: \"性别\"}\n    requird: true\n")
    problems = check(tmp_path, dm_yaml=broken)
    p = expect(problems, "dm.yaml", line_of(broken, "requird"), "unknown-key", "unknown key 'requird' in an item")
    assert "(did you mean 'required'?)" in p.message
    assert "DM.SEX:" in str(p)


def test_unknown_top_level_key_in_study_yaml(tmp_path):
    broken = edit(STUDY, "logs: [AE]\n", "logs: [AE]\nallocations: RAND\n")
    problems = check(tmp_path, study_yaml=broken)
    p = expect(problems, "study.yaml", line_of(broken, "allocations:"), "unknown-key", "unknown key 'allocations'")
    assert "(did you mean 'allocation'?)" in p.message


def test_key_not_for_the_item_type(tmp_path):
    broken = edit(DM, "    max_length: 100\n", "    max_length: 100\n    precision: 2\n")
    problems = check(tmp_path, dm_yaml=broken)
    expect(problems, "dm.yaml", line_of(broken, "precision: 2"), "key-not-for-type",
           "'precision' does not apply to a text item")


def test_missing_required_cdash(tmp_path):
    broken = edit(VS, "  - code: SYSBP\n    cdash: VSORRES\n", "  - code: SYSBP\n")
    problems = check(tmp_path, vs_yaml=broken)
    # the item is dropped, so expressions that read SYSBP cannot bind either; the cause comes first
    p = expect(problems, "vs.yaml", line_of(broken, "- code: SYSBP"), "missing-key", "an item needs 'cdash'",
               only=False)
    assert "VS.SYSBP:" in str(p)


def test_decimal_without_precision(tmp_path):
    broken = edit(VS, "    precision: 1\n", "")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "- code: TEMP"), "missing-key", "an item needs 'precision'")


def test_calculated_decimal_without_precision(tmp_path):
    broken = edit(VS, "    result_type: integer\n", "    result_type: decimal\n")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "- code: MAP"), "missing-key",
           "a calculated decimal item needs 'precision'")


def test_missing_translation(tmp_path):
    broken = edit(VS, 'label: {en: "Systolic blood pressure", zh: "收缩压"}',
                  'label: {en: "Systolic blood pressure"}')
    problems = check(tmp_path, vs_yaml=broken)
    p = expect(problems, "vs.yaml", line_of(broken, '"Systolic blood pressure"}'), "missing-translation",
               "has no 'zh' text", only=False)
    assert "every label needs en and zh" in p.message


def test_missing_translation_in_a_check_message(tmp_path):
    broken = edit(VS, 'zh: "收缩压必须高于舒张压。"', 'zh: ""')
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "Systolic must be higher"), "missing-translation",
           "has no 'zh' text")


def test_bad_code_format_lower_case_item(tmp_path):
    broken = edit(DM, "  - code: COMMENT\n", "  - code: comment\n")
    problems = check(tmp_path, dm_yaml=broken)
    p = expect(problems, "dm.yaml", line_of(broken, "code: comment"), "bad-code", "code 'comment' is not valid")
    assert "upper-case letters" in p.message


def test_bad_code_format_visit_with_space(tmp_path):
    broken = edit(STUDY, "  - code: D28\n", "  - code: Day 28\n")
    problems = check(tmp_path, study_yaml=broken)
    expect(problems, "study.yaml", line_of(broken, "code: Day 28"), "bad-code", "code 'Day 28' is not valid",
           only=False)


def test_yaml_boolean_code_in_a_codelist(tmp_path):
    broken = edit(CODELISTS, '- {code: "F", label:', "- {code: no, label:")
    problems = check(tmp_path, codelists_yaml=broken)
    p = expect(problems, "codelists.yaml", line_of(broken, "code: no"), "wrong-shape", "a code must be a text",
               only=False)
    assert "put the code in quotes" in p.message


def test_text_code_in_an_integer_codelist(tmp_path):
    broken = edit(CODELISTS, "- {code: 2, label:", '- {code: "2b", label:')
    problems = check(tmp_path, codelists_yaml=broken)
    expect(problems, "codelists.yaml", line_of(broken, '"2b"'), "wrong-shape",
           "a code of an integer codelist must be a whole number")


def test_duplicate_code_in_a_codelist(tmp_path):
    broken = edit(CODELISTS, '- {code: "F", label:', '- {code: "M", label:')
    problems = check(tmp_path, codelists_yaml=broken)
    first = line_of(broken, '{code: "M"')
    expect(problems, "codelists.yaml", line_of(broken, '{code: "M"', nth=2), "duplicate-code",
           f"code 'M' is defined twice (first at line {first})")


def test_defining_the_builtin_ny_codelist(tmp_path):
    broken = CODELISTS + textwrap.indent(_d("""
        NY:
          items:
            - {code: "Y", label: {en: "Yes", zh: "是"}}
    """), "  ")
    problems = check(tmp_path, codelists_yaml=broken)
    expect(problems, "codelists.yaml", line_of(broken, "NY:"), "duplicate-code", "codelist 'NY' is defined twice")


def test_arm_type_not_in_the_list(tmp_path):
    broken = edit(STUDY, "type: no_intervention", "type: control")
    problems = check(tmp_path, study_yaml=broken)
    # one problem: the arm is still defined, so the visits that name it are not reported as wrong too
    expect(problems, "study.yaml", line_of(broken, "type: control"), "bad-value",
           "'control' is not one of: experimental")


def test_study_without_languages(tmp_path):
    broken = edit(STUDY, "  languages: [en, zh]\n", "")
    problems = check(tmp_path, study_yaml=broken)
    # one mistake, one problem (at the first line of the `study:` mapping)
    expect(problems, "study.yaml", line_of(broken, "  oid:"), "missing-key", "'study' needs 'languages")


def test_missing_role_label(tmp_path):
    broken = edit(STUDY, '  monitor: {en: "Monitor", zh: "监查员"}\n', "")
    problems = check(tmp_path, study_yaml=broken)
    expect(problems, "study.yaml", line_of(broken, "roles:"), "missing-key", "'roles' needs 'monitor'")


# ---- duplicates ----------------------------------------------------------------------------------

def test_duplicate_item_code(tmp_path):
    broken = edit(VS, "  - code: DIABP\n", "  - code: SYSBP\n")
    problems = check(tmp_path, vs_yaml=broken)
    first = line_of(broken, "- code: SYSBP")
    second = line_of(broken, "- code: SYSBP", nth=2)
    # DIABP is gone, so the expressions naming it are reported as well
    expect(problems, "vs.yaml", second, "duplicate-code", f"item 'SYSBP' is defined twice (first at line {first})",
           only=False)


def test_duplicate_form_code_across_two_files(tmp_path):
    copy = edit(UNUSED_FORM, "  code: LB\n", "  code: VS\n")
    problems = check(tmp_path, vs2_yaml=copy)
    expect(problems, "vs2.yaml", line_of(copy, "code: VS"), "duplicate-code",
           f"form 'VS' is defined twice (first at line {line_of(VS, 'code: VS')} of forms/vs.yaml)")


def test_duplicate_visit_code(tmp_path):
    broken = edit(STUDY, "  - code: D28\n", "  - code: D0\n")
    problems = check(tmp_path, study_yaml=broken)
    first = line_of(broken, "- code: D0")
    expect(problems, "study.yaml", line_of(broken, "- code: D0", nth=2), "duplicate-code",
           f"visit 'D0' is defined twice (first at line {first})", only=False)


def test_duplicate_arm_code(tmp_path):
    broken = edit(STUDY, "  - code: CTRL\n", "  - code: MSC\n")
    problems = check(tmp_path, study_yaml=broken)
    expect(problems, "study.yaml", line_of(broken, "- code: MSC", nth=2), "duplicate-code",
           f"arm 'MSC' is defined twice (first at line {line_of(broken, '- code: MSC')})", only=False)


def test_duplicate_check_id(tmp_path):
    broken = edit(VS, "  - id: SCREEN_AGE\n", "  - id: BP_ORDER\n")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "- id: BP_ORDER", nth=2), "duplicate-code",
           f"check 'BP_ORDER' is defined twice (first at line {line_of(broken, '- id: BP_ORDER')})")


def test_duplicate_criterion_number(tmp_path):
    broken = edit(IE, "      kind: exclusion\n      number: 1\n", "      kind: inclusion\n      number: 1\n")
    problems = check(tmp_path, ie_yaml=broken)
    expect(problems, "ie.yaml", line_of(broken, "- code: IEEX01"), "duplicate-code",
           f"inclusion criterion number '1' is defined twice (first at line {line_of(broken, '- code: IEIN01')})")


# ---- references between parts of the definition -----------------------------------------------

def test_unknown_codelist(tmp_path):
    broken = edit(DM, "    codelist: SEX\n", "    codelist: SEXX\n")
    problems = check(tmp_path, dm_yaml=broken)
    p = expect(problems, "dm.yaml", line_of(broken, "codelist: SEXX"), "unknown-codelist",
               "codelist 'SEXX' is not defined", only=False)
    assert "(did you mean 'SEX'?)" in p.message


def test_unknown_form_in_a_visit(tmp_path):
    broken = edit(STUDY, "      - IE\n", "      - IE\n      - VSIGN\n")
    problems = check(tmp_path, study_yaml=broken)
    p = expect(problems, "study.yaml", line_of(broken, "- VSIGN"), "unknown-form", "form 'VSIGN' is not defined")
    assert "visit SCR:" in str(p)


def test_unknown_form_in_logs_suggests_the_right_one(tmp_path):
    broken = edit(STUDY, "logs: [AE]\n", "logs:\n  - AE\n  - AEE\n")
    problems = check(tmp_path, study_yaml=broken)
    p = expect(problems, "study.yaml", line_of(broken, "- AEE"), "unknown-form", "form 'AEE' is not defined")
    assert "(did you mean 'AE'?)" in p.message


def test_unknown_arm_in_a_visit_form(tmp_path):
    broken = edit(STUDY, "      - EOS\n", "      - {form: EOS, arms: [PLACEBO]}\n")
    problems = check(tmp_path, study_yaml=broken)
    expect(problems, "study.yaml", line_of(broken, "PLACEBO"), "unknown-arm",
           "arm 'PLACEBO' is not defined; arms are: CTRL, MSC")


def test_unknown_timepoint(tmp_path):
    broken = edit(STUDY, "timepoints: [PRE, POST]}", "timepoints: [PRE, PST]}")
    problems = check(tmp_path, study_yaml=broken)
    p = expect(problems, "study.yaml", line_of(broken, "PST"), "unknown-timepoint", "timepoint 'PST' is not defined")
    assert "(did you mean 'POST'?)" in p.message


def test_unknown_missing_code(tmp_path):
    broken = edit(VS, "    missing: [ND]\n", "    missing: [ND, NK]\n")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "missing: [ND, NK]"), "unknown-missing-code",
           "missing code 'NK' is not defined under missing_codes: (defined: ND, UNK)")


def test_unknown_visit_in_end_of_study(tmp_path):
    broken = edit(STUDY, "visit: D28}", "visit: D180}")
    problems = check(tmp_path, study_yaml=broken)
    expect(problems, "study.yaml", line_of(broken, "end_of_study:"), "unknown-visit",
           "visit 'D180' is not defined; visits are: SCR, D0, D28")


def test_end_of_study_form_not_at_its_visit(tmp_path):
    broken = edit(STUDY, "visit: D28}", "visit: D0}")
    problems = check(tmp_path, study_yaml=broken)
    p = expect(problems, "study.yaml", line_of(broken, "- code: D0"), "bad-value",
               "form EOS is not scheduled at visit D0", only=False)
    assert "end_of_study" in str(p)


def test_unknown_item_in_check_items(tmp_path):
    broken = edit(VS, "    items: [SYSBP, DIABP]\n", "    items: [SYSBP, DIA]\n")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "items: [SYSBP, DIA]"), "unknown-item", "item 'DIA' is not in form VS")


# ---- ranges --------------------------------------------------------------------------------------

def test_hard_range_min_greater_than_max(tmp_path):
    broken = edit(VS, "      hard: [40, 300]\n", "      hard: [300, 40]\n")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "hard: [300, 40]"), "range-order",
           "hard range 300–40: the minimum is greater than the maximum")


def test_soft_range_outside_hard_range(tmp_path):
    broken = edit(VS, "      soft: [35, 41]\n", "      soft: [25, 41]\n")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "soft: [25, 41]"), "soft-outside-hard",
           "lies outside the hard range")


def test_range_that_is_not_two_numbers(tmp_path):
    broken = edit(VS, "      hard: [20, 200]\n", "      hard: [20]\n")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "hard: [20]"), "wrong-shape",
           "hard range must be [minimum, maximum]")


def test_range_with_a_text_bound(tmp_path):
    broken = edit(VS, "      hard: [20, 200]\n", "      hard: [20, high]\n")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "hard: [20, high]"), "wrong-shape",
           "hard range must be [minimum, maximum]")


def test_range_on_a_text_calculated_result(tmp_path):
    broken = edit(VS, "    result_type: integer\n", "    result_type: text\n    range:\n      hard: [0, 10]\n")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "    range:", nth=4), "key-not-for-type",
           "'range' does not apply to a text result item", only=False)


# ---- expressions ---------------------------------------------------------------------------------

def test_bad_expression_syntax(tmp_path):
    broken = edit(VS, 'expr: "SYSBP > DIABP"', 'expr: "SYSBP >> 1"')
    problems = check(tmp_path, vs_yaml=broken)
    p = expect(problems, "vs.yaml", line_of(broken, "SYSBP >> 1"), "bad-expression", "expression 'SYSBP >> 1'")
    assert "VS check BP_ORDER:" in str(p)


def test_bad_expression_lower_case_name(tmp_path):
    broken = edit(VS, 'show_if: "TEMP >= 38"', 'show_if: "temp >= 38"')
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "temp >= 38"), "bad-expression",
           "'temp' is not a known word: item codes are written in upper case")


def test_expression_refers_to_a_missing_item(tmp_path):
    broken = edit(VS, 'expr: "SYSBP > DIABP"', 'expr: "SYSBP > DIABPX"')
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "DIABPX"), "bad-reference", "there is no item DIABPX in form VS")


def test_expression_refers_to_a_missing_item_of_another_form(tmp_path):
    broken = edit(IE, 'rule: "DM.AGE >= 18 and DM.AGE <= 70"', 'rule: "DM.AGEY >= 18"')
    problems = check(tmp_path, ie_yaml=broken)
    expect(problems, "ie.yaml", line_of(broken, "DM.AGEY"), "bad-reference", "there is no item AGEY in form DM")


def test_expression_refers_to_a_missing_form(tmp_path):
    broken = edit(IE, 'rule: "DM.AGE >= 18 and DM.AGE <= 70"', 'rule: "DMX.AGE >= 18"')
    problems = check(tmp_path, ie_yaml=broken)
    expect(problems, "ie.yaml", line_of(broken, "DMX.AGE"), "bad-reference", "there is no form DMX")


def test_expression_refers_to_a_form_not_at_the_named_visit(tmp_path):
    broken = edit(IE, 'rule: "DM.AGE >= 18 and DM.AGE <= 70"', 'rule: "D28.DM.AGE >= 18"')
    problems = check(tmp_path, ie_yaml=broken)
    expect(problems, "ie.yaml", line_of(broken, "D28.DM.AGE"), "bad-reference", "form DM is not scheduled at visit D28")


def test_expression_refers_to_a_log_from_another_form(tmp_path):
    broken = edit(EOS, 'show_if: "DSDECOD == \'DEATH\'"', 'show_if: "AE.AETERM is not missing"')
    problems = check(tmp_path, eos_yaml=broken)
    expect(problems, "eos.yaml", line_of(broken, "AE.AETERM"), "bad-reference",
           "form AE is a log with many entries; another form cannot refer to one of them")


def test_ambiguous_form_item_reference(tmp_path):
    # VS is at SCR, D0 and D28; the AE log is at no visit, so "VS.TEMP" does not say which one.
    broken = edit(AE, "    severity: hard\n", "    when: \"VS.TEMP > 38\"\n    severity: hard\n")
    problems = check(tmp_path, ae_yaml=broken)
    p = expect(problems, "ae.yaml", line_of(broken, "VS.TEMP"), "bad-reference",
               "form VS is at several visits (SCR, D0, D28)")
    assert "name the visit, e.g. SCR.VS." in p.message


def test_type_mismatch_number_with_text(tmp_path):
    broken = edit(VS, 'expr: "SYSBP > DIABP"', "expr: \"SYSBP > 'abc'\"")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "'abc'"), "type-mismatch", "'>' compares a number with a text")


def test_type_mismatch_date_with_number(tmp_path):
    broken = edit(DM, 'expr: "RFICDAT > BRTHDAT"', 'expr: "RFICDAT > 5"')
    problems = check(tmp_path, dm_yaml=broken)
    expect(problems, "dm.yaml", line_of(broken, "RFICDAT > 5"), "type-mismatch", "'>' compares a date with a number")


def test_type_mismatch_condition_that_is_a_number(tmp_path):
    broken = edit(VS, 'show_if: "TEMP >= 38"', 'show_if: "TEMP + 1"')
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "TEMP + 1"), "type-mismatch",
           "gives a number where a condition (true/false) is needed")


def test_type_mismatch_derive_result(tmp_path):
    broken = edit(DM, 'derive: "age(BRTHDAT, RFICDAT)"', 'derive: "RFICDAT"')
    problems = check(tmp_path, dm_yaml=broken)
    expect(problems, "dm.yaml", line_of(broken, 'derive: "RFICDAT"'), "type-mismatch",
           "gives a date where a number value is needed")


def test_code_literal_not_in_the_codelist(tmp_path):
    broken = edit(EOS, 'show_if: "DSDECOD == \'DEATH\'"', "show_if: \"DM.SEX == 'X'\"")
    problems = check(tmp_path, eos_yaml=broken)
    expect(problems, "eos.yaml", line_of(broken, "DM.SEX == 'X'"), "type-mismatch",
           "'X' is not a code of SEX (codes: M, F)")


def test_code_literal_in_a_list_not_in_the_codelist(tmp_path):
    broken = edit(EOS, 'show_if: "DSDECOD == \'DEATH\'"', "show_if: \"DSDECOD in ['DEATH', 'DIED']\"")
    problems = check(tmp_path, eos_yaml=broken)
    expect(problems, "eos.yaml", line_of(broken, "'DIED'"), "type-mismatch", "'DIED' is not a code of DSDECOD")


def test_unknown_function(tmp_path):
    broken = edit(VS, 'expr: "SYSBP > DIABP"', 'expr: "SYSBP > mean(DIABP, 1)"')
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "mean("), "bad-reference", "there is no function mean()")


def test_wrong_number_of_arguments(tmp_path):
    broken = edit(DM, 'derive: "age(BRTHDAT, RFICDAT)"', 'derive: "age(BRTHDAT)"')
    problems = check(tmp_path, dm_yaml=broken)
    expect(problems, "dm.yaml", line_of(broken, "age(BRTHDAT)"), "type-mismatch", "age() takes 2 argument(s), not 1")


def test_date_literal_that_is_not_a_date(tmp_path):
    broken = edit(DM, 'expr: "RFICDAT > BRTHDAT"', "expr: \"RFICDAT > date('2020-02-30')\"")
    problems = check(tmp_path, dm_yaml=broken)
    expect(problems, "dm.yaml", line_of(broken, "2020-02-30"), "type-mismatch",
           "date('2020-02-30') is not a real date")


def test_unknown_context_value(tmp_path):
    broken = edit(VS, "when: \"$visit == 'SCR'\"", "when: \"$visitcode == 'SCR'\"")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "$visitcode"), "bad-reference", "$visitcode is not a context value")


def test_derive_cycle_between_two_calculated_items(tmp_path):
    cycle = _d("""
          - code: CALCA
            cdash: VSORRES
            type: calculated
            derive: "CALCB + 1"
            result_type: integer
            label: {en: "A", zh: "甲"}
          - code: CALCB
            cdash: VSORRES
            type: calculated
            derive: "CALCA + 1"
            result_type: integer
            label: {en: "B", zh: "乙"}
    """)
    broken = edit(VS, "\nchecks:\n", textwrap.indent(cycle, "  ") + "\nchecks:\n")
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "- code: CALCA"), "derive-cycle",
           "derived items depend on each other in a circle: CALCA → CALCB → CALCA")


def test_derive_that_refers_to_itself(tmp_path):
    broken = edit(VS, 'derive: "round((SYSBP + 2 * DIABP) / 3, 0)"', 'derive: "MAP + 1"')
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "- code: MAP"), "derive-cycle", "MAP → MAP")


def test_eligible_in_a_form_without_criteria(tmp_path):
    broken = edit(VS, 'show_if: "TEMP >= 38"', 'show_if: "eligible()"')
    problems = check(tmp_path, vs_yaml=broken)
    expect(problems, "vs.yaml", line_of(broken, "eligible()"), "no-criteria",
           "eligible() is used in form VS, which has no items with a 'criterion:'")


def test_eligibility_form_without_criteria(tmp_path):
    broken = edit(STUDY, "eligibility: IE\n", "eligibility: DM\n")
    problems = check(tmp_path, study_yaml=broken)
    expect(problems, "dm.yaml", line_of(DM, "code: DM"), "no-criteria",
           "form DM is the eligibility form but no item has a 'criterion:'")


def test_criterion_on_an_item_that_is_not_yes_no(tmp_path):
    broken = edit(IE, "  - code: IEEX01\n    cdash: IEORRES\n    type: yes_no\n",
                  "  - code: IEEX01\n    cdash: IEORRES\n    type: text\n")
    problems = check(tmp_path, ie_yaml=broken)
    expect(problems, "ie.yaml", line_of(broken, "criterion:", nth=2), "key-not-for-type",
           "'criterion' does not apply to a text item")


# ---- the schedule -----------------------------------------------------------------------------



def test_form_used_by_no_visit(tmp_path):
    problems = check(tmp_path, lb_yaml=UNUSED_FORM)
    expect(problems, "lb.yaml", line_of(UNUSED_FORM, "code: LB"), "form-unused",
           "form 'LB' is used by no visit and is not a log")


def test_log_form_scheduled_at_a_visit(tmp_path):
    broken = edit(STUDY, "      - EOS\n", "      - EOS\n      - AE\n")
    problems = check(tmp_path, study_yaml=broken)
    # the line where AE is listed under the visit, not merely the start of the visit
    expect(problems, "study.yaml", line_of(broken, "      - AE"), "log-at-visit",
           "form 'AE' is a log (repeating) and cannot be scheduled at visit D28")


def test_repeating_form_not_listed_as_a_log(tmp_path):
    broken = edit(EOS, "  domain: DS\n", "  domain: DS\n  repeating: true\n")
    problems = check(tmp_path, eos_yaml=broken)
    expect(problems, "eos.yaml", line_of(broken, "code: EOS"), "bad-value",
           "a repeating form must be listed under logs: in study.yaml")


def test_log_that_is_not_repeating(tmp_path):
    broken = edit(AE, "  repeating: true\n", "  repeating: false\n")
    problems = check(tmp_path, ae_yaml=broken)
    expect(problems, "ae.yaml", line_of(broken, "code: AE"), "bad-value",
           "it is listed under logs: in study.yaml, so it needs 'repeating: true'")


def test_visits_not_in_chronological_order(tmp_path):
    broken = edit(STUDY, "    day: 28\n", "    day: -2\n")
    problems = check(tmp_path, study_yaml=broken)
    expect(problems, "study.yaml", line_of(broken, "day: -2"), "visit-order",
           "visit D28 (day -2) comes after visit D0 (day 0); list visits in chronological order")


def test_same_form_twice_at_one_visit_for_the_same_arm(tmp_path):
    broken = edit(STUDY, "      - {form: VS, arms: [CTRL]}\n",
                  "      - {form: VS, arms: [CTRL]}\n      - {form: VS, arms: [MSC]}\n")
    problems = check(tmp_path, study_yaml=broken)
    expect(problems, "study.yaml", line_of(broken, "{form: VS, arms: [MSC]}"), "form-twice-at-visit",
           "form 'VS' is asked for twice at visit D0 for arm MSC")


def test_same_form_twice_at_one_visit_for_all_arms(tmp_path):
    broken = edit(STUDY, "      - VS\n      - EOS\n", "      - VS\n      - EOS\n      - VS\n")
    problems = check(tmp_path, study_yaml=broken)
    expect(problems, "study.yaml", line_of(broken, "      - VS", nth=3), "form-twice-at-visit",
           "form 'VS' is asked for twice at visit D28 for arm CTRL, MSC")


# ---- everything at once ---------------------------------------------------------------------------

def test_three_problems_in_three_files_are_all_reported(tmp_path):
    study = edit(STUDY, "timepoints: [PRE, POST]}", "timepoints: [PRE, PST]}")
    vs = edit(VS, "    type: decimal\n", "    type: decmal\n")
    codelists = edit(CODELISTS, '- {code: "F", label: {en: "Female", zh: "女"}}',
                     '- {code: "F", label: {en: "Female"}}')
    folder = make_study(tmp_path, study_yaml=study, vs_yaml=vs, codelists_yaml=codelists)
    with pytest.raises(DefinitionError) as info:
        load_study(folder)
    shown = [str(p) for p in info.value.problems]
    female = line_of(codelists, '"Female"}}')
    prefixes = {
        f"forms/study.yaml:{line_of(study, 'PST')}: [unknown-timepoint]",
        f"forms/vs.yaml:{line_of(vs, 'decmal')}: [unknown-type]",
        f"forms/codelists.yaml:{female}: [missing-translation]",
    }
    for prefix in prefixes:
        assert any(s.startswith(prefix) for s in shown), f"{prefix} not in:\n" + "\n".join(shown)
    # sorted by file, then line; the exception's own text names the first and counts the rest
    assert info.value.problems == sorted(info.value.problems, key=lambda p: (p.file, p.line))
    assert shown[0] in str(info.value) and "check-forms" in str(info.value)
    assert f"(and {len(shown) - 1} more)" in str(info.value)
    assert check_definition(folder) == info.value.problems


def test_every_problem_prints_as_file_line_code(tmp_path):
    broken = edit(VS, "    type: decimal\n", "    type: decmal\n")
    for p in check(tmp_path, vs_yaml=broken):
        assert str(p).startswith(f"{p.file}:{p.line}: [{p.code.value}]")
        assert p.file.startswith("forms/")
