"""`ecrf self-test`: the whole chain on a throwaway site, one summary line, and every failure named by its step.

INSTALL-SELFTEST: the self-test makes a temporary encrypted site, enters a visit through the services, draws
a form, exports and verifies a bundle, removes all it made, and exits 0; any failing step exits 1 naming it."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from ecrf.cli.main import main
from ecrf.demo import self_test
from ecrf.paths import data_dir
from ecrf.services.errors import InvalidInput
from ecrf.ui.self_test_render import distinct_colours

pytestmark = pytest.mark.req("INSTALL-SELFTEST")


@pytest.fixture
def temp_root(tmp_path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    """The system's temporary folder, here one the test can look into afterwards."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_self_test_passes_with_one_line_and_leaves_nothing(temp_root, capsys):  # type: ignore[no-untyped-def]
    before = sorted(data_dir().rglob("*")) if data_dir().exists() else []
    assert main(["self-test"]) == 0
    out, err = capsys.readouterr()
    assert re.fullmatch(r"self-test passed: site, visit \(\w+, \d+ form\(s\)\), form rendered, bundle exported "
                        r"and verified in \d+\.\d s\n", out), out
    assert list(temp_root.iterdir()) == []  # the site, its key files and the bundle are gone
    after = sorted(data_dir().rglob("*")) if data_dir().exists() else []
    assert after == before  # the data folder was never touched


def test_a_failing_step_is_named_and_the_folder_removed(temp_root, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    def refuse(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise InvalidInput("export-nothing-new")

    monkeypatch.setattr(self_test, "export_bundle", refuse)
    assert main(["self-test"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("self-test FAILED at step 'export': ")
    assert "traceback" not in err  # a refusal with a catalogue message is not a bug
    assert list(temp_root.iterdir()) == []


def test_a_bug_in_a_step_names_it_and_logs_the_traceback(temp_root, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(self_test, "verify_bundle", broken)
    assert main(["self-test"]) == 1
    err = capsys.readouterr().err
    assert "self-test FAILED at step 'verify': ZeroDivisionError: division by zero" in err
    log = Path(re.search(r"the traceback is in (\S+)", err).group(1))  # type: ignore[union-attr]
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
    assert list(temp_root.iterdir()) == []


def test_a_tampered_bundle_fails_the_verify_step(temp_root, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    real_export = self_test.export_bundle

    def export_then_tamper(session, out_dir, **kwargs):  # type: ignore[no-untyped-def]
        result = real_export(session, out_dir, **kwargs)
        data = bytearray(result.path.read_bytes())
        data[len(data) // 2] ^= 0xFF  # one flipped byte in the middle of the zip
        result.path.write_bytes(bytes(data))
        return result

    monkeypatch.setattr(self_test, "export_bundle", export_then_tamper)
    assert main(["self-test"]) == 1
    assert capsys.readouterr().err.startswith("self-test FAILED at step 'verify': ")


def test_a_broken_study_definition_fails_the_study_step(temp_root, tmp_path, capsys):  # type: ignore[no-untyped-def]
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "study.yaml").write_text("study: [not, a, mapping\n", encoding="utf-8")
    assert main(["self-test", "--forms", str(forms)]) == 1
    assert capsys.readouterr().err.startswith("self-test FAILED at step 'study': ")
    assert list(temp_root.iterdir()) == []


def test_a_blank_drawing_fails_the_render_step(temp_root, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    blank = QImage(200, 100, QImage.Format.Format_RGB32)
    blank.fill(QColor("white"))
    assert distinct_colours(blank) == 1
    from PySide6.QtWidgets import QWidget

    monkeypatch.setattr(QWidget, "grab", lambda _self, *_a: _Pixmap(blank))
    assert main(["self-test"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("self-test FAILED at step 'form rendered': the editor's image is blank (1 colour(s))")


class _Pixmap:
    def __init__(self, image: QImage) -> None:
        self.image = image

    def toImage(self) -> QImage:  # noqa: N802 - Qt's name
        return self.image
