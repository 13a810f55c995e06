"""The Qt step of `ecrf self-test`: open a saved form in the form editor, draw it into an image and check
that something was drawn.

An install can pass every other step and still show staff an empty window (a missing platform plugin,
style or font). Drawing the real editor with `grab()` runs the same widgets, fonts and plugins as the app.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, qInstallMessageHandler
from PySide6.QtGui import QImage

from ecrf.demo.self_test import StepFailed
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.ui.app import create_app

STEP = "form rendered"
EDITOR_SIZE = (900, 700)
SAMPLE_STEP = 4  # every 4th pixel in both directions: enough to see text and frames, fast in Python
MIN_COLOURS = 3  # a blank or one-colour image has 1; background, text and a frame give more


def render_form(session: SiteSession, ref: FormRef) -> QImage:
    """Open `ref` in the form editor of `session`, draw it, and return the image; StepFailed when the
    editor shows no item or the image is blank."""
    from ecrf.ui.form_editor.page import FormEditorPage  # after create_app: widgets need a QApplication

    app = create_app(["ecrf"])
    notes: list[str] = []  # Qt's own warnings (the offscreen plugin has some): kept off the one-line summary
    previous = qInstallMessageHandler(lambda _kind, _context, text: notes.append(text))
    page = FormEditorPage(session, ref)
    try:
        page.resize(*EDITOR_SIZE)
        page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)  # laid out and drawn, never on the desktop
        page.show()
        app.processEvents()
        if not page.rows:
            raise StepFailed(STEP, f"the editor of {ref.form} at {ref.visit} shows no item")
        image = page.grab().toImage()
    finally:
        page.close()
        page.deleteLater()
        app.processEvents()
        qInstallMessageHandler(previous)
    if image.isNull() or image.width() == 0:
        raise StepFailed(STEP, "the editor drew no image" + "".join(f"; Qt: {note}" for note in notes[:3]))
    if (colours := distinct_colours(image)) < MIN_COLOURS:
        raise StepFailed(STEP, f"the editor's image is blank ({colours} colour(s)); fonts or the style did not draw")
    return image


def distinct_colours(image: QImage, limit: int = MIN_COLOURS) -> int:
    """How many different colours a sample of the image's pixels has (counting stops at `limit`)."""
    seen: set[int] = set()
    for y in range(0, image.height(), SAMPLE_STEP):
        for x in range(0, image.width(), SAMPLE_STEP):
            seen.add(image.pixel(x, y))
            if len(seen) >= limit:
                return len(seen)
    return len(seen)

