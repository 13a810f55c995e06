"""`python -m ecrf.ui.screenshots` renders every written screen, in Chinese here, without blank images.

One language on a copy of the test demo (made once per run), so this stays well under a minute."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtGui import QImage

from ecrf.ui import screenshots


def _written(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _colours(path: Path) -> int:
    """How many different colours the image has at every 8th pixel of every 8th row."""
    image = QImage(str(path))
    assert not image.isNull(), f"{path.name} is not a readable PNG"
    assert (image.width(), image.height()) == screenshots.SIZE
    return len({image.pixel(x, y) for x in range(0, image.width(), 8) for y in range(0, image.height(), 8)})


def test_screenshots_render_and_are_not_blank(demo, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "shots"
    code = screenshots.main([str(out), "--lang", "zh_CN", "--db", str(demo.db_path)])
    printed = capsys.readouterr().out
    assert code == 0, f"a screen failed to render:\n{printed}"
    names = sorted(p.name for p in out.glob("*.png"))
    expected = ["zh_CN-01-start.png", "zh_CN-02-create-site.png", "zh_CN-03-login.png"]
    if _written("ecrf.ui.matrix.page"):
        expected += ["zh_CN-04-matrix.png", "zh_CN-11-change-password.png", "zh_CN-12-lock.png"]
    if _written("ecrf.ui.form_editor.page"):
        expected += ["zh_CN-07-form-vs.png", "zh_CN-08-form-vs-hard-finding.png", "zh_CN-09-form-ae.png"]
    missing = [n for n in expected if n not in names]
    assert not missing, f"missing screenshots {missing}; made {names}\n{printed}"
    if _written("ecrf.ui.admin.page") and _written("ecrf.ui.matrix.page"):
        assert any(n.startswith("zh_CN-13-admin") for n in names), printed
    blank = [n for n in names if _colours(out / n) < 3]
    assert not blank, f"blank screenshots: {blank}"


def test_pseudo_translation_keeps_placeholders_tags_and_accelerators() -> None:
    text = screenshots.pseudo("&Save {0} as <b>complete</b>\nnow")
    assert text.startswith("[&") and text.endswith("~]")
    for kept in ("{0}", "<b>", "</b>", "\n"):
        assert kept in text
    assert len(text) > len("&Save {0} as <b>complete</b>\nnow") * 1.3
