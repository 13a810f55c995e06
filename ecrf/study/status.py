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
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    SDV_DONE = "sdv_done"
    SIGNED = "signed"
    LOCKED = "locked"


# What each status means in words (English), for exports a reader opens outside the app.
SUBJECT_STATUS_TEXT: dict[SubjectStatus, str] = {
    SubjectStatus.SCREENING: "Screening", SubjectStatus.SCREEN_FAILURE: "Screen failure",
    SubjectStatus.ENROLLED: "Enrolled", SubjectStatus.COMPLETED: "Completed",
    SubjectStatus.WITHDRAWN: "Withdrawn", SubjectStatus.DIED: "Died"}
FORM_STATUS_TEXT: dict[FormStatus, str] = {
    FormStatus.NOT_STARTED: "Not started", FormStatus.IN_PROGRESS: "In progress", FormStatus.COMPLETE: "Complete",
    FormStatus.SDV_DONE: "Source data verified", FormStatus.SIGNED: "Signed", FormStatus.LOCKED: "Locked"}
# A form past these has been saved as complete (and may have moved on to SDV, signature, lock).
UNFINISHED_FORM_STATUSES = frozenset({FormStatus.NOT_STARTED, FormStatus.IN_PROGRESS})
