"""How a subject's participation status reads on screen: one table for the subject matrix, its status filter,
the subject page, the end-of-participation dialog and the audit trail screen, so they never name a status
differently."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ecrf.study.status import SubjectStatus

CONTEXT = "SubjectWords"
# QT_TRANSLATE_NOOP marks the texts for lupdate; its stubs type them object, hence str() below.
STATUS_LABELS: dict[SubjectStatus, object] = {
    SubjectStatus.SCREENING: QT_TRANSLATE_NOOP("SubjectWords", "Screening"),
    SubjectStatus.SCREEN_FAILURE: QT_TRANSLATE_NOOP("SubjectWords", "Screen failure"),
    SubjectStatus.ENROLLED: QT_TRANSLATE_NOOP("SubjectWords", "Enrolled"),
    SubjectStatus.COMPLETED: QT_TRANSLATE_NOOP("SubjectWords", "Completed"),
    SubjectStatus.WITHDRAWN: QT_TRANSLATE_NOOP("SubjectWords", "Withdrawn"),
    SubjectStatus.DIED: QT_TRANSLATE_NOOP("SubjectWords", "Died"),
}


def status_text(status: SubjectStatus) -> str:
    """A subject status in the user's language."""
    return QCoreApplication.translate(CONTEXT, str(STATUS_LABELS[status]))


def status_names() -> dict[SubjectStatus, str]:
    """Every subject status in the user's language (looked up once by screens that paint them often)."""
    return {status: status_text(status) for status in SubjectStatus}
