"""Refusals of the services: each carries a sentence for the user (what is wrong, what to do)."""
from __future__ import annotations

from collections.abc import Sequence

from ecrf.study.findings import Finding


class ServiceError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(ServiceError):
    """The user's role may not do this."""


class LoginFailed(ServiceError):
    """Wrong username or password (never says which)."""


class AccountLocked(ServiceError):
    """Too many failed logins: wait, or have the site admin reset the password."""


class WrongStudy(ServiceError):
    """The site database was made for another study than the definition loaded."""


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    """An argument that cannot be used as given (an unknown role, an empty reason, a bad list)."""


class WrongState(ServiceError):
    """The subject or form is not in a state that allows this (locked form, subject not enrolled...)."""


class ReasonRequired(ServiceError):
    """Changing data saved as complete needs a reason for the change."""


class ValuesRefused(ServiceError):
    """Hard findings (or missing answers when completing): nothing was stored."""

    def __init__(self, message: str, findings: Sequence[Finding]) -> None:
        super().__init__(message)
        self.findings = list(findings)


class NeedsConfirmation(ServiceError):
    """Soft findings the user has not confirmed: confirm their keys and save again."""

    def __init__(self, message: str, findings: Sequence[Finding]) -> None:
        super().__init__(message)
        self.findings = list(findings)


def findings_text(findings: Sequence[Finding], lang: str = "en") -> str:
    return "; ".join(f"{f.item or 'form'}: {f.text(lang)}" for f in findings)


class ExportCancelled(ServiceError):
    """The user cancelled an export: no bundle was written and the database is unchanged."""


class ExportFailed(ServiceError):
    """An export could not be finished (disk full, read-only folder, ...): nothing was kept."""
