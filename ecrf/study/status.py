"""The statuses a subject and a form move through (DESIGN.md, Workflow). Defined here, beside the study
definition, so every layer names them the same way: the store keeps them as text, the services change
them, the export writes them out, the UI colours them."""
from __future__ import annotations

from enum import StrEnum


class SubjectStatus(StrEnum):
    SCREENING = "screening"
    SCREEN_FAILURE = "screen_failure"
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    DIED = "died"


ENDED_STATUSES = frozenset({SubjectStatus.SCREEN_FAILURE, SubjectStatus.COMPLETED, SubjectStatus.WITHDRAWN,
                            SubjectStatus.DIED})


class FormStatus(StrEnum):
    """How far data entry went. Verification, signature and lock are states of their own (below): a signed
    form can be not yet verified, and a verified one unsigned, so one linear status could not hold both."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


class SdvState(StrEnum):
    """Source data verification of one item, and rolled up to form, visit, subject and site."""

    NOT_REQUIRED = "not_required"
    NOT_VERIFIED = "not_verified"
    VERIFIED = "verified"
    CHANGED = "changed_since_verified"


class QueryState(StrEnum):
    """CDISC ODM 2.0 query states: open -> answered -> closed, or cancelled; answered or closed re-open."""

    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"
    CANCELLED = "cancelled"


def query_number(pk: int) -> str:
    """How a query is named everywhere (screens, audit events, bundle, the phone): Q-0001, from its row id."""
    return f"Q-{pk:04d}"


class QueryOrigin(StrEnum):
    MANUAL = "manual"
    AUTO = "auto"  # raised by the eCRF itself: an overridden soft check, or required data overdue
    SPONSOR = "sponsor"  # raised centrally by the sponsor's data manager, imported from a signed query bundle


# The author of the eCRF's own steps (automatic queries raised, closed or re-opened by a check): no person.
SYSTEM_USER = "ecrf"

# The sponsor's data managers write from outside the site: their steps are authored "<handle>@sponsor" in the role
# "sponsor", names no site account can have (a site username has no "@"), and a sponsor query keeps its central id
# in check_key ("sponsor:SQ-0001"), so the site's next bundle tells the sponsor which of its queries a row is.
SPONSOR_ROLE = "sponsor"
SPONSOR_AUTHOR_DOMAIN = "@sponsor"
SPONSOR_CHECK_PREFIX = "sponsor:"


def sponsor_author(handle: str) -> str:
    return f"{handle}{SPONSOR_AUTHOR_DOMAIN}"


def sponsor_check_key(central_id: str) -> str:
    return f"{SPONSOR_CHECK_PREFIX}{central_id}"


class ResponseCode(StrEnum):
    """What an answer to a query says happened."""

    DATA_MISSING = "data_missing"
    TYPING_ERROR = "typing_error"
    WRONG_SOURCE = "wrong_source"
    CONFIRMED_CORRECT = "confirmed_correct"
    OTHER = "other"


class Scope(StrEnum):
    """What a query, a signature or a lock is about."""

    ITEM = "item"
    FORM = "form"
    VISIT = "visit"
    SUBJECT = "subject"


class SignatureState(StrEnum):
    VALID = "valid"
    BROKEN = "broken"  # covered data changed after signing (the break is in the audit trail)


class SiteState(StrEnum):
    """A frozen site takes no data entry but answers queries and is verified; a locked one is read-only."""

    OPEN = "open"
    FROZEN = "frozen"
    LOCKED = "locked"


# What each status means in words (English), for exports a reader opens outside the app.
SUBJECT_STATUS_TEXT: dict[SubjectStatus, str] = {
    SubjectStatus.SCREENING: "Screening", SubjectStatus.SCREEN_FAILURE: "Screen failure",
    SubjectStatus.ENROLLED: "Enrolled", SubjectStatus.COMPLETED: "Completed",
    SubjectStatus.WITHDRAWN: "Withdrawn", SubjectStatus.DIED: "Died"}
FORM_STATUS_TEXT: dict[FormStatus, str] = {
    FormStatus.NOT_STARTED: "Not started", FormStatus.IN_PROGRESS: "In progress", FormStatus.COMPLETE: "Complete"}
SDV_STATE_TEXT: dict[SdvState, str] = {
    SdvState.NOT_REQUIRED: "Not required", SdvState.NOT_VERIFIED: "Not verified", SdvState.VERIFIED: "Verified",
    SdvState.CHANGED: "Changed since verified"}
QUERY_STATE_TEXT: dict[QueryState, str] = {
    QueryState.OPEN: "Open", QueryState.ANSWERED: "Answered", QueryState.CLOSED: "Closed",
    QueryState.CANCELLED: "Cancelled"}
RESPONSE_TEXT: dict[ResponseCode, str] = {
    ResponseCode.DATA_MISSING: "Data missing", ResponseCode.TYPING_ERROR: "Typing error",
    ResponseCode.WRONG_SOURCE: "Wrong source", ResponseCode.CONFIRMED_CORRECT: "Confirmed correct",
    ResponseCode.OTHER: "Other"}
# A form saved as complete: a change needs a reason.
UNFINISHED_FORM_STATUSES = frozenset({FormStatus.NOT_STARTED, FormStatus.IN_PROGRESS})
