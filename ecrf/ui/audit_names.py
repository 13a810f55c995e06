"""The audit trail in words: a name for every action code and role that the trail records, and for the status
codes its events change (form, SDV, query, signature, subject, log entry, lock, site, account) and the response code
of a query answer, in the user's language. The trail itself keeps the codes (the sponsor and the checks read
them); only the screen and its CSV export show the names, with the code in the tooltip. What people typed (a
reason, a message, a value) is shown as typed."""
from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ecrf.services.session import SiteSession
from ecrf.study.status import FormStatus, QueryState, ResponseCode, SdvState, SignatureState, SubjectStatus
from ecrf.ui.esign.panel import state_word
from ecrf.ui.form_editor.header import status_text
from ecrf.ui.i18n import text_lang
from ecrf.ui.monitoring_symbols import item_text
from ecrf.ui.queries.words import RESPONSE_LABELS, STATE_LABELS, translated
from ecrf.ui.subject_words import status_text as subject_status_text

CONTEXT = "AuditNames"

# Every action a service writes (tests/ui/test_audit_tab.py checks that none is missing).
# QT_TRANSLATE_NOOP marks the texts for lupdate; its stubs type them object, hence str() where used.
ACTIONS: dict[str, object] = {
    "account_unlocked": QT_TRANSLATE_NOOP("AuditNames", "Account unlocked"),
    "allocated": QT_TRANSLATE_NOOP("AuditNames", "Allocated"),
    "allocation_list_imported": QT_TRANSLATE_NOOP("AuditNames", "Allocation list imported"),
    "audit_trail_exported": QT_TRANSLATE_NOOP("AuditNames", "Audit trail exported"),
    "backup": QT_TRANSLATE_NOOP("AuditNames", "Backup made"),
    "backup_failed": QT_TRANSLATE_NOOP("AuditNames", "Backup failed"),
    "bundle_exported": QT_TRANSLATE_NOOP("AuditNames", "Data bundle exported"),
    "esign_certified": QT_TRANSLATE_NOOP("AuditNames", "E-signature certification"),
    "form_status": QT_TRANSLATE_NOOP("AuditNames", "Form status changed"),
    "idle_lock": QT_TRANSLATE_NOOP("AuditNames", "Locked after inactivity"),
    "key_certified": QT_TRANSLATE_NOOP("AuditNames", "Signing key certified"),
    "key_issued": QT_TRANSLATE_NOOP("AuditNames", "Personal key issued"),
    "key_slot_strengthened": QT_TRANSLATE_NOOP("AuditNames", "Key slot strengthened"),
    "locked": QT_TRANSLATE_NOOP("AuditNames", "Data locked"),
    "log_entry_added": QT_TRANSLATE_NOOP("AuditNames", "Log entry added"),
    "log_entry_removed": QT_TRANSLATE_NOOP("AuditNames", "Log entry removed"),
    "login": QT_TRANSLATE_NOOP("AuditNames", "Logged in"),
    "login_failed": QT_TRANSLATE_NOOP("AuditNames", "Failed login"),
    "login_ledger_damaged": QT_TRANSLATE_NOOP("AuditNames", "Failed-login file damaged"),
    "login_ledger_reset": QT_TRANSLATE_NOOP("AuditNames", "Failed-login file replaced"),
    "logout": QT_TRANSLATE_NOOP("AuditNames", "Logged out"),
    "participation_ended": QT_TRANSLATE_NOOP("AuditNames", "Participation ended"),
    "password_changed": QT_TRANSLATE_NOOP("AuditNames", "Password changed"),
    "password_recovered": QT_TRANSLATE_NOOP("AuditNames", "Password recovered"),
    "password_reset": QT_TRANSLATE_NOOP("AuditNames", "Password reset"),
    "query_answered": QT_TRANSLATE_NOOP("AuditNames", "Query answered"),
    "query_bundle_imported": QT_TRANSLATE_NOOP("AuditNames", "Query bundle imported"),
    "query_closed": QT_TRANSLATE_NOOP("AuditNames", "Query closed"),
    "query_raised": QT_TRANSLATE_NOOP("AuditNames", "Query raised"),
    "query_reopened": QT_TRANSLATE_NOOP("AuditNames", "Query reopened"),
    "recovery_code_failed": QT_TRANSLATE_NOOP("AuditNames", "Wrong recovery code"),
    "recovery_slot_created": QT_TRANSLATE_NOOP("AuditNames", "Recovery code set up"),
    "rekey": QT_TRANSLATE_NOOP("AuditNames", "Database key changed"),
    "restored": QT_TRANSLATE_NOOP("AuditNames", "Backup restored"),
    "role_changed": QT_TRANSLATE_NOOP("AuditNames", "Role changed"),
    "sdv_changed": QT_TRANSLATE_NOOP("AuditNames", "SDV mark changed"),
    "sdv_unverified": QT_TRANSLATE_NOOP("AuditNames", "SDV withdrawn"),
    "sdv_verified": QT_TRANSLATE_NOOP("AuditNames", "Source data verified"),
    "seals_started": QT_TRANSLATE_NOOP("AuditNames", "Sealing started"),
    "signature_broken": QT_TRANSLATE_NOOP("AuditNames", "Signature broken"),
    "signed": QT_TRANSLATE_NOOP("AuditNames", "Signed"),
    "signing_key_created": QT_TRANSLATE_NOOP("AuditNames", "Site signing key created"),
    "site_created": QT_TRANSLATE_NOOP("AuditNames", "Site created"),
    "site_frozen": QT_TRANSLATE_NOOP("AuditNames", "Site frozen"),
    "site_key_sealed": QT_TRANSLATE_NOOP("AuditNames", "Site key sealed"),
    "site_locked": QT_TRANSLATE_NOOP("AuditNames", "Site locked"),
    "site_reopened": QT_TRANSLATE_NOOP("AuditNames", "Site reopened"),
    "site_setting_changed": QT_TRANSLATE_NOOP("AuditNames", "Site setting changed"),
    "sponsor_certificate": QT_TRANSLATE_NOOP("AuditNames", "Sponsor certificate registered"),
    "subject_screened": QT_TRANSLATE_NOOP("AuditNames", "Subject screened"),
    "trail_check_failed": QT_TRANSLATE_NOOP("AuditNames", "Audit trail check failed"),
    "trail_finding_acknowledged": QT_TRANSLATE_NOOP("AuditNames", "Audit trail finding acknowledged"),
    "unlock": QT_TRANSLATE_NOOP("AuditNames", "Session unlocked"),
    "unlocked": QT_TRANSLATE_NOOP("AuditNames", "Data unlocked"),
    "user_added": QT_TRANSLATE_NOOP("AuditNames", "User added"),
    "user_deactivated": QT_TRANSLATE_NOOP("AuditNames", "User deactivated"),
    "user_lock": QT_TRANSLATE_NOOP("AuditNames", "Locked by the user"),
    "value": QT_TRANSLATE_NOOP("AuditNames", "Value changed"),
    "value_derived": QT_TRANSLATE_NOOP("AuditNames", "Value calculated"),
    "visit_cancelled": QT_TRANSLATE_NOOP("AuditNames", "Visit cancelled"),
    "warning_confirmed": QT_TRANSLATE_NOOP("AuditNames", "Warning confirmed"),
}
SYSTEM_ROLE = QT_TRANSLATE_NOOP("AuditNames", "System")
# Events whose values are role codes: shown as role names too.
ROLE_VALUES = frozenset({"user_added", "role_changed"})


def action_name(code: str) -> str:
    """The action in words; an action this version does not know (a newer site's) shows its code."""
    text = ACTIONS.get(code)
    return QCoreApplication.translate(CONTEXT, str(text)) if text is not None else code


def role_name(session: SiteSession, code: str) -> str:
    """The study's name of a role ("Site administrator" / "中心管理员"); the automatic checks are "System"."""
    if code == "system":
        return QCoreApplication.translate(CONTEXT, str(SYSTEM_ROLE))
    label = session.study.roles.get(code)
    return label.get(text_lang()) if label is not None else code


# -- status codes in the old and new values of events -------------------------------------------------------
# The words come from the tables the other screens use (form header, monitoring marks, queries, signatures);
# these are the statuses only this screen shows.
LOCK_WORDS: dict[str, object] = {
    "locked": QT_TRANSLATE_NOOP("AuditNames", "locked"),
    "unlocked": QT_TRANSLATE_NOOP("AuditNames", "unlocked"),
}
SITE_WORDS: dict[str, object] = {
    "open": QT_TRANSLATE_NOOP("AuditNames", "open"),
    "frozen": QT_TRANSLATE_NOOP("AuditNames", "frozen"),
    "locked": QT_TRANSLATE_NOOP("AuditNames", "locked"),
}
ENTRY_WORDS: dict[str, object] = {
    "present": QT_TRANSLATE_NOOP("AuditNames", "present"),
    "removed": QT_TRANSLATE_NOOP("AuditNames", "removed"),
}
ACCOUNT_WORDS: dict[str, object] = {
    "active": QT_TRANSLATE_NOOP("AuditNames", "active"),
    "inactive": QT_TRANSLATE_NOOP("AuditNames", "inactive"),
    "certified": QT_TRANSLATE_NOOP("AuditNames", "certified"),
}


def _values(codes: type[StrEnum]) -> frozenset[str]:
    return frozenset(member.value for member in codes)


def _table(words: dict[str, object]) -> Callable[[str], str | None]:
    return lambda code: QCoreApplication.translate(CONTEXT, str(words[code])) if code in words else None


def _form_status(code: str) -> str | None:
    return status_text(code) if code in _values(FormStatus) else None


def _sdv_state(code: str) -> str | None:
    return (item_text(SdvState(code)) or None) if code in _values(SdvState) else None


def _subject_status(code: str) -> str | None:
    return subject_status_text(SubjectStatus(code)) if code in _values(SubjectStatus) else None


def _query_state(code: str) -> str | None:
    return translated(STATE_LABELS[QueryState(code)]) if code in _values(QueryState) else None


def _signature_state(code: str) -> str | None:
    return state_word(SignatureState(code)) if code in _values(SignatureState) else None


_QUERY_ACTIONS = ("query_raised", "query_answered", "query_closed", "query_cancelled", "query_reopened")
VALUE_WORDS: dict[str, Callable[[str], str | None]] = {
    "form_status": _form_status,
    **dict.fromkeys(("sdv_verified", "sdv_unverified", "sdv_changed"), _sdv_state),
    **dict.fromkeys(_QUERY_ACTIONS, _query_state),
    **dict.fromkeys(("signed", "signature_broken"), _signature_state),
    **dict.fromkeys(("subject_screened", "participation_ended"), _subject_status),
    "log_entry_removed": _table(ENTRY_WORDS),
    **dict.fromkeys(("locked", "unlocked", "account_unlocked"), _table(LOCK_WORDS)),
    **dict.fromkeys(("site_frozen", "site_locked", "site_reopened"), _table(SITE_WORDS)),
    **dict.fromkeys(("user_deactivated", "password_reset", "esign_certified"), _table(ACCOUNT_WORDS)),
}


def value_name(action: str, value: str) -> str:
    """An old or new value of an event in words when it is a status code of that action (`not_verified` of an
    SDV event: "not verified yet"); anything else (an entered value, a file name, a date) as stored."""
    words = VALUE_WORDS.get(action)
    named = words(value) if words is not None else None
    return named if named is not None else value


# A query step's reason: "Q-0001: [typing_error] what the user wrote"; the code in brackets is the eCRF's.
_RESPONSE = re.compile(r"^(?P<head>\S+: )\[(?P<code>[a-z_]+)\]")


def reason_text(action: str, reason: str) -> str:
    """The reason as stored, except that a query answer's response code shows in words ("[Typing error]"); the
    text the user wrote stays as written."""
    found = _RESPONSE.match(reason) if action in _QUERY_ACTIONS else None
    if found is None or found["code"] not in _values(ResponseCode):
        return reason
    label = translated(RESPONSE_LABELS[ResponseCode(found["code"])])
    return f"{found['head']}[{label}]{reason[found.end():]}"
