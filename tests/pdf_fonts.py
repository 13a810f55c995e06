"""Which fonts a PDF uses without carrying them: read with pypdf (no poppler needed), through pages, their
form XObjects and annotation appearances, and composite (Type0) fonts' descendants."""
from __future__ import annotations

import io
from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def unembedded_fonts(pdf: bytes) -> set[str]:
    """The /BaseFont names of every font the PDF refers to but does not embed (Type3 fonts draw their own
    glyphs and count as embedded)."""
    reader = PdfReader(io.BytesIO(pdf))
    return {str(font.get("/BaseFont")) for font in _fonts(reader) if not _embedded(font)}


def font_names(pdf: bytes) -> set[str]:
    return {str(font.get("/BaseFont")) for font in _fonts(PdfReader(io.BytesIO(pdf)))}


def _embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        return all(_embedded(d.get_object()) for d in font["/DescendantFonts"])
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor.get_object() for key in FONT_FILES)


def _fonts(reader: PdfReader) -> Iterator[DictionaryObject]:
    seen: set[int] = set()
    for page in reader.pages:
        yield from _resource_fonts(page.get("/Resources"), seen)
        for annotation in page.get("/Annots") or ():
            appearance = annotation.get_object().get("/AP")
            for stream in (appearance.get_object().values() if appearance else ()):
                yield from _resource_fonts(stream.get_object().get("/Resources"), seen)


def _resource_fonts(resources: object, seen: set[int]) -> Iterator[DictionaryObject]:
    if resources is None:
        return
    resources = resources.get_object()  # type: ignore[attr-defined]
    if id(resources) in seen:
        return
    seen.add(id(resources))
    fonts = resources.get("/Font")
    for ref in (fonts.get_object().values() if fonts else ()):
        yield ref.get_object()
    xobjects = resources.get("/XObject")
    for ref in (xobjects.get_object().values() if xobjects else ()):
        form = ref.get_object()
        if form.get("/Subtype") == "/Form":
            yield from _resource_fonts(form.get("/Resources"), seen)
