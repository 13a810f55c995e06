"""`ecrf gui` refuses plainly where it cannot start, instead of Qt aborting."""
from __future__ import annotations

import sys

import pytest

from ecrf.cli.main import main


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for Linux")
def test_gui_without_a_screen_says_so(monkeypatch, capsys):  # type: ignore[no-untyped-def]
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main(["gui"]) == 5  # EXIT_NO_DISPLAY
    assert "no screen" in capsys.readouterr().err


def test_gui_with_a_missing_forms_folder_says_so(tmp_path, capsys):  # type: ignore[no-untyped-def]
    assert main(["gui", "--forms", str(tmp_path / "nowhere")]) == 1
    assert "no study definition folder" in capsys.readouterr().err
