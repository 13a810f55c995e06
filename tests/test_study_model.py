"""The loaded trial: typed, immutable, complete; the fingerprint follows the files."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from ecrf.study.loader import load_study
from ecrf.study.model import ItemType

FORMS = Path(__file__).resolve().parent.parent / "forms"
REQUIRED_FORMS = {"DM", "IE", "RAND", "VS", "MB", "CT", "EX", "LB", "CS", "AE", "CM", "MORT", "EOS"}


def test_the_trial_has_every_form_of_trial_md(study):
    assert REQUIRED_FORMS <= set(study.forms)
    assert {a.code for a in study.arms} == {"MSC", "CTRL"}
    assert study.logs == ("AE", "CM")
    assert study.eligibility_form == "IE" and study.allocation_form == "RAND"


def test_infusions_only_in_the_msc_arm_with_pre_and_post_vitals(study):
    for visit in ("D0", "D3", "D6"):
        msc = {vf.form: vf for vf in study.visit(visit).forms_for("MSC")}
        ctrl = {vf.form: vf for vf in study.visit(visit).forms_for("CTRL")}
        assert "EX" in msc and "EX" not in ctrl
        assert msc["VS"].timepoints == ("PRE", "POST") and ctrl["VS"].timepoints == ()


def test_every_item_has_cdash_name_and_both_languages(study):
    for form in study.forms.values():
        for item in form.items:
            assert item.cdash, item.code
            assert item.label.get("en") and item.label.get("zh") and item.label.get("zh") != item.label.get("en")


def test_vital_signs_test_codes(study):
    testcds = {i.testcd for i in study.form("VS").items if i.testcd}
    assert {"SYSBP", "DIABP", "PULSE", "RESP", "TEMP", "OXYSAT"} <= testcds


def test_every_item_type_is_used_by_the_trial(study):
    used = {i.type for f in study.forms.values() for i in f.items}
    assert used >= set(ItemType) - {ItemType.DATETIME}


def test_objects_are_immutable(study):
    with pytest.raises(dataclasses.FrozenInstanceError):
        study.form("VS").item("TEMP").required = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        study.info.version = "2"  # type: ignore[misc]


def test_fingerprint_changes_with_any_file(tmp_path, study):
    copy = tmp_path / "forms"
    shutil.copytree(FORMS, copy)
    assert load_study(copy).fingerprint == study.fingerprint
    (copy / "cm.yaml").write_text((copy / "cm.yaml").read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert load_study(copy).fingerprint != study.fingerprint


def test_study_mappings_are_read_only(study):
    with pytest.raises(TypeError):
        study.forms["XX"] = study.form("VS")  # type: ignore[index]
