"""The user guide's screenshots: the screens a ward nurse, a monitor and an investigator meet, drawn at a ward
PC's 1366×768 from the demo, then scaled to 800 pixels wide and saved as 8-bit palette PNGs (a screen of flat
colours stays readable and weighs ~20 KB). Written to `resources/guide/<language>/images/<name>.png`, the names
the guide's pages refer to (tests/ui/test_guide.py checks that every one exists).

Run: `python -m ecrf.ui.screenshots --guide` (both languages; see README, "User guide").
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ecrf.errors import Bug
from ecrf.ui.screenshots.render import BACKDROP, Demo, Shooter, framed, settle, tab_name
from ecrf.ui.screenshots.screens import subject_with_data, type_into

if TYPE_CHECKING:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QWidget

    from ecrf.services.session import SiteSession
    from ecrf.ui.main_window import MainWindow

GUIDE_SIZE = (1366, 768)  # a common ward-PC screen
GUIDE_WIDTH = 800  # pixels of the saved image at most; the guide shows it at this width
WARD_PC_DATABASE = r"C:\Users\ward\AppData\Local\ecrf\site.db"  # platformdirs' data folder on Windows
MARGIN = 12  # backdrop kept around a small window cut out of the screen
# Every image the guide's pages show (tests/ui/test_guide.py holds the pages to this list, and the shooter
# refuses a name not on it): a shot renamed here and not in the pages fails the tests, not the reader.
IMAGES = ("login", "first-password", "subjects", "subject", "form", "form-check", "screening", "queries",
          "query-answer", "sdv", "signatures", "export", "backup")


@dataclass
class GuideShooter(Shooter):
    """Saves `<out>/<lang>/images/<name>.png`, scaled and reduced to a palette."""

    def path_for(self, name: str) -> Path:
        if name not in IMAGES:
            raise Bug(f"the guide shows no image {name!r}: add it to IMAGES and to the guide's pages")
        folder = self.out / self.lang / "images"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{name}.png"

    def save(self, image: QImage, path: Path) -> bool:
        # quality 0: the strongest compression
        return bool(image.save(str(path), "PNG", 0))  # type: ignore[call-overload]  # PySide6 takes a str format too

    def finish(self, image: QImage) -> QImage:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QImage

        image = without_backdrop(image)
        small = image if image.width() <= GUIDE_WIDTH else \
            image.scaledToWidth(GUIDE_WIDTH, Qt.TransformationMode.SmoothTransformation)
        # Threshold, not diffusion: dithered noise would make flat screens compress ten times worse.
        flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
        return small.convertToFormat(QImage.Format.Format_Indexed8, flags)


def without_backdrop(image: QImage) -> QImage:
    """A small window drawn centred on the plain backdrop, cut out with a margin (it then needs no scaling).
    The window is centred, so the middle row and column find its edges."""
    from PySide6.QtGui import QColor

    backdrop = QColor(BACKDROP).rgb()
    w, h = image.width(), image.height()
    xs = [x for x in range(w) if image.pixel(x, h // 2) != backdrop]
    ys = [y for y in range(h) if image.pixel(w // 2, y) != backdrop]
    if not xs or not ys:
        return image
    left, top = max(0, xs[0] - MARGIN), max(0, ys[0] - MARGIN)
    right, bottom = min(w, xs[-1] + 1 + MARGIN), min(h, ys[-1] + 1 + MARGIN)
    return image.copy(left, top, right - left, bottom - top)


def guide_screens(s: Shooter, demo: Demo) -> None:
    s.shot("login", lambda: _login(demo, s.lang))
    s.section("nurse", lambda: _nurse(s, demo))
    s.section("monitor", lambda: _monitor(s, demo))
    s.section("investigator", lambda: _investigator(s, demo))
    s.section("admin", lambda: _admin(s, demo))


def _login(demo: Demo, lang: str) -> QImage:
    from ecrf.ui.i18n import text_lang
    from ecrf.ui.login import LoginWindow

    # The window names the site database; the guide shows where it is on a ward PC (Windows, the app's data
    # folder), not the throw-away folder the pictures were drawn from.
    login = LoginWindow(Path(WARD_PC_DATABASE), lang, demo=False, username="nurse")
    login.show()
    settle()
    login.set_study_title(demo.study.info.title.get(text_lang()))
    image = framed(login, size=GUIDE_SIZE)
    login.deleteLater()
    return image


def _nurse(s: Shooter, demo: Demo) -> None:
    from ecrf.ui.password import ChangePasswordDialog

    with demo.window("nurse", GUIDE_SIZE) as main:
        s.shot("first-password", lambda: _over(main, ChangePasswordDialog(main.session, main)))
        s.shot("subjects", lambda: framed(main, size=GUIDE_SIZE))
        label, visit_form, _ = subject_with_data(main.session)
        s.shot("subject", lambda: _page(main, lambda: main.show_subject(label)))
        s.shot("form", lambda: _page(main, lambda: main.open_form(visit_form)))
        s.shot("form-check", lambda: _page(main, lambda: main.open_form(visit_form),
                                           lambda: type_into(main.page, "TEMP", "55")))
        screening = _screening_subject(main.session)
        if screening is None:
            s.skip("screening", "the demo has no subject in screening")
        else:
            s.shot("screening", lambda: _page(main, lambda: main.show_subject(screening)))
        s.shot("queries", lambda: _page(main, main.show_queries))
        s.shot("query-answer", lambda: _query_dialog(main))
        s.shot("export", lambda: _export(main))


def _monitor(s: Shooter, demo: Demo) -> None:
    with demo.window("monitor", GUIDE_SIZE) as main:
        s.shot("sdv", lambda: _page(main, main.show_sdv_matrix))


def _investigator(s: Shooter, demo: Demo) -> None:
    with demo.window("investigator", GUIDE_SIZE) as main:
        label, _, _ = subject_with_data(main.session)
        s.shot("signatures", lambda: _page(main, lambda: main.show_subject(label), lambda: _tab(main, "signature")))


def _admin(s: Shooter, demo: Demo) -> None:
    with demo.window("admin", GUIDE_SIZE) as main:
        s.shot("backup", lambda: _page(main, main.show_admin, lambda: _tab(main, "backup")))


def _page(main: MainWindow, show: Callable[[], object], change: Callable[[], object] | None = None) -> QImage:
    """The window after `show()` (and `change()`), then back on the home page, unsaved entries dropped."""
    show()
    settle()
    if change is not None:
        change()
        settle()
    image = framed(main, size=GUIDE_SIZE)
    main.show_home()  # the patched dialogs answer 'discard'
    settle()
    return image


def _tab(main: MainWindow, part: str) -> None:
    """Show the page's tab whose name (object or class name, as the screenshot files use) contains `part`."""
    from PySide6.QtWidgets import QTabWidget

    tabs = main.page.findChild(QTabWidget) if main.page is not None else None
    if tabs is not None:
        for i in range(tabs.count()):
            if part in tab_name(tabs.widget(i), i):
                tabs.setCurrentIndex(i)
                return
    raise LookupError(f"no tab named like {part!r} on {type(main.page).__name__}")


def _over(main: MainWindow, dialog: QWidget) -> QImage:
    """`dialog` over the dimmed window, then closed."""
    backdrop = framed(main, size=GUIDE_SIZE)
    image = framed(dialog, backdrop, GUIDE_SIZE)
    dialog.hide()
    dialog.deleteLater()
    return image


def _screening_subject(session: SiteSession) -> str | None:
    from ecrf.services.overview import subject_rows
    from ecrf.study.status import SubjectStatus

    return next((r.label for r in subject_rows(session) if r.status is SubjectStatus.SCREENING), None)


def _query_dialog(main: MainWindow) -> QImage:
    """An open query as the site answers it."""
    from ecrf.study.status import QueryState
    from ecrf.ui.queries.inbox import QueryInboxPage
    from ecrf.ui.queries.thread import QueryDialog

    main.show_queries()
    settle()
    page = main.page
    assert isinstance(page, QueryInboxPage)  # show_queries() shows it
    views = page.model.views
    query = next((v for v in views if v.state is QueryState.OPEN and v.origin.value == "manual"),
                 next((v for v in views if v.state is QueryState.OPEN), None))
    if query is None:
        raise LookupError("the demo has no open query")
    image = _over(main, QueryDialog(main.session, query.id, None, main))
    main.show_home()
    settle()
    return image


def _export(main: MainWindow) -> QImage:
    import tempfile

    from ecrf.ui.export_dialog import ExportDialog
    from ecrf.ui.settings import AppSettings

    with tempfile.TemporaryDirectory(prefix="ecrf-shot-") as tmp:  # never a folder remembered on this PC
        dialog = ExportDialog(main.session, main, settings=AppSettings(Path(tmp) / "ui.ini"))
        dialog.folder.setText("E:\\ecrf-export")  # a USB drive on the ward's Windows PC
        return _over(main, dialog)
