"""A font that shows Chinese on PCs without CJK fonts: Droid Sans Fallback (Apache-2.0), shipped in
resources/fonts and added behind the system's default family so Latin text keeps its usual look."""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ecrf.paths import ShippedDataMissing, resource_path

CJK_FONT = ("fonts", "DroidSansFallback.ttf")  # under resources/


def install_fonts(app: QApplication) -> list[str]:
    """Add the bundled CJK font as a fallback of the application font; returns its family names.
    Without the font (an incomplete install) the app still starts: Chinese may then show as boxes."""
    try:
        font_file = resource_path(*CJK_FONT)
    except ShippedDataMissing:
        font_file = None
    font_id = QFontDatabase.addApplicationFont(str(font_file)) if font_file and font_file.exists() else -1
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    font = QFont(app.font())
    base = font.families() or [font.family()]
    font.setFamilies([*base, *[f for f in families if f not in base]])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)  # ward PCs: readable at arm's length
    app.setFont(font)
    return list(families)
