"""Names that must be unique in the merged ODM file: each site's users, its location and its signature meanings.

Every site names its users `USR.<login>` and itself `LOC.<site code>`, so two sites' nurses would both be
`USR.nurse`. In the merged file a user is `USR.<qualifier>.<login>` (`USR.CN01.nurse`), a location
`LOC.<qualifier>` (so `LOC.CN01` stays as the site wrote it unless two installations share the code), and every
reference inside that site's records is rewritten the same way. A SignatureDef is kept once when every site
that has it says the same (the same meaning version of the same definition); when two say differently, each
copy is qualified by its site, so a signature always points at the words its signer saw.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ecrf.merge.outputs.sources import Source

USER_PREFIX, LOCATION_PREFIX = "USR.", "LOC."


def user_oid(source: Source, oid: str) -> str:
    return f"{USER_PREFIX}{source.qualifier}.{oid.removeprefix(USER_PREFIX)}"


def location_oid(source: Source, oid: str) -> str:
    if oid == f"{LOCATION_PREFIX}{source.site_code}":
        return f"{LOCATION_PREFIX}{source.qualifier}"
    return f"{LOCATION_PREFIX}{source.qualifier}.{oid.removeprefix(LOCATION_PREFIX)}"


@dataclass
class SignatureDefs:
    """The SignatureDefs of every source: which are shared, which must be qualified."""

    texts: dict[str, dict[str, bytes]] = field(default_factory=dict)  # OID -> installation -> canonical element

    def add(self, source: Source, node: etree._Element) -> None:
        self.texts.setdefault(node.get("OID", ""), {})[source.installation_id] = etree.tostring(
            node, method="c14n")

    def oid(self, source: Source, oid: str) -> str:
        """The OID of `source`'s SignatureDef `oid` in the merged file."""
        versions = self.texts.get(oid, {})
        return oid if len(set(versions.values())) <= 1 else f"{oid}.{source.qualifier}"


@dataclass
class Renamer:
    """Rewrites one source's OIDs and references in an element tree (in place)."""

    source: Source
    signatures: SignatureDefs

    def apply(self, root: etree._Element) -> etree._Element:
        for node in root.iter():
            tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
            if tag in ("User", "UserRef"):
                self._rename(node, "OID" if tag == "User" else "UserOID", user_oid)
            elif tag in ("Location", "LocationRef", "SiteRef"):
                self._rename(node, "OID" if tag == "Location" else "LocationOID", location_oid)
            elif tag in ("SignatureDef", "SignatureRef"):
                attribute = "OID" if tag == "SignatureDef" else "SignatureOID"
                if node.get(attribute) is not None:
                    node.set(attribute, self.signatures.oid(self.source, node.get(attribute, "")))
        return root

    def _rename(self, node: etree._Element, attribute: str, rule: Callable[[Source, str], str]) -> None:
        value = node.get(attribute)
        if value is not None:
            node.set(attribute, rule(self.source, value))
