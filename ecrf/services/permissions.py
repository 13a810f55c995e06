"""Who may do what (DESIGN.md, Workflow and roles). One table, checked by every service call."""
from __future__ import annotations

from enum import StrEnum

from ecrf.services.errors import PermissionDenied


class Do(StrEnum):
    MANAGE_USERS = "manage users"
    MANAGE_SITE = "change site settings"
    BACKUP = "make a backup"
    REKEY = "rotate the database key"
    IMPORT_ALLOCATION = "import the allocation list"
    READ_DATA = "read trial data"
    READ_AUDIT = "read the audit trail"
    VERIFY_AUDIT = "verify the audit trail"
    SCREEN = "screen a subject"
    ENTER_DATA = "enter or change data"
    ALLOCATE = "allocate a subject to an arm"
    ALLOCATE_MANUALLY = "allocate a subject manually"
    END_PARTICIPATION = "record withdrawal, death or completion"
    CHANGE_OWN_PASSWORD = "change own password"
    EXPORT = "export a signed data bundle"


_ENTRY = {Do.READ_DATA, Do.READ_AUDIT, Do.VERIFY_AUDIT, Do.SCREEN, Do.ENTER_DATA, Do.ALLOCATE,
          Do.END_PARTICIPATION, Do.CHANGE_OWN_PASSWORD}

ALLOWED: dict[str, frozenset[Do]] = {
    "site_admin": frozenset({Do.MANAGE_USERS, Do.MANAGE_SITE, Do.BACKUP, Do.REKEY, Do.IMPORT_ALLOCATION,
                             Do.READ_AUDIT, Do.VERIFY_AUDIT, Do.CHANGE_OWN_PASSWORD}),
    # Exporting is the site staff's job (the bundle is the site's copy of record); the site admin sees no
    # clinical data and the monitor takes bundles from the site, not makes them.
    "investigator": frozenset(_ENTRY | {Do.ALLOCATE_MANUALLY, Do.EXPORT}),
    "nurse": frozenset(_ENTRY | {Do.EXPORT}),
    "monitor": frozenset({Do.READ_DATA, Do.READ_AUDIT, Do.VERIFY_AUDIT, Do.CHANGE_OWN_PASSWORD}),
    "read_only": frozenset({Do.READ_DATA, Do.VERIFY_AUDIT, Do.CHANGE_OWN_PASSWORD}),
}

ROLE_NAMES = {"site_admin": "a site administrator", "investigator": "an investigator", "nurse": "a study nurse",
              "monitor": "a monitor", "read_only": "a read-only user"}


def may(role: str, action: Do) -> bool:
    return action in ALLOWED.get(role, frozenset())


def require(role: str, action: Do) -> None:
    if not may(role, action):
        who = sorted(ROLE_NAMES[r].split(" ", 1)[1] for r in ALLOWED if action in ALLOWED[r])
        raise PermissionDenied("permission-denied", role=ROLE_NAMES.get(role, role), action=action.value,
                               roles=" or ".join(who))
