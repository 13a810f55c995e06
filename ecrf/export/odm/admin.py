"""ODM AdminData: the site's users, the site as a Location, and the investigator's signature meanings.

One SignatureDef per text version of the meaning (`SD.INVESTIGATOR.<version>`): the current definition's, and
every older one a stored signature was made under, so each Signature refers to the words its signer saw.
ODM's Meaning is one plain string: it holds the English text, then the Chinese in brackets.

ODM 1.3.2 has no user role: UserType says Investigator / Sponsor (monitors) / Other, and DisplayName carries
the exact ecrf role code in brackets ("Mei Chen [nurse]"; "[nurse, inactive]" for a deactivated account).
"""
from __future__ import annotations

from lxml import etree

from ecrf.export.odm import keys as k
from ecrf.export.odm.elements import element, sub
from ecrf.export.records import ExportContext, SignatureMeaning, UserRecord
from ecrf.study.status import SPONSOR_ROLE, SYSTEM_USER

USER_TYPES = {"investigator": "Investigator", "monitor": "Sponsor", SPONSOR_ROLE: "Sponsor"}
INVESTIGATOR_LEGAL_REASON = "Electronic signature of the investigator (21 CFR Part 11)"


def admin_element(ctx: ExportContext) -> etree._Element:
    site = ctx.site
    root = element("AdminData", {"StudyOID": ctx.study.info.oid})
    for user in sorted(ctx.users, key=lambda u: u.username):
        _user(root, user, ctx)
    _system_user(root, ctx)
    location = sub(root, "Location", {"OID": k.location_oid(site.site_code), "Name": site.site_name,
                                      "LocationType": "Site"})
    sub(location, "MetaDataVersionRef", {"StudyOID": ctx.study.info.oid,
                                         "MetaDataVersionOID": k.metadata_version_oid(ctx.study.info.version),
                                         "EffectiveDate": _site_start(ctx)})
    for meaning in signature_meanings(ctx):
        oid = k.signature_def_oid(meaning.version)
        signature = sub(root, "SignatureDef", {"OID": oid, "Methodology": "Electronic"})
        sub(signature, "Meaning", text=meaning_text(meaning))
        sub(signature, "LegalReason", text=INVESTIGATOR_LEGAL_REASON)
    return root


def signature_meanings(ctx: ExportContext) -> list[SignatureMeaning]:
    """The definition's current meaning and every one stored with a signature, one per version, by version."""
    plan = ctx.study.monitoring.signature
    found = {m.version: m for m in ctx.signature_meanings}
    found.setdefault(plan.meaning_version, SignatureMeaning(plan.meaning_version, plan.meaning.get("en"),
                                                            plan.meaning.get("zh")))
    return [found[version] for version in sorted(found)]


def meaning_text(meaning: SignatureMeaning) -> str:
    return f"{meaning.en} ({meaning.zh})" if meaning.zh and meaning.zh != meaning.en else meaning.en


def display_name(user: UserRecord) -> str:
    state = "" if user.active else ", inactive"
    return f"{user.full_name} [{user.role}{state}]"


def _user(root: etree._Element, user: UserRecord, ctx: ExportContext) -> None:
    node = sub(root, "User", {"OID": k.user_oid(user.username), "UserType": USER_TYPES.get(user.role, "Other")})
    sub(node, "LoginName", text=user.username)
    sub(node, "DisplayName", text=display_name(user))
    sub(node, "FullName", text=user.full_name)
    # The sponsor's data managers (authors of imported sponsor queries) work for the sponsor, not the site.
    sub(node, "Organization", text="Sponsor" if user.role == SPONSOR_ROLE else ctx.site.site_name)
    sub(node, "LocationRef", {"LocationOID": k.location_oid(ctx.site.site_code)})


def _system_user(root: etree._Element, ctx: ExportContext) -> None:
    """The eCRF itself, author of the automatic queries' steps, so that every UserRef names a User."""
    node = sub(root, "User", {"OID": k.user_oid(SYSTEM_USER), "UserType": "Other"})
    sub(node, "LoginName", text=SYSTEM_USER)
    sub(node, "DisplayName", text="ecrf (automatic checks) [system]")
    sub(node, "Organization", text=ctx.site.site_name)
    sub(node, "LocationRef", {"LocationOID": k.location_oid(ctx.site.site_code)})


def _site_start(ctx: ExportContext) -> str:
    """The day the site began: its first user (the administrator) is made with it. A stored fact, not the clock."""
    created = sorted(u.created_at for u in ctx.users if u.created_at)
    return (created[0] if created else ctx.site.as_of)[:10]
