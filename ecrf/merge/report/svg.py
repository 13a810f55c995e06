"""A reportlab Drawing as SVG markup to put inside the HTML page.

reportlab's SVG renderer writes a stand-alone file: an XML declaration, a DOCTYPE naming the W3C's DTD by URL,
namespace declarations, and the same element ids in every chart. Inside HTML none of that is wanted (the HTML
parser puts <svg> in the SVG namespace itself; repeated ids are invalid), so the markup is re-read with lxml
(no DTD, no network), cleaned, and written out again, which also escapes every text the drawing holds.
"""
from __future__ import annotations

import re

from lxml import etree
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_NAMESPACES = re.compile(r'\s+xmlns(:[A-Za-z]+)?="[^"]*"')
SCALE = 1.45  # on screen a chart point is drawn this many CSS pixels wide (at most)


def inline_svg(drawing: Drawing, label: str) -> str:
    """The SVG element for `drawing`, titled `label` for screen readers, scaling with the page's width."""
    text = renderSVG.drawToString(drawing, useClip=True)
    root = etree.fromstring(text.encode("utf-8"), parser=_PARSER)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        element.tag = etree.QName(element).localname
        for name in [str(n) for n in element.attrib if str(n) == "id" or str(n).startswith("{")]:
            del element.attrib[name]
    for old in root.findall("title") + root.findall("desc"):
        root.remove(old)
    title = etree.Element("title")
    title.text = label
    root.insert(0, title)
    width = float(root.attrib.pop("width"))
    root.attrib.pop("height", "")
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("style", f"width:100%;max-width:{width * SCALE:.0f}px;height:auto")
    etree.cleanup_namespaces(root)
    markup = etree.tostring(root, encoding="unicode")
    start, rest = markup.split(">", 1)
    return _NAMESPACES.sub("", start) + ">" + rest
