"""The names inside `odm.xml`: OIDs, repeat keys and ecrf's own flag codelists (docs/bundle-format.md, ODM).

Writer and reader share these, so a key written is a key read back. Study codes match `[A-Z][A-Z0-9_]*`
(ecrf.study.reader.CODE_RE), so the lower-case parts below (`SE.logs`, `CL.ecrf.…`) can never clash with one.
"""
from __future__ import annotations

import re

from ecrf.study.status import (
    FORM_STATUS_TEXT,
    QUERY_STATE_TEXT,
    RESPONSE_TEXT,
    SUBJECT_STATUS_TEXT,
    QueryOrigin,
    SdvState,
)

ODM_NS = "http://www.cdisc.org/ns/odm/v1.3"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LOG_EVENT = "SE.logs"  # AE, CM and other log forms: one non-repeating "Common" event per subject

INVESTIGATOR_SIGNATURE = "SD.INVESTIGATOR"  # + "." + the meaning's text version: one SignatureDef per meaning

# Annotation sequence numbers on a FormData (and on a visit's or subject's Update): one per kind of annotation,
# queries after them.
STATUS_SEQ = 1
SIGNATURE_SEQ = 2
SDV_SEQ = 3
LOCK_SEQ = 4
QUERY_SEQ_BASE = 10

# ecrf's flags: (FlagType value, CodeList OID of its values, the values with their English decode).
FLAG_TYPES = "CL.ecrf.FlagType"
MISSING_CODES = "CL.ecrf.MissingCode"  # decoded from the study's missing codes, in every study language
FLAG_LISTS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "MISSING": (MISSING_CODES, ()),
    "FORM_STATUS": ("CL.ecrf.FormStatus", tuple((s.value, text) for s, text in FORM_STATUS_TEXT.items())),
    "SUBJECT_STATUS": ("CL.ecrf.SubjectStatus", tuple((s.value, text) for s, text in SUBJECT_STATUS_TEXT.items())),
    "VISIT_STATUS": ("CL.ecrf.VisitStatus", (("cancelled", "Cancelled"),)),
    "WARNING": ("CL.ecrf.Warning", (("confirmed", "Soft-check warning confirmed by the site"),)),
    "SIGNATURE": ("CL.ecrf.Signature", (
        ("valid", "Signature valid: data unchanged since signing"),
        ("broken", "Signature broken: data changed after signing"))),
    "SDV": ("CL.ecrf.Sdv", (
        (SdvState.VERIFIED.value, "Source data verified"),
        (SdvState.CHANGED.value, "Changed since verified: the value changed after it was verified"),
        (SdvState.NOT_VERIFIED.value, "Verification withdrawn (with a reason)"))),
    "QUERY_STATUS": ("CL.ecrf.QueryStatus", tuple((s.value, text) for s, text in QUERY_STATE_TEXT.items())),
    "QUERY_STEP": ("CL.ecrf.QueryStep", (
        ("raised", "Query raised"), ("answered", "Query answered by the site"), ("closed", "Query closed"),
        ("cancelled", "Query cancelled (raised in error)"), ("reopened", "Query re-opened"), ("note", "Note"))),
    "QUERY_RESPONSE": ("CL.ecrf.QueryResponse", tuple((r.value, text) for r, text in RESPONSE_TEXT.items())),
    "QUERY_ORIGIN": ("CL.ecrf.QueryOrigin", (
        (QueryOrigin.MANUAL.value, "Raised by a person (monitor or data manager)"),
        (QueryOrigin.AUTO.value, "Raised by the eCRF: an overridden soft check, or required data overdue"),
        (QueryOrigin.SPONSOR.value, "Raised centrally by the sponsor's data manager (imported from a query bundle)"))),
    "LOCK": ("CL.ecrf.Lock", (("locked", "Locked: no change allowed"), ("unlocked", "Unlocked (with a reason)"))),
}
FLAG_TYPE_DECODES = {
    "MISSING": "Missing-data code of an item whose value is null",
    "FORM_STATUS": "Status of a form instance",
    "SUBJECT_STATUS": "Status of a subject",
    "VISIT_STATUS": "Status of a visit",
    "WARNING": "Soft-check warning on an item",
    "SIGNATURE": "State of an investigator signature",
    "SDV": "Source data verification of an item (the item is named in the comment)",
    "QUERY_STATUS": "State of a data query after this step",
    "QUERY_STEP": "What this step of a data query's thread did",
    "QUERY_RESPONSE": "What the site's answer to a query says happened",
    "QUERY_ORIGIN": "Who raised a data query",
    "LOCK": "Lock of a form, a visit or a subject",
}


def signature_def_oid(meaning_version: str) -> str:
    """The SignatureDef of one signature meaning text version ('1' → SD.INVESTIGATOR.1)."""
    return f"{INVESTIGATOR_SIGNATURE}.{re.sub(r'[^A-Za-z0-9._-]+', '_', meaning_version) or '_'}"


def study_event_oid(visit: str) -> str:
    return f"SE.{visit}" if visit else LOG_EVENT


def visit_of(study_event: str) -> str:
    return "" if study_event == LOG_EVENT else study_event.removeprefix("SE.")


def form_oid(form: str) -> str:
    return f"F.{form}"


def form_of(form_oid_: str) -> str:
    return form_oid_.removeprefix("F.")


def item_group_oid(form: str) -> str:
    return f"IG.{form}"


def item_oid(form: str, item: str) -> str:
    """Item codes are unique within a form only (VSDAT, LBDAT ... could repeat), so the form is part of it."""
    return f"IT.{form}.{item}"


def item_of(item_oid_: str, form: str) -> str:
    return item_oid_.removeprefix(f"IT.{form}.")


def method_oid(form: str, item: str) -> str:
    return f"MT.{form}.{item}"


def codelist_oid(name: str) -> str:
    return f"CL.{name}"


def user_oid(username: str) -> str:
    return f"USR.{username}"


def location_oid(site_code: str) -> str:
    return f"LOC.{site_code}"


def metadata_version_oid(version: str) -> str:
    return f"MDV.{version}"


def unit_oid(symbol: str) -> str:
    """A readable ASCII OID from a unit's English symbol (°C → MU.degC); collisions are resolved by the caller."""
    ascii_text = symbol.replace("°", "deg").replace("µ", "u").replace("%", "pct").replace("²", "2")
    return "MU." + (re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_") or "unit")


def form_repeat_key(timepoint: str, repeat: int) -> str:
    """FormRepeatKey of a repeating form: the timepoint code (PRE, POST) or the entry number (1, 2 …; 0 for a
    timepoint form asked once at a visit). Codes start with a letter, so a number is never a timepoint."""
    return timepoint or str(repeat)


def timepoint_repeat(key: str | None) -> tuple[str, int]:
    if not key:
        return "", 0
    return ("", int(key)) if key.isdigit() else (key, 0)
