"""Refusals of the services: their categories; the codes are catalogued in `error_messages.py`."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ecrf.errors import EcrfError, register
from ecrf.services.error_messages import SERVICE_MESSAGES
from ecrf.study.findings import Finding


class ServiceError(EcrfError):
    """A refusal of a use case."""


class PermissionDenied(ServiceError):
    """The user's role may not do this."""


class LoginFailed(ServiceError):
    """Wrong username or password (never says which)."""


class AccountLocked(ServiceError):
    """Too many failed logins: wait, or have the site admin reset the password."""


class WrongStudy(ServiceError):
    """The site database was made for another study than the definition loaded."""


class NotFound(ServiceError):
    """A user, subject, form or entry named by the caller does not exist."""


class InvalidInput(ServiceError):
    """An argument that cannot be used as given (an unknown role, an empty reason, a bad list)."""


class WrongState(ServiceError):
    """The subject or form is not in a state that allows this (locked form, subject not enrolled...)."""


class ReasonRequired(ServiceError):
    """Changing data saved as complete needs a reason for the change."""


class _WithFindings(ServiceError):
    """A refusal that lists findings; `{findings}` is filled in the language of the message."""

    def __init__(self, code: str, findings: Sequence[Finding], /, **params: Any) -> None:
        super().__init__(code, **params)
        self.findings = list(findings)

    def params_for(self, lang: str) -> Mapping[str, Any]:
        return {**self.params, "findings": findings_text(self.findings, lang)}


class ValuesRefused(_WithFindings):
    """Hard findings (or missing answers when completing): nothing was stored."""


class NeedsConfirmation(_WithFindings):
    """Soft findings the user has not confirmed: confirm their keys and save again."""


def findings_text(findings: Sequence[Finding], lang: str = "en") -> str:
    return "; ".join(f"{f.item or 'form'}: {f.text(lang)}" for f in findings)


class IntegrityAlarm(ServiceError):
    """The trail, a seal or a personal key shows tampering: the action is refused until it is dealt with."""


class ExportCancelled(ServiceError):
    """The user cancelled an export: no bundle was written and the database is unchanged."""


class ExportFailed(ServiceError):
    """An export could not be finished (disk full, read-only folder, ...): nothing was kept."""


register("services", SERVICE_MESSAGES)
