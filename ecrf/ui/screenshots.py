"""`python -m ecrf.ui.screenshots OUTDIR [--lang en|zh_CN|both] [--db DEMO_DB]`: PNGs of the real screens.

Makes a demo site in a temporary folder (or uses a copy of one given with --db), then renders every
screen at 1280×800 in each language: start, create-site, login, subject matrix, subject view tabs, form
editors (one with a hard finding), lock cover, administration tabs, change password. Windows and dialogs
smaller than the screen are drawn centred on a backdrop, dialogs over their dimmed parent.

A screen whose module is not written yet is skipped with a note; the exit code is 1 only when a screen
that exists fails to render. Message boxes are replaced by notes on stdout so nothing waits for a click.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SIZE = (1280, 800)
BACKDROP = "#d5dce3"
TITLE_BAR = 28


@dataclass
class Shooter:
    out: Path
    lang: str
    made: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def shot(self, name: str, make: Callable[[], object]) -> None:
        """Render one screen: `make` returns a QImage (or None when it saved nothing)."""
        try:
            image = make()
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("ecrf.ui"):
                raise
            self.skip(name, f"{exc.name} is not written yet")
            return
        except Exception:  # noqa: BLE001 - report, go on with the other screens
            traceback.print_exc()
            self.failed.append(f"{self.lang}-{name}")
            print(f"FAILED  {self.lang}-{name}")
            return
        if image is not None:
            path = self.out / f"{self.lang}-{name}.png"
            if not image.save(str(path)):  # type: ignore[attr-defined]
                raise OSError(f"cannot write {path}")
            self.made.append(path)
            print(f"made    {path.name}")

    def section(self, name: str, run: Callable[[], None]) -> None:
        """Several screens made by `run`: skipped together while their module is not written."""
        try:
            run()
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("ecrf.ui"):
                raise
            self.skip(name, f"{exc.name} is not written yet")
        except Exception:  # noqa: BLE001 - report, go on with the other screens
            traceback.print_exc()
            self.failed.append(f"{self.lang}-{name}")
            print(f"FAILED  {self.lang}-{name}")

    def skip(self, name: str, why: str) -> None:
        self.skipped.append(f"{self.lang}-{name}")
        print(f"skipped {self.lang}-{name}: {why}")


def settle(rounds: int = 3) -> None:
    """Let layouts, deferred loads and deletions run."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(rounds):
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def framed(widget, backdrop=None):  # type: ignore[no-untyped-def]
    """`widget` shown and drawn on a 1280×800 image: full size for main windows, else centred."""
    from PySide6.QtGui import QColor, QImage, QPainter

    widget.show()
    settle()
    pixmap = widget.grab()
    image = QImage(*SIZE, QImage.Format.Format_RGB32)
    image.fill(QColor(BACKDROP))
    painter = QPainter(image)
    if backdrop is not None:
        painter.drawImage(0, 0, backdrop)
        painter.fillRect(image.rect(), QColor(0, 0, 0, 80))
    if pixmap.width() >= SIZE[0] and pixmap.height() >= SIZE[1]:
        painter.drawPixmap(0, 0, pixmap)
    else:
        _window_frame(painter, pixmap, widget.windowTitle())
    painter.end()
    return image


def _window_frame(painter, pixmap, title: str) -> None:  # type: ignore[no-untyped-def]
    """The window centred under a plain title bar (offscreen windows have no decorations)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor

    bar = TITLE_BAR
    w, h = pixmap.width(), pixmap.height() + bar
    x, y = max(0, (SIZE[0] - w) // 2), max(0, (SIZE[1] - h) // 2)
    painter.fillRect(x, y, w, bar, QColor("#3c4b5c"))
    painter.setPen(QColor("white"))
    painter.drawText(QRect(x + 10, y, w - 20, bar), Qt.AlignmentFlag.AlignVCenter, title)
    painter.drawPixmap(x, y + bar, pixmap)
    painter.setPen(QColor("#3c4b5c"))
    painter.drawRect(x - 1, y - 1, w + 1, h + 1)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def tab_name(widget, index: int) -> str:  # type: ignore[no-untyped-def]
    """A file-name part for a tab, the same in every language: its object or class name, else its number."""
    name = widget.objectName()
    if name and not name.startswith("qt_"):
        return slug(name)
    cls = widget.metaObject().className()
    return slug(re.sub(r"(?<=[a-z])(?=[A-Z])", "-", cls)) if not cls.startswith("Q") else f"tab{index + 1}"


@dataclass
class Demo:
    db_path: Path
    study: object

    @contextmanager
    def window(self, username: str) -> Iterator[object]:
        """The main window of `username` logged in to the demo, closed (with its session) after."""
        from ecrf.services.auth import login
        from ecrf.ui.main_window import MainWindow

        session = login(self.db_path, self.study, username, f"demo-{username}-2020")  # type: ignore[arg-type]
        main = None
        try:
            main = MainWindow(session, idle_check_ms=24 * 3600 * 1000)
            main.resize(*SIZE)
            main.show()
            settle()
            yield main
        finally:
            if main is not None:
                main.watcher.stop()
                main.hide()
                main.deleteLater()
                settle()
            session.close()


def shoot_language(demo: Demo, out: Path, lang: str) -> Shooter:
    from ecrf.ui.i18n import install_language

    install_language(lang)
    shooter = Shooter(out, lang)
    _first_windows(shooter, demo)
    _nurse_screens(shooter, demo)
    _admin_screens(shooter, demo)
    return shooter


def _first_windows(s: Shooter, demo: Demo) -> None:
    from ecrf.ui.i18n import text_lang
    from ecrf.ui.login import CreateSiteDialog, LoginWindow, StartWindow

    start = StartWindow(demo.db_path.parent / "new-site" / "site.db", s.lang)
    start_image = framed(start)
    s.shot("01-start", lambda: start_image)

    def create_site():  # type: ignore[no-untyped-def]
        dialog = CreateSiteDialog(start)
        dialog.site_code.setText("CN01")
        dialog.admin_username.setText("admin")
        return framed(dialog, start_image)

    s.shot("02-create-site", create_site)
    start.deleteLater()

    def login_window():  # type: ignore[no-untyped-def]
        login = LoginWindow(demo.db_path, s.lang, demo=True, username="nurse")
        login.set_study_title(demo.study.info.title.get(text_lang()))  # type: ignore[attr-defined]
        image = framed(login)
        login.deleteLater()
        return image

    s.shot("03-login", login_window)


def _nurse_screens(s: Shooter, demo: Demo) -> None:
    def screens() -> None:
        with demo.window("nurse") as main:
            s.shot("04-matrix", lambda: framed(main))
            label, visit_form, ae_repeat = _subject_with_data(main.session)  # type: ignore[attr-defined]
            s.section("05-subject", lambda: _subject_tabs(s, main, label))
            s.section("06-charts", lambda: _charts_alone(s, main, label))
            main.show_home()
            _form_screens(s, main, label, visit_form, ae_repeat)
            s.shot("11-change-password", lambda: _dialog_over(main))
            s.shot("12-lock", lambda: _locked(main))

    s.section("04..12 (nurse screens)", screens)


def _subject_with_data(session):  # type: ignore[no-untyped-def]
    """A subject with Day 3 vital signs and an adverse event: (label, VS FormRef at D3, AE repeat)."""
    from ecrf.services.overview import CellState, subject_detail, subject_rows
    from ecrf.services.subject_data import FormRef

    best = None
    for row in subject_rows(session):
        if not row.log_counts.get("AE") or not any(c.code == "D3" for c in row.cells):
            continue
        cell = row.cell("D3")
        vs = next((f for f in cell.forms if f.form == "VS"), None)
        if vs is None or cell.state is CellState.NOT_DUE:
            continue
        best = (row.label, FormRef(row.label, "D3", "VS", vs.timepoint))
        if cell.state is CellState.COMPLETE:
            break
    if best is None:
        raise LookupError("the demo has no subject with Day 3 vital signs and an adverse event")
    entries = subject_detail(session, best[0]).logs.get("AE", [])
    repeat = next((e.repeat for e in entries if not e.deleted), 1)
    return best[0], best[1], repeat


def _subject_tabs(s: Shooter, main, label: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTabWidget

    depth = len(main._history)
    main.show_subject(label)
    settle()
    if len(main._history) == depth:
        raise RuntimeError(f"the subject {label} did not open (see the note above)")
    tabs = main.page.findChild(QTabWidget) if main.page is not None else None
    if tabs is None:
        s.shot("05-subject", lambda: framed(main))
    else:
        for i in range(tabs.count()):
            name = tab_name(tabs.widget(i), i)
            tabs.setCurrentIndex(i)
            settle()
            s.shot(f"05-subject-{i + 1}-{name}", lambda: framed(main))


def _charts_alone(s: Shooter, main, label: str) -> None:  # type: ignore[no-untyped-def]
    """The charts widget on its own, when the subject page does not show it in a tab."""
    try:
        from ecrf.ui.charts.widget import ChartsWidget
    except ModuleNotFoundError:
        s.skip("06-charts", "ecrf.ui.charts.widget is not written yet")
        return
    if main.page is not None and main.page.findChild(ChartsWidget) is not None:
        return

    def charts():  # type: ignore[no-untyped-def]
        widget = ChartsWidget(main.session, label)
        widget.resize(*SIZE)
        image = framed(widget)
        widget.deleteLater()
        return image

    s.shot("06-charts", charts)


def _form_screens(s: Shooter, main, label: str, visit_form, ae_repeat: int) -> None:  # type: ignore[no-untyped-def]
    from ecrf.services.subject_data import FormRef

    def form(ref, change: Callable[[object], None] | None = None):  # type: ignore[no-untyped-def]
        def make():  # type: ignore[no-untyped-def]
            depth = len(main._history)
            main.open_form(ref)
            settle()
            if len(main._history) == depth:
                raise RuntimeError(f"the form {ref} did not open (see the note above)")
            if change is not None:
                change(main.page)
                settle()
            image = framed(main)
            main.back()  # unsaved changes: the patched dialogs answer 'discard'
            settle()
            return image
        return make

    s.shot("07-form-vs", form(visit_form))
    s.shot("08-form-vs-hard-finding", form(visit_form, lambda page: _type_into(page, "TEMP", "55")))
    s.shot("09-form-ae", form(FormRef(label, "", "AE", "", ae_repeat)))


def _type_into(page, item: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type `text` into the entry field of `item` as a user would, then leave the field."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit, QWidget

    found = page.findChild(QWidget, item)
    edit = found if isinstance(found, QLineEdit) else (found.findChild(QLineEdit) if found is not None else None)
    if edit is None:
        edits = [e for e in page.findChildren(QLineEdit) if item.lower() in e.objectName().lower()]
        edit = edits[0] if edits else None
    if edit is None:
        raise LookupError(f"no entry field named {item!r} on the form page")
    window = edit.window()
    window.activateWindow()  # focus events (the editor shows findings when a field is left) need it
    settle()
    edit.setFocus(Qt.FocusReason.MouseFocusReason)
    edit.selectAll()
    QTest.keyClicks(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Tab)
    settle()
    if edit.hasFocus():  # Tab stayed inside the field: move on the way the editor's Enter does
        QTest.keyClick(edit, Qt.Key.Key_Return)
    settle()


def _dialog_over(main):  # type: ignore[no-untyped-def]
    from ecrf.ui.password import ChangePasswordDialog

    backdrop = framed(main)
    dialog = ChangePasswordDialog(main.session, main)
    image = framed(dialog, backdrop)
    dialog.hide()
    dialog.deleteLater()
    return image


def _locked(main):  # type: ignore[no-untyped-def]
    main.lock()
    settle()
    return framed(main)


def _admin_screens(s: Shooter, demo: Demo) -> None:
    from PySide6.QtWidgets import QTabWidget

    def screens() -> None:
        with demo.window("admin") as main:
            main.show_admin()
            settle()
            tabs = main.page.findChild(QTabWidget) if main.page is not None else None
            if tabs is None:
                s.shot("13-admin", lambda: framed(main))
                return
            for i in range(tabs.count()):
                name = tab_name(tabs.widget(i), i)
                tabs.setCurrentIndex(i)
                settle()
                s.shot(f"13-admin-{i + 1}-{name}", lambda: framed(main))

    s.section("13-admin", screens)


def _quiet_qt(mode, context, message: str) -> None:  # type: ignore[no-untyped-def]
    if "propagateSizeHints" not in message:  # the offscreen platform says so for every window
        print(f"qt: {message}", file=sys.stderr)


def quiet_dialogs() -> None:
    """Message boxes would wait for a click: print them instead; leaving a form discards its entries."""
    from ecrf.ui import dialogs

    def note(kind: str):  # type: ignore[no-untyped-def]
        return lambda parent, title, text, *rest: print(f"note    {kind}: {title}: {text}")

    dialogs.show_error = note("error")  # type: ignore[assignment]
    dialogs.show_info = note("info")  # type: ignore[assignment]
    dialogs.ask_yes_no = lambda *a: True  # type: ignore[assignment]
    dialogs.ask_save_discard = lambda *a: "discard"  # type: ignore[assignment]
    dialogs.ask_text = lambda *a, **k: None  # type: ignore[assignment]
    dialogs.ask_reason = lambda *a: None  # type: ignore[assignment]


def make_demo(folder: Path):  # type: ignore[no-untyped-def]
    from ecrf.paths import default_forms_dir
    from ecrf.services.demo import create_demo
    from ecrf.study.loader import load_study

    study = load_study(default_forms_dir())
    print("making the demo site (about 10 seconds)…")
    return Demo(create_demo(folder / "demo" / "site.db", study).db_path, study)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ecrf.ui.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--lang", choices=("en", "zh_CN", "both"), default="both")
    parser.add_argument("--db", type=Path, help="an existing demo site to use (it is changed: use a copy)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The demo lives in a throw-away folder: the quick key derivation spares ~10 s of Argon2id.
    os.environ.setdefault("ECRF_KDF_PROFILE", "fast")
    from PySide6.QtCore import qInstallMessageHandler

    from ecrf.ui.app import create_app

    previous = qInstallMessageHandler(_quiet_qt)

    create_app(sys.argv[:1])
    quiet_dialogs()
    args.outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ecrf-screenshots-") as tmp:
        if args.db is not None:
            from ecrf.paths import default_forms_dir
            from ecrf.study.loader import load_study

            demo = Demo(args.db, load_study(default_forms_dir()))
        else:
            demo = make_demo(Path(tmp))
        languages = ["en", "zh_CN"] if args.lang == "both" else [args.lang]
        results = [shoot_language(demo, args.outdir, lang) for lang in languages]
    from ecrf.ui.i18n import install_language

    install_language("en")
    qInstallMessageHandler(previous)
    made = sum(len(r.made) for r in results)
    failed = [f for r in results for f in r.failed]
    skipped = [f for r in results for f in r.skipped]
    print(f"{made} screenshots in {args.outdir}; skipped {len(skipped)}; failed {len(failed)}: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
