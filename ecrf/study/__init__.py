"""The study definition: `forms/` → typed objects, definition checks, the safe expression language,
validation of entered values, the visit schedule and eligibility. Pure Python: no Qt, no database."""
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

__all__ = [
    "DefinitionError", "Eligibility", "F", "Finding", "Form", "FormCheck", "Item", "ItemType", "Missing",
    "PartialDate", "Problem", "Reason", "ScheduledVisit", "Severity", "Study", "SubjectData", "Text", "Visit",
    "VisitStatus", "Where", "check_definition", "eligibility_of", "load_study", "subject_schedule",
    "validate_form", "visit_status",
]
