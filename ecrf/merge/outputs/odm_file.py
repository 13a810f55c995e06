"""The merged `odm.xml`: one CDISC ODM 1.3.2 file for the study, made from the sites' own `odm.xml` files.

Why merge the sites' files rather than write a new one from the tables: a site's odm.xml is already the
complete, schema-valid record of its data (every transaction with its AuditRecord, signatures, monitoring
annotations), made by ecrf's ODM writer from the site database. The central tables hold the CSV files, which
do not carry everything the ODM writer needs (signature meaning texts per version, the users' details), so
rebuilding would mean a second, lossy writer. Merging takes each site's records as the site signed them and
changes only what must change in one file: user, location and clashing signature-definition OIDs and the
references to them (ecrf.merge.outputs.odm_names).

The file: the study definition once (every source's must be the same), one AdminData with every site's users,
locations and signature definitions, one ClinicalData with every site's SubjectData in the sources' order.
Streamed one subject at a time; dated by the newest data-as-of of the sources, never by the clock.
"""
from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import Connection, select

from ecrf.export.bundle import layout
from ecrf.export.odm import keys as k
from ecrf.merge.central import schema
from ecrf.merge.outputs.errors import MergedOutputError
from ecrf.merge.outputs.odm_names import Renamer, SignatureDefs
from ecrf.merge.outputs.sources import Source, newest_as_of

INDENT = "  "
_NS = f"{{{k.ODM_NS}}}"
_ADMIN_ORDER = ("User", "Location", "SignatureDef")  # the schema's order of AdminData's children
# ecrf sites write only SubjectData into ClinicalData; anything else would be dropped, so it is refused instead.
_NOT_TAKEN = ("AuditRecords", "Signatures", "Annotations")
_PARSER: dict[str, Any] = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def write_merged_odm(conn: Connection, sources: list[Source], path: Path, app_version: str) -> None:
    study, admin, signatures = _heads(conn, sources)
    with ExitStack() as stack:
        out = stack.enter_context(path.open("wb"))
        stack.callback(out.write, b"\n")  # after </ODM>: the file ends with a newline, like a site's
        xf = stack.enter_context(etree.xmlfile(out, encoding="UTF-8"))
        xf.write_declaration()
        stack.enter_context(xf.element(f"{_NS}ODM", root_attributes(sources, study, app_version),
                                       nsmap={None: k.ODM_NS}))
        stack.callback(xf.write, "\n")
        _write(xf, study, 1)
        _write(xf, admin, 1)
        xf.write("\n" + INDENT)
        stack.enter_context(xf.element(f"{_NS}ClinicalData", {
            "StudyOID": study.get("OID", ""), "MetaDataVersionOID": _metadata_version(study)}))
        stack.callback(xf.write, "\n" + INDENT)
        for source in sources:
            renamer = Renamer(source, signatures)
            for subject in _subjects(_odm_bytes(conn, source), source):
                _write(xf, renamer.apply(subject), 2)


def root_attributes(sources: list[Source], study: etree._Element, app_version: str) -> dict[str, str]:
    """The ODM element's attributes: named by what it was made from, dated by the data, never by the clock."""
    made_from = hashlib.sha256("\n".join(s.manifest_sha256 for s in sources).encode()).hexdigest()
    as_of = newest_as_of(sources)
    sites = ", ".join(source.qualifier for source in sources)
    return {
        "Description": f"ecrf merged data set of study {study.get('OID')}: the definition, the users and every "
                       f"subject's data with its audit trail of {len(sources)} site installation(s) ({sites}), "
                       "each from its newest merged bundle",
        "FileType": "Transactional",
        "FileOID": f"{study.get('OID')}.merged.{made_from[:16]}",
        "CreationDateTime": as_of,
        "AsOfDateTime": as_of,
        "ODMVersion": "1.3.2",
        "Originator": "ecrf",
        "SourceSystem": "ecrf",
        "SourceSystemVersion": app_version,
    }


def _heads(conn: Connection, sources: list[Source]) -> tuple[etree._Element, etree._Element, SignatureDefs]:
    """The study definition (the same in every source, or refused) and the merged AdminData."""
    study: etree._Element | None = None
    canonical = ""
    admins: list[tuple[Source, etree._Element]] = []
    signatures = SignatureDefs()
    for source in sources:
        found, admin = _head(_odm_bytes(conn, source), source)
        digest = hashlib.sha256(etree.tostring(found, method="c14n")).hexdigest()
        if study is None:
            study, canonical = plain(found), digest
        elif digest != canonical:
            raise MergedOutputError("merged-odm-definitions-differ", site=source.qualifier,
                                    first=sources[0].qualifier)
        admin = plain(admin)  # kept small: the parsed site file is let go
        for node in admin.iterchildren("SignatureDef"):
            signatures.add(source, node)
        admins.append((source, admin))
    assert study is not None, "merged_sources refuses an empty list"
    return study, _merged_admin(study, admins, signatures), signatures


def _merged_admin(study: etree._Element, admins: list[tuple[Source, etree._Element]],
                  signatures: SignatureDefs) -> etree._Element:
    merged = etree.Element("AdminData", {"StudyOID": study.get("OID", "")})
    seen: set[str] = set()
    for tag in _ADMIN_ORDER:
        for source, admin in admins:
            for node in list(admin.iterchildren(tag)):  # moved into `merged` below
                copy = Renamer(source, signatures).apply(node)
                if copy.get("OID") not in seen:  # a shared SignatureDef once
                    seen.add(copy.get("OID", ""))
                    merged.append(copy)
    return merged


def _odm_bytes(conn: Connection, source: Source) -> bytes:
    table = schema.source_files
    content = conn.execute(select(table.c.content).where(
        table.c.source == source.installation_id, table.c.path == layout.ODM)).scalar()
    if content is None:
        raise MergedOutputError("merged-odm-missing", site=source.qualifier)
    return bytes(content)


def _head(document: bytes, source: Source) -> tuple[etree._Element, etree._Element]:
    """A site file's Study and AdminData (read up to its ClinicalData, no further)."""
    found: dict[str, etree._Element] = {}
    try:
        for event, node in etree.iterparse(io.BytesIO(document), events=("start", "end"), **_PARSER):
            if event == "start" and node.tag == f"{_NS}ClinicalData":
                break
            if event == "end" and node.tag in (f"{_NS}Study", f"{_NS}AdminData") and node.tag not in found:
                found[str(node.tag)] = node
    except etree.XMLSyntaxError as exc:
        raise MergedOutputError("merged-odm-unreadable", site=source.qualifier, reason=exc.msg) from None
    if len(found) != 2:
        raise MergedOutputError("merged-odm-unreadable", site=source.qualifier,
                                reason="no Study or no AdminData before the clinical data")
    return found[f"{_NS}Study"], found[f"{_NS}AdminData"]


def _subjects(document: bytes, source: Source) -> Iterator[etree._Element]:
    """Each SubjectData of a site file, as a plain copy; the parsed one is dropped so memory stays flat."""
    tags = [f"{_NS}SubjectData", *(f"{_NS}{tag}" for tag in _NOT_TAKEN)]
    try:
        for _, node in etree.iterparse(io.BytesIO(document), events=("end",), tag=tags, **_PARSER):
            if node.tag != f"{_NS}SubjectData":
                raise MergedOutputError("merged-odm-unexpected", site=source.qualifier,
                                        element=etree.QName(node).localname)
            yield plain(node)
            node.clear()
            parent = node.getparent()
            while parent is not None and node.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise MergedOutputError("merged-odm-unreadable", site=source.qualifier, reason=exc.msg) from None


def plain(node: etree._Element) -> etree._Element:
    """A copy without the ODM namespace or layout whitespace: written inside the merged `<ODM xmlns=…>` it takes
    the default namespace from there (one declaration in the file, as the site writer does)."""
    copy = etree.Element(etree.QName(node).localname, {str(k): str(v) for k, v in node.attrib.items()})
    children = [child for child in node if isinstance(child.tag, str)]  # comments and PIs are not data
    if children:
        copy.extend(plain(child) for child in children)
    else:
        copy.text = node.text
    return copy


def _metadata_version(study: etree._Element) -> str:
    version = study.find("MetaDataVersion")
    return version.get("OID", "") if version is not None else ""


def _write(xf: Any, node: etree._Element, level: int) -> None:
    etree.indent(node, space=INDENT, level=level)
    xf.write("\n" + INDENT * level)
    xf.write(node)
