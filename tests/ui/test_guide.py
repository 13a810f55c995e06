"""The user guide: Help › User guide (F1) opens it in the UI language; every picture its pages show is shipped
(the screenshots the guide's shooter makes, no more, no fewer); its links lead somewhere; it saves as a PDF."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence

from ecrf.paths import resource_path
from ecrf.ui import guide
from ecrf.ui.guide import GuideDialog, fit_images, guide_page
from ecrf.ui.main_window import MainWindow
from ecrf.ui.screenshots.guide_shots import GUIDE_WIDTH, IMAGES, GuideShooter, without_backdrop
from ecrf.ui.screenshots.render import BACKDROP

LANGUAGES = ("en", "zh_CN")
IMAGES_BUDGET = 700_000  # bytes of all the guide's PNGs together: they travel in every installer


class Page(HTMLParser):
    """The images, anchors and in-page links of one guide page."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.images: list[str] = []
        self.anchors: set[str] = set()
        self.links: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "img":
            self.images.append(found.get("src") or "")
        if tag == "a" and found.get("name"):
            self.anchors.add(found["name"] or "")
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")


@pytest.mark.req("WARD-GUIDE-1")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_picture_of_the_guide_is_shipped_and_small(lang: str) -> None:
    page = guide_page(lang)
    assert page == resource_path("guide", lang, "index.html")
    parsed = Page(page)
    assert sorted(parsed.images) == sorted(f"images/{name}.png" for name in IMAGES)
    for src in parsed.images:
        image = QImage(str(page.parent / src))
        assert not image.isNull(), f"{lang}/{src} is missing or not a PNG"
        assert image.width() <= GUIDE_WIDTH and image.format() == QImage.Format.Format_Indexed8, src
    assert parsed.links and all(link.startswith("#") and link[1:] in parsed.anchors for link in parsed.links)


def test_the_pictures_together_stay_within_their_budget() -> None:
    total = sum(p.stat().st_size for lang in LANGUAGES for p in resource_path("guide", lang, "images").glob("*.png"))
    assert total <= IMAGES_BUDGET


@pytest.mark.req("WARD-GUIDE-1")
def test_help_user_guide_opens_the_guide_in_the_ui_language(qtbot, small_demo) -> None:  # type: ignore[no-untyped-def]
    from ecrf.ui.i18n import install_language

    session = small_demo.login("nurse")
    try:
        install_language("zh_CN")
        window = MainWindow(session, idle_check_ms=60000)
        qtbot.addWidget(window)
        action = window.findChild(QAction, "action_guide")
        assert action is not None and action.shortcut() == QKeySequence("F1")
        action.trigger()
        dialog = window.guide_dialog
        assert isinstance(dialog, GuideDialog) and dialog.isVisible() and not dialog.isModal()
        assert dialog.page == resource_path("guide", "zh_CN", "index.html")
        assert "登录与首次设置密码" in dialog.browser.toPlainText()
        action.trigger()
        assert window.guide_dialog is dialog  # asked again: the same window, raised
        window.watcher.stop()
    finally:
        session.close()


def test_a_language_without_its_own_guide_shows_the_english_one(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = GuideDialog(None, "fr")
    qtbot.addWidget(dialog)
    assert dialog.page == resource_path("guide", "en", "index.html")
    assert "Logging in and your first password" in dialog.browser.toPlainText()


def test_a_missing_guide_says_to_reinstall(qtbot, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(guide, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    dialog = GuideDialog(None, "en")
    qtbot.addWidget(dialog)
    assert dialog.page is None and not dialog.pdf_button.isEnabled()
    assert "Reinstall ecrf" in dialog.browser.toPlainText()


@pytest.mark.req("WARD-GUIDE-1")
def test_the_guide_saves_as_a_pdf_to_print(qtbot, monkeypatch, tmp_path, dialogs) -> None:  # type: ignore[no-untyped-def]
    dialog = GuideDialog(None, "en")
    qtbot.addWidget(dialog)
    monkeypatch.setattr(guide, "ask_file", lambda parent, suggested: str(tmp_path / "guide"))
    saved = dialog.save_pdf()
    assert saved == tmp_path / "guide.pdf" and dialogs.infos
    reader = PdfReader(str(saved))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert len(reader.pages) > 3 and "When the app says the data is damaged" in text


def test_the_guide_shooter_cuts_out_small_windows_and_reduces_colours(tmp_path) -> None:  # type: ignore[no-untyped-def]
    screen = QImage(1366, 768, QImage.Format.Format_RGB32)
    screen.fill(QColor(BACKDROP))
    for x in range(583, 783):  # a 200×100 "window" in the middle
        for y in range(334, 434):
            screen.setPixelColor(x, y, QColor("white" if (x + y) % 7 else "navy"))
    cut = without_backdrop(screen)
    assert (cut.width(), cut.height()) == (200 + 24, 100 + 24)
    shooter = GuideShooter(tmp_path, "en")
    assert shooter.finish(screen).format() == QImage.Format.Format_Indexed8
    full = QImage(1366, 768, QImage.Format.Format_RGB32)
    full.fill(QColor("white"))
    assert shooter.finish(full).width() == GUIDE_WIDTH
    with pytest.raises(Exception, match="no image 'nope'"):
        shooter.path_for("nope")


def test_pictures_wider_than_the_page_are_shrunk_for_the_pdf(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = GuideDialog(None, "en")
    qtbot.addWidget(dialog)
    document = dialog.browser.document().clone(dialog)
    fit_images(document, 300)
    widths = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            image = it.fragment().charFormat().toImageFormat()
            if image.isValid():
                widths.append(image.width())
            it += 1
        block = block.next()
    assert len(widths) == len(IMAGES) and all(0 < w <= 300 for w in widths)


def test_the_screenshot_command_says_what_it_needs(capsys) -> None:  # type: ignore[no-untyped-def]
    from ecrf.ui import screenshots

    with pytest.raises(SystemExit):
        screenshots.main([])
    assert "give the folder for the screenshots" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        screenshots.main(["--guide", "--lang", "pseudo"])
    assert "no pseudo-translated version" in capsys.readouterr().err


def test_switching_the_language_switches_the_open_guide(qtbot) -> None:  # type: ignore[no-untyped-def]
    from ecrf.ui.i18n import install_language

    dialog = GuideDialog(None, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    install_language("zh_CN")
    qtbot.waitUntil(lambda: dialog.page == resource_path("guide", "zh_CN", "index.html"))
    assert "登录与首次设置密码" in dialog.browser.toPlainText() and dialog.windowTitle() == "ecrf 用户指南"


def test_a_guide_pdf_that_cannot_be_written_says_so_and_leaves_nothing(qtbot, monkeypatch, tmp_path,  # type: ignore[no-untyped-def]
                                                                       dialogs) -> None:
    dialog = GuideDialog(None, "en")
    qtbot.addWidget(dialog)
    (tmp_path / "not-a-folder").write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setattr(guide, "ask_file", lambda parent, suggested: str(tmp_path / "not-a-folder" / "guide.pdf"))
    assert dialog.save_pdf() is None
    assert "could not be saved" in dialogs.last_error() and dialogs.infos == []
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-folder"]
