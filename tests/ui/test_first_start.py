"""A first start that explains itself: the app installed in a read-only folder, and the app started twice.

INSTALL-PREFLIGHT: neither ends in a Qt abort; starting twice gives a message naming the open site."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO

from ecrf.ui.login import LoginWindow
from tests.ui.test_app import controller, log_in  # noqa: F401 - the fixture of the app's own tests

pytestmark = pytest.mark.req("INSTALL-PREFLIGHT")
HOLDER = ("import sys; from pathlib import Path; from ecrf.services.auth import login; from ecrf.study.loader import "
          "load_study; s = login(Path(sys.argv[1]), load_study(Path(sys.argv[2])), 'admin', 'demo-admin-2020'); "
          "print('open', flush=True); sys.stdin.read(); s.close()")


def test_a_second_app_on_an_open_site_says_it_is_open_elsewhere(controller, demo, qtbot):  # noqa: F811
    """The site is open in another process (another `ecrf gui`): logging in names it, and the app goes on."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(demo.db_path), str(REPO / "forms")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        app = controller()
        log_in(qtbot, app, "nurse", "demo-nurse-2020")
        window = app.window
        assert isinstance(window, LoginWindow)
        assert "already open in another ecrf window or process" in window.error.text()
    finally:
        holder.communicate("", timeout=60)


def test_the_app_writes_nothing_into_its_install_folder(tmp_path):  # type: ignore[no-untyped-def]
    """An install in Program Files or /opt is read-only for staff: ecrf must not write beside its own files.
    (Run as root here, so a read-only folder would not stop a write; comparing the files catches any.)"""
    install = tmp_path / "install"
    for name in ("ecrf", "forms", "resources"):
        shutil.copytree(REPO / name, install / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "pyproject.toml", install)
    before = sorted(p.relative_to(install) for p in install.rglob("*"))
    env = {**os.environ, "PYTHONPATH": str(install), "PYTHONDONTWRITEBYTECODE": "1",
           "ECRF_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run([sys.executable, "-m", "ecrf", "self-test"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert sorted(p.relative_to(install) for p in install.rglob("*")) == before
    assert run.stdout.startswith("self-test passed: ")
