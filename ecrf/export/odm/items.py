"""One study item as an ODM ItemDef: type, CDASH/SDTM names, question in every language, unit, ranges, codelist."""
from __future__ import annotations

import re

from lxml import etree

from ecrf.export.odm import keys as k
from ecrf.export.odm.elements import element, sub, translated
from ecrf.export.odm.values import MULTI_SEPARATOR, data_type, length, significant_digits
from ecrf.study.model import Form, Item, ItemType, Range, Study, Text, format_bound

_SAS_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,7}$")


def is_sas_name(name: str | None) -> bool:
    """ODM's sasName (SASDatasetName, SASFieldName, SDSVarName): at most 8 letters, digits or '_'."""
    return bool(name and _SAS_NAME.match(name))


def unit_oids(study: Study) -> dict[Text, str]:
    """Every unit of the study → its MeasurementUnit OID; two units with the same ASCII name get _2, _3 …"""
    units = {item.unit for form in study.forms.values() for item in form.items if item.unit is not None}
    found: dict[Text, str] = {}
    taken: set[str] = set()
    for unit in sorted(units, key=lambda u: (u.en, u.values)):
        oid, n = k.unit_oid(unit.en), 1
        while oid in taken:
            n += 1
            oid = f"{k.unit_oid(unit.en)}_{n}"
        found[unit] = oid
        taken.add(oid)
    return found


def item_def(form: Form, item: Item, units: dict[Text, str], langs: tuple[str, ...]) -> etree._Element:
    node = element("ItemDef", {
        "OID": k.item_oid(form.code, item.code), "Name": item.code, "DataType": data_type(item),
        "Length": length(item), "SignificantDigits": significant_digits(item),
        "SASFieldName": item.cdash if is_sas_name(item.cdash) else None,
        "SDSVarName": item.sdtm if is_sas_name(item.sdtm) else None,
        "Origin": "Derived" if item.derive is not None else "CRF"})
    description = _description(item)
    if description is not None:
        translated(node, "Description", description, langs)
    translated(node, "Question", item.label, langs)
    if item.unit is not None:
        sub(node, "MeasurementUnitRef", {"MeasurementUnitOID": units[item.unit]})
    for bounds, severity in ((item.hard, "Hard"), (item.soft, "Soft")):
        if bounds is not None:
            _range_checks(node, bounds, severity, item.unit, langs)
    multi = item.value_type is ItemType.MULTI_CHOICE
    if item.codelist is not None and not multi:
        sub(node, "CodeListRef", {"CodeListOID": k.codelist_oid(item.codelist.name)})
    if item.testcd and item.sdtm:
        sub(node, "Alias", {"Context": "SDTM --TESTCD", "Name": item.testcd})
    if item.cdash and not is_sas_name(item.cdash):
        sub(node, "Alias", {"Context": "CDASH", "Name": item.cdash})
    if item.sdtm and not is_sas_name(item.sdtm):
        sub(node, "Alias", {"Context": "SDTM", "Name": item.sdtm})
    if item.codelist is not None and multi:
        # ODM 1.3.2 has no multiple choice: the value is several codes of this list joined by ';'.
        sub(node, "Alias", {"Context": "ecrf multiple choice", "Name": k.codelist_oid(item.codelist.name)})
    return node


def _description(item: Item) -> Text | None:
    """The item's help text; a multiple-choice item also says how its codes are written."""
    if item.codelist is None or item.value_type is not ItemType.MULTI_CHOICE:
        return item.help
    note = Text.of(en=f"Several codes of codelist {item.codelist.name}, joined by '{MULTI_SEPARATOR}'.",
                   zh=f"可多选：代码表 {item.codelist.name} 中的多个代码，以“{MULTI_SEPARATOR}”分隔。")
    if item.help is None:
        return note
    return Text(tuple((lang, f"{text} {note.get(lang)}") for lang, text in item.help.values))


def _range_checks(node: etree._Element, bounds: Range, severity: str, unit: Text | None,
                  langs: tuple[str, ...]) -> None:
    """A range low–high is two ODM checks, value ≥ low and value ≤ high, sharing one message."""
    message = _range_message(bounds, severity, unit)
    for comparator, limit in (("GE", bounds.low), ("LE", bounds.high)):
        if limit is None:
            continue
        check = sub(node, "RangeCheck", {"Comparator": comparator, "SoftHard": severity})
        sub(check, "CheckValue", text=format_bound(limit))
        translated(check, "ErrorMessage", message, langs)


def _range_message(bounds: Range, severity: str, unit: Text | None) -> Text:
    low, high = format_bound(bounds.low), format_bound(bounds.high)
    en_unit = f" {unit.get('en')}" if unit else ""
    zh_unit = f" {unit.get('zh')}" if unit else ""
    if bounds.low is None:
        en, zh = f"at most {high}{en_unit}", f"不超过 {high}{zh_unit}"
    elif bounds.high is None:
        en, zh = f"at least {low}{en_unit}", f"不低于 {low}{zh_unit}"
    else:
        en, zh = f"between {low} and {high}{en_unit}", f"在 {low} 至 {high}{zh_unit} 之间"
    if severity == "Hard":
        return Text.of(en=f"The value must be {en}.", zh=f"数值须{zh}。")
    return Text.of(en=f"Expected {en}: confirm the value or correct it.", zh=f"数值预期{zh}：请确认或更正。")
