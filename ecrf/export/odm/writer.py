"""`odm.xml`: CDISC ODM 1.3.2 with the study definition, the site's users and every subject's data with its
audit trail (docs/bundle-format.md, "ODM").

The file is Transactional: ODM gives an AuditRecord meaning only there, and only there may one item have
several values in a row, so each saved change is one ItemData with who, where, when and why, and replaying
the transactions in file order gives today's data (`ecrf.export.odm.read`).

Streamed with lxml's incremental writer: the definition and users first, then one SubjectData tree per
subject, written and dropped, so memory does not grow with the number of subjects. Nothing in the file
depends on when the export ran: the file is named and dated by the audit head (`ctx.site`), so the same
database state gives the same bytes.
"""
from __future__ import annotations

from contextlib import ExitStack, suppress
from typing import Any

from lxml import etree

from ecrf.export.bundle import layout
from ecrf.export.odm import keys as k
from ecrf.export.odm.admin import admin_element
from ecrf.export.odm.clinical import SubjectWriter
from ecrf.export.odm.metadata import study_element
from ecrf.export.records import AuditRecord, ExportContext, SubjectRecord

INDENT = "  "


class OdmPart:
    """The BundlePart that writes `odm.xml`."""

    def __init__(self) -> None:
        self._stack: ExitStack | None = None
        self._xf: Any = None  # lxml's incremental writer (no public class name), set by begin()
        self._subjects: SubjectWriter | None = None

    def begin(self, ctx: ExportContext) -> None:
        path = ctx.staging / layout.ODM
        path.parent.mkdir(parents=True, exist_ok=True)
        self._stack = stack = ExitStack()
        out = stack.enter_context(path.open("wb"))
        stack.callback(out.write, b"\n")  # after </ODM>, once lxml is done: the file ends with a newline
        self._xf = xf = stack.enter_context(etree.xmlfile(out, encoding="UTF-8"))
        xf.write_declaration()
        # Closing tags are written as the stack unwinds, each after the indentation pushed just above it.
        stack.enter_context(xf.element(_odm("ODM"), root_attributes(ctx), nsmap={None: k.ODM_NS}))
        stack.callback(xf.write, "\n")
        self._write(study_element(ctx.study), 1)
        self._write(admin_element(ctx), 1)
        xf.write("\n" + INDENT)
        info = ctx.study.info
        stack.enter_context(xf.element(_odm("ClinicalData"), {
            "StudyOID": info.oid, "MetaDataVersionOID": k.metadata_version_oid(info.version)}))
        stack.callback(xf.write, "\n" + INDENT)
        self._subjects = SubjectWriter(ctx.study, k.location_oid(ctx.site.site_code))

    def add_subject(self, subject: SubjectRecord) -> None:
        assert self._subjects is not None, "begin() first"
        for node in self._subjects.elements(subject):
            self._write(node, 2)

    def add_audit_event(self, event: AuditRecord) -> None:
        """Nothing to do: a subject's events come with the subject. Site events (logins, users, backups) belong
        to no subject, so they are no clinical data: they are in csv/audit_trail.csv only."""

    def finish(self) -> None:
        stack, self._stack = self._stack, None
        if stack is not None:
            stack.close()

    def close(self) -> None:
        """After an error or a cancel: release the file; the staging folder with the half file is deleted."""
        stack, self._stack = self._stack, None
        if stack is not None:
            with suppress(Exception):  # the export already failed: its first error is the one to report
                stack.__exit__(_Abandoned, _Abandoned(), None)

    def _write(self, node: etree._Element, level: int) -> None:
        assert self._xf is not None
        etree.indent(node, space=INDENT, level=level)
        self._xf.write("\n" + INDENT * level)
        self._xf.write(node)


class _Abandoned(Exception):
    """Given to the open contexts by close() without finish(): lxml's xmlfile then swallows its own write errors
    (a full disk) instead of raising a second one over the export's first."""


def root_attributes(ctx: ExportContext) -> dict[str, str]:
    site, info = ctx.site, ctx.study.info
    return {
        "Description": f"ecrf export of study {info.oid}, site {site.site_code} ({site.site_name}): the definition, "
                       "the users, and every subject's data with its audit trail",
        "FileType": "Transactional",
        "FileOID": f"{site.study_oid}.{site.site_code}.{site.audit_head_seq}",
        "CreationDateTime": site.as_of,
        "AsOfDateTime": site.as_of,
        "ODMVersion": "1.3.2",
        "Originator": "ecrf",
        "SourceSystem": "ecrf",
        "SourceSystemVersion": ctx.app_version,
    }


def _odm(tag: str) -> str:
    return f"{{{k.ODM_NS}}}{tag}"
