"""Checking an `odm.xml` against the official CDISC ODM 1.3.2 schema, as shipped in the odmlib package.

The file is read as a stream, one subject at a time (memory stays flat for a large export), by a parser
that reads nothing from the network, expands no entities and refuses huge trees, so a hostile file
(a "billion laughs", an external entity) is a problem message, not an exhausted machine.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from ecrf.export.errors import ExportError

SCHEMA_FILE = ("schemas", "odm", "1.3.2", "ODM1-3-2.xsd")
_SUBJECT = "{http://www.cdisc.org/ns/odm/v1.3}SubjectData"


class SchemaUnavailable(ExportError):
    """The ODM schema that validation needs is not installed or cannot be read."""


def schema_path() -> Path | None:
    """The XSD inside the installed odmlib package (found without importing it), or None."""
    spec = importlib.util.find_spec("odmlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*SCHEMA_FILE)
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def odm_schema() -> etree.XMLSchema:
    path = schema_path()
    if path is None:
        raise SchemaUnavailable("odm-schema-missing")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.XMLSchema(etree.parse(str(path), parser))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError) as exc:
        raise SchemaUnavailable("odm-schema-unreadable", path=path, detail=exc) from exc


def schema_problems(source: Path | BinaryIO, limit: int = 5) -> list[str]:
    """What keeps `source` from being valid ODM 1.3.2, at most `limit` messages with line numbers; [] if valid.

    libxml2's streaming validation reports no line numbers and misses a cut-off file, so the file is parsed
    as a stream instead and each SubjectData (a global element of the schema) is validated on its own as it
    ends, then emptied; the rest (definition, users, the empty subjects in their places) is validated last.
    """
    try:
        schema = odm_schema()
    except SchemaUnavailable as exc:
        return [str(exc)]
    found: list[str] = []
    try:
        node = None
        for _, node in etree.iterparse(str(source) if isinstance(source, Path) else source, events=("end",),
                                       resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False):
            if node.tag == _SUBJECT:
                found += _invalid(schema, node)
                _empty(node)
            if len(found) >= limit:
                return found[:limit]
        if node is not None:
            tree = node.getroottree()
            if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
                found.append("line 1: the file declares a document type (<!DOCTYPE …>): an ODM file has none, "
                              "and its entities are not expanded here")
            found += _invalid(schema, tree)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or "?"
        found.append(f"line {line}: not well-formed XML: {_plain(exc.msg or str(exc))}")
    except OSError as exc:
        found.append(f"The ODM file cannot be read: {exc}")
    return found[:limit]


def _invalid(schema: etree.XMLSchema, target: etree._Element | etree._ElementTree) -> list[str]:
    try:
        if schema.validate(target):
            return []
    except etree.XMLSchemaValidateError as exc:  # e.g. an unexpanded entity reference libxml2 cannot validate
        root = target.getroot() if isinstance(target, etree._ElementTree) else target
        return [f"line {root.sourceline}: the schema check cannot read this part of the file ({exc})"]
    return [f"line {entry.line}: {_plain(entry.message)}"
            for entry in schema.error_log  # type: ignore[attr-defined]  # iterable; lxml-stubs omit __iter__
            if entry.level >= etree.ErrorLevels.ERROR]


def _empty(subject: etree._Element) -> None:
    """Keep the element (and its required SubjectKey) so the final check still sees where it stood."""
    attributes = dict(subject.attrib.items())
    subject.clear()
    subject.attrib.update(attributes)


def _plain(message: str) -> str:
    """libxml2 names elements {namespace}Tag; the ODM namespace is the only one that matters here."""
    return message.replace("{http://www.cdisc.org/ns/odm/v1.3}", "").strip()
