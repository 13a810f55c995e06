"""The study definition: `forms/` → typed objects, definition checks, the safe expression language,
validation of entered values, the visit schedule and eligibility. Pure Python: no Qt, no database.

The names below are imported on first use (PEP 562): every start loads the definition
(`ecrf.study.loader`), and importing this package should not import the rest of it too."""
from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: the study loads at every start
if TYPE_CHECKING:
    from typing import Any

    from ecrf.study.eligibility import Eligibility, Reason
    from ecrf.study.findings import F, Finding, Severity
    from ecrf.study.loader import check_definition, load_study
    from ecrf.study.model import Form, Item, ItemType, Study, Text, Visit
    from ecrf.study.problems import DefinitionError, Problem
    from ecrf.study.schedule import (
        ScheduledVisit,
        VisitStatus,
        subject_schedule,
        visit_status,
    )
    from ecrf.study.screening import eligibility_of
    from ecrf.study.subject import SubjectData, Where
    from ecrf.study.validate import FormCheck, validate_form
    from ecrf.study.values import Missing, PartialDate

_WHERE = {
    "eligibility": ("Eligibility", "Reason"),
    "findings": ("F", "Finding", "Severity"),
    "loader": ("check_definition", "load_study"),
    "model": ("Form", "Item", "ItemType", "Study", "Text", "Visit"),
    "problems": ("DefinitionError", "Problem"),
    "schedule": ("ScheduledVisit", "VisitStatus", "subject_schedule", "visit_status"),
    "screening": ("eligibility_of",),
    "subject": ("SubjectData", "Where"),
    "validate": ("FormCheck", "validate_form"),
    "values": ("Missing", "PartialDate"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = [
    "DefinitionError", "Eligibility", "F", "Finding", "Form", "FormCheck", "Item", "ItemType", "Missing",
    "PartialDate", "Problem", "Reason", "ScheduledVisit", "Severity", "Study", "SubjectData", "Text", "Visit",
    "VisitStatus", "Where", "check_definition", "eligibility_of", "load_study", "subject_schedule",
    "validate_form", "visit_status",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'ecrf.study' has no attribute {name!r}")
    value = getattr(import_module(f"ecrf.study.{module}"), name)
    globals()[name] = value  # once imported, found directly
    return value
