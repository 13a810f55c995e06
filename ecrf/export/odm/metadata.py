"""The study definition as the ODM `Study` element: GlobalVariables, BasicDefinitions and one MetaDataVersion.

Visits become StudyEventDefs (plus one "Common" event for the log forms), forms FormDefs with one
ItemGroupDef each, items ItemDefs in both languages, codelists CodeLists; ecrf's own flag codelists
(form status, missing codes …) sit beside the study's so every Annotation flag refers to a defined value.
"""
from __future__ import annotations

from lxml import etree

from ecrf.export.odm import keys as k
from ecrf.export.odm.elements import element, sub, translated
from ecrf.export.odm.items import is_sas_name, item_def, unit_oids
from ecrf.study.model import Codelist, Form, Study, Text, Visit


def study_element(study: Study) -> etree._Element:
    info, langs = study.info, study.info.languages
    root = element("Study", {"OID": info.oid})
    glob = sub(root, "GlobalVariables")
    sub(glob, "StudyName", text=info.short_title.en or info.oid)
    sub(glob, "StudyDescription", text=info.title.en)
    sub(glob, "ProtocolName", text=info.oid)
    units = unit_oids(study)
    basic = sub(root, "BasicDefinitions")
    for unit, oid in sorted(units.items(), key=lambda pair: pair[1]):
        mu = sub(basic, "MeasurementUnit", {"OID": oid, "Name": unit.en})
        translated(mu, "Symbol", unit, langs)
    mdv = sub(root, "MetaDataVersion", {
        "OID": k.metadata_version_oid(info.version), "Name": f"{info.oid} definition {info.version}",
        "Description": f"ecrf study definition, SHA-256 fingerprint {study.fingerprint}"})
    _protocol(mdv, study)
    for visit in study.visits:
        _visit_def(mdv, visit, study)
    _log_event_def(mdv, study)
    repeating = repeating_forms(study)
    for form in study.forms.values():
        _form_def(mdv, form, form.code in repeating, langs)
    for form in study.forms.values():
        _item_group_def(mdv, form)
    for form in study.forms.values():
        for item in form.items:
            mdv.append(item_def(form, item, units, langs))
    for codelist in _codelists(study):
        _codelist(mdv, codelist, langs)
    _flag_codelists(mdv, study)
    for form in study.forms.values():
        for item in form.items:
            if item.derive is not None:
                method = sub(mdv, "MethodDef", {"OID": k.method_oid(form.code, item.code),
                                                "Name": f"Derivation of {form.code}.{item.code}",
                                                "Type": "Computation"})
                translated(method, "Description", Text.of(en="Calculated by ecrf from the expression below"), ["en"])
                sub(method, "FormalExpression", {"Context": "ecrf expression"}, item.derive.text)
    return root


def repeating_forms(study: Study) -> frozenset[str]:
    """Forms that can occur more than once in one event: log forms, and forms asked at several timepoints."""
    timed = {vf.form for visit in study.visits for vf in visit.forms if vf.timepoints}
    return frozenset(timed | set(study.logs) | {f.code for f in study.forms.values() if f.repeating})


def _protocol(mdv: etree._Element, study: Study) -> None:
    protocol = sub(mdv, "Protocol")
    translated(protocol, "Description", study.info.title, study.info.languages)
    for n, visit in enumerate(study.visits, start=1):
        sub(protocol, "StudyEventRef", {"StudyEventOID": k.study_event_oid(visit.code), "OrderNumber": n,
                                        "Mandatory": "Yes"})
    if study.logs:
        sub(protocol, "StudyEventRef", {"StudyEventOID": k.LOG_EVENT, "OrderNumber": len(study.visits) + 1,
                                        "Mandatory": "No"})


def _visit_def(mdv: etree._Element, visit: Visit, study: Study) -> None:
    event = sub(mdv, "StudyEventDef", {"OID": k.study_event_oid(visit.code), "Name": visit.label.en or visit.code,
                                       "Repeating": "No", "Type": "Scheduled", "Category": f"Day {visit.day}"})
    translated(event, "Description", visit.label, study.info.languages)
    all_arms = {arm.code for arm in study.arms}
    arms_asked: dict[str, set[str]] = {}  # a form asked for some arms only is not mandatory at this visit
    for vf in visit.forms:
        arms_asked.setdefault(vf.form, set()).update(vf.arms or all_arms)
    for n, (form, arms) in enumerate(arms_asked.items(), start=1):
        sub(event, "FormRef", {"FormOID": k.form_oid(form), "OrderNumber": n,
                               "Mandatory": "Yes" if arms >= all_arms else "No"})


def _log_event_def(mdv: etree._Element, study: Study) -> None:
    if not study.logs:
        return
    event = sub(mdv, "StudyEventDef", {"OID": k.LOG_EVENT, "Name": "Logs", "Repeating": "No", "Type": "Common"})
    label = Text.of(en="Logs kept over the whole study (" + ", ".join(study.logs) + ")")
    translated(event, "Description", label, ["en"])
    for n, form in enumerate(study.logs, start=1):
        sub(event, "FormRef", {"FormOID": k.form_oid(form), "OrderNumber": n, "Mandatory": "No"})


def _form_def(mdv: etree._Element, form: Form, repeating: bool, langs: tuple[str, ...]) -> None:
    node = sub(mdv, "FormDef", {"OID": k.form_oid(form.code), "Name": form.label.en or form.code,
                                "Repeating": "Yes" if repeating else "No"})
    translated(node, "Description", form.label, langs)
    sub(node, "ItemGroupRef", {"ItemGroupOID": k.item_group_oid(form.code), "OrderNumber": 1, "Mandatory": "Yes"})


def _item_group_def(mdv: etree._Element, form: Form) -> None:
    group = sub(mdv, "ItemGroupDef", {"OID": k.item_group_oid(form.code), "Name": form.code, "Repeating": "No",
                                      "SASDatasetName": form.domain if is_sas_name(form.domain) else None,
                                      "Domain": form.domain})
    for n, item in enumerate(form.items, start=1):
        sub(group, "ItemRef", {"ItemOID": k.item_oid(form.code, item.code), "OrderNumber": n,
                               "Mandatory": "Yes" if item.required else "No",
                               "MethodOID": k.method_oid(form.code, item.code) if item.derive is not None else None})


def _codelists(study: Study) -> list[Codelist]:
    """The study's codelists and the built-in ones its items use (NY), by name."""
    found = {cl.name: cl for cl in study.codelists.values()}
    for form in study.forms.values():
        for item in form.items:
            if item.codelist is not None:
                found.setdefault(item.codelist.name, item.codelist)
    return [found[name] for name in sorted(found)]


def _codelist(mdv: etree._Element, codelist: Codelist, langs: tuple[str, ...]) -> None:
    node = sub(mdv, "CodeList", {"OID": k.codelist_oid(codelist.name), "Name": codelist.name,
                                 "DataType": "integer" if codelist.data_type == "integer" else "text"})
    for n, code_item in enumerate(codelist.items, start=1):
        entry = sub(node, "CodeListItem", {"CodedValue": str(code_item.code), "OrderNumber": n})
        translated(entry, "Decode", code_item.label, langs)


def _flag_codelists(mdv: etree._Element, study: Study) -> None:
    types = sub(mdv, "CodeList", {"OID": k.FLAG_TYPES, "Name": "ecrf flag types", "DataType": "text"})
    for n, (flag, decode) in enumerate(k.FLAG_TYPE_DECODES.items(), start=1):
        translated(sub(types, "CodeListItem", {"CodedValue": flag, "OrderNumber": n}), "Decode", decode, ["en"])
    missing = sub(mdv, "CodeList", {"OID": k.MISSING_CODES, "Name": "ecrf missing-data codes", "DataType": "text"})
    for n, (code, label) in enumerate(study.missing_codes.items(), start=1):
        translated(sub(missing, "CodeListItem", {"CodedValue": code, "OrderNumber": n}), "Decode", label,
                   study.info.languages)
    for flag, (oid, values) in k.FLAG_LISTS.items():
        if oid == k.MISSING_CODES:
            continue
        node = sub(mdv, "CodeList", {"OID": oid, "Name": f"ecrf {flag.lower().replace('_', ' ')}", "DataType": "text"})
        for n, (code, decode) in enumerate(values, start=1):
            translated(sub(node, "CodeListItem", {"CodedValue": code, "OrderNumber": n}), "Decode", decode, ["en"])
