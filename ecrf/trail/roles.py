"""Which roles may write the events that change trial data, monitoring marks, locks, users and the site.

A seal proves who wrote an event, not that their role allowed it: someone who knows a read-only user's password
can write a well-formed, correctly sealed `value` event in that user's own name. The trail check therefore holds
every sealed event of these actions to the roles here, as the services hold the live writes to the permission
table (`ecrf.services.permissions`, kept equal to this one by a test). Actions not listed change nothing a reader
relies on as data: logins and sessions, query messages (a query never changes a value; a correction is its own
`value` event), automatic marks such as `signature_broken`, which only lower trust.
"""
from __future__ import annotations

_ENTRY = frozenset({"investigator", "nurse"})
_ADMIN = frozenset({"site_admin"})

ACTION_ROLES: dict[str, frozenset[str]] = {
    # entering and changing data (Do.ENTER_DATA), and the marks a change leaves
    **dict.fromkeys(("value", "value_derived", "form_status", "warning_confirmed", "log_entry_added",
                     "log_entry_removed", "sdv_changed"), _ENTRY),
    "subject_screened": _ENTRY,  # Do.SCREEN
    "allocated": _ENTRY,  # Do.ALLOCATE (manual allocation: investigators only, also entry staff)
    **dict.fromkeys(("participation_ended", "visit_cancelled"), _ENTRY),  # Do.END_PARTICIPATION
    **dict.fromkeys(("sdv_verified", "sdv_unverified"), frozenset({"monitor"})),  # Do.VERIFY_SOURCE
    **dict.fromkeys(("signed", "esign_certified"), frozenset({"investigator"})),  # Do.SIGN
    **dict.fromkeys(("locked", "unlocked"), frozenset({"investigator", "site_admin"})),  # Do.LOCK
    **dict.fromkeys(("site_frozen", "site_locked", "site_reopened"), _ADMIN),  # Do.FREEZE_SITE
    **dict.fromkeys(("user_added", "role_changed", "user_deactivated", "password_reset", "account_unlocked",
                     "trail_finding_acknowledged"), _ADMIN),  # Do.MANAGE_USERS
    "allocation_list_imported": _ADMIN,  # Do.IMPORT_ALLOCATION
    "site_setting_changed": _ADMIN,  # Do.MANAGE_SITE
}


def role_may_write(role: str | None, action: str) -> bool:
    """Whether an event of `action` written by a user of `role` is one that role may write."""
    allowed = ACTION_ROLES.get(action)
    return allowed is None or role in allowed
