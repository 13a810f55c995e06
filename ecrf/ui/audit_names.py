"""The audit trail in words: a name for every action code and role that the trail records, in the user's
language. The trail itself keeps the codes (the sponsor and the checks read them); only the screen and its
CSV export show the names, with the code in the tooltip."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ecrf.services.session import SiteSession
from ecrf.ui.i18n import text_lang

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
