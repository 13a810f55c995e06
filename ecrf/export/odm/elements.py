"""Small builders for the ODM element trees the writer streams out.

The trees are built without a namespace on purpose: they are written inside the `<ODM xmlns="…odm/v1.3">`
element of `etree.xmlfile`, so they take the ODM default namespace from there and the file carries a single
`xmlns` declaration instead of one on every subject (lxml re-declares a namespace on each written subtree).
The schema check in the tests fails if an element ever lands outside the ODM namespace.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from lxml import etree

from ecrf.export.odm.keys import XML_LANG
from ecrf.study.model import Text

Attrs = Mapping[str, str | int | None]


def element(tag: str, attrs: Attrs | None = None, text: str | None = None) -> etree._Element:
    node = etree.Element(tag, _clean(attrs) if attrs else None)
    if text is not None:
        node.text = text
    return node


def sub(parent: etree._Element, tag: str, attrs: Attrs | None = None, text: str | None = None) -> etree._Element:
    """A child element; attributes keep the order given, those that are None are left out."""
    node = etree.SubElement(parent, tag, _clean(attrs) if attrs else None)
    if text is not None:
        node.text = text
    return node


def translated(parent: etree._Element, tag: str, text: Text | str, languages: Iterable[str]) -> etree._Element:
    """`<tag><TranslatedText xml:lang="en">…</TranslatedText>…</tag>`, one per study language."""
    node = sub(parent, tag)
    for lang in languages:
        value = text if isinstance(text, str) else text.get(lang)
        sub(node, "TranslatedText", {XML_LANG: lang}, value)
    return node


def _clean(attrs: Attrs) -> dict[str, str]:
    return {name: value if value.__class__ is str else str(value) for name, value in attrs.items()
            if value is not None}
