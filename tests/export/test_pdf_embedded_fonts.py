"""Every PDF of a bundle carries every font it uses (long-term archiving: a reader years from now must not
substitute a font), and the font check itself catches a font that is only referred to."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from tests.pdf_fonts import font_names, unembedded_fonts


def test_the_check_finds_a_font_that_is_not_embedded() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(50, 50, "not embedded")
    canvas.save()
    assert unembedded_fonts(buffer.getvalue()) == {"/Helvetica"}


@pytest.mark.req("WARD-SPEED-EXPORT-1")
def test_every_pdf_in_a_bundle_embeds_its_fonts(demo_bundle: Path) -> None:
    with zipfile.ZipFile(demo_bundle) as bundle:
        pdfs = [name for name in bundle.namelist() if name.endswith(".pdf")]
        assert len(pdfs) > 1
        for name in pdfs:
            pdf = bundle.read(name)
            assert font_names(pdf), f"{name}: the check must see its fonts"
            assert unembedded_fonts(pdf) == set(), name
