"""One resolver finds the shipped forms/ and resources/: frozen app, installed wheel, source checkout."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ecrf import paths

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("ECRF_FORMS", raising=False)


def _shipped(root: Path) -> Path:
    for name in paths.SHIPPED:
        (root / name).mkdir(parents=True)
    return root


def test_a_source_checkout_uses_the_folders_beside_the_package():
    assert paths.shipped_dir("forms") == REPO / "forms"
    font = REPO / "resources" / "fonts" / "DroidSansFallback.ttf"
    assert paths.resource_path("fonts", "DroidSansFallback.ttf") == font
    assert paths.default_forms_dir() == REPO / "forms"


def test_a_frozen_app_uses_its_own_data_folder_only(monkeypatch, tmp_path):
    """PyInstaller sets sys.frozen and unpacks the data files (forms/, resources/) into sys._MEIPASS."""
    bundle = _shipped(tmp_path / "app")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert paths.default_forms_dir() == bundle / "forms"
    qm = bundle / "resources" / "translations" / "ecrf_zh_CN.qm"
    assert paths.resource_path("translations", "ecrf_zh_CN.qm") == qm


def test_a_frozen_app_without_its_data_says_where_it_looked(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(paths.ShippedDataMissing) as caught:
        paths.shipped_dir("resources")
    assert caught.value.looked_in == [tmp_path / "resources"]  # never the checkout behind a frozen build
    assert str(tmp_path / "resources") in caught.value.message and "reinstall" in caught.value.message


def test_an_installed_copy_wins_over_a_checkout(monkeypatch, tmp_path):
    """The wheel carries both folders in ecrf/_data (setup.py); an editable install has none there."""
    assert not paths.BUNDLED_DATA.exists()
    bundled = _shipped(tmp_path / "_data")
    monkeypatch.setattr(paths, "BUNDLED_DATA", bundled)
    assert paths.shipped_dir("forms") == bundled / "forms"
    assert paths.resource_path("fonts") == bundled / "resources" / "fonts"


def test_ecrf_forms_names_another_study(monkeypatch, tmp_path):
    monkeypatch.setenv("ECRF_FORMS", str(tmp_path / "other"))
    assert paths.default_forms_dir() == tmp_path / "other"


def test_no_shipped_forms_is_a_message_naming_every_place_looked(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "BUNDLED_DATA", tmp_path / "_data")
    monkeypatch.setattr(paths, "CHECKOUT_MARKER", "no-such-marker.toml")  # as in site-packages
    with pytest.raises(paths.ShippedDataMissing) as caught:
        paths.default_forms_dir()
    message = caught.value.message
    assert str(tmp_path / "_data" / "forms") in message
    assert "--forms DIR or $ECRF_FORMS" in message


def test_the_cli_shows_the_message_not_a_traceback(monkeypatch, tmp_path, capsys):
    from ecrf.cli.main import main

    monkeypatch.setattr(paths, "BUNDLED_DATA", tmp_path / "_data")
    monkeypatch.setattr(paths, "CHECKOUT_MARKER", "no-such-marker.toml")
    assert main(["describe"]) == 1
    err = capsys.readouterr().err
    assert "The app's own study definition folder 'forms' was not found" in err and "Traceback" not in err
