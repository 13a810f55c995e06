"""`ecrf gui` checks, before Qt loads, that there is a screen and that Qt's X11 plugin can load its system
libraries; it names what to install instead of letting Qt abort.

INSTALL-PREFLIGHT: missing xcb libraries give the apt and dnf install lines and exit 4; no screen at all
says how to run the app and exits 5."""
from __future__ import annotations

import sys

import pytest

from ecrf.cli import preflight
from ecrf.cli.gui import EXIT_NO_DISPLAY, EXIT_QT_LIBRARIES_MISSING
from ecrf.cli.main import main

pytestmark = pytest.mark.req("INSTALL-PREFLIGHT")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X11 check is for Linux")
DEBIAN_12_GAPS = ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1")  # what a fresh Debian 12 lacks


@pytest.fixture
def x11(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DISPLAY", ":0")
    for name in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)


def without(*sonames: str):  # type: ignore[no-untyped-def]
    return lambda soname: soname not in sonames


@linux_only
def test_missing_xcb_libraries_name_the_packages_and_exit_4(x11, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(preflight, "loadable", without(*DEBIAN_12_GAPS))
    assert main(["gui"]) == EXIT_QT_LIBRARIES_MISSING == 4
    err = capsys.readouterr().err
    assert err.startswith("error [qt-libraries-missing]: ")
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-keysyms.so.1" in err
    assert "`sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1`" in err
    assert "`sudo dnf install xcb-util-cursor xcb-util-wm xcb-util-keysyms`" in err
    assert "Reinstall" not in err  # Qt's own advice, which does not help


def test_packages_are_named_once_when_several_libraries_share_one() -> None:
    missing = preflight.missing_xcb_libraries(without("libxcb-randr.so.0", "libxcb-shm.so.0", "libxcb.so.1"))
    assert missing is not None
    assert missing.apt_line == "sudo apt-get install libxcb1 libxcb-randr0 libxcb-shm0"
    assert missing.dnf_line == "sudo dnf install libxcb"


@linux_only
def test_the_real_loader_finds_the_libraries_of_this_machine_and_not_a_made_up_one() -> None:
    assert preflight.missing_xcb_libraries() is None  # installed here, like after the README's apt line
    assert preflight.loadable("libxcb-cursor.so.0")
    assert not preflight.loadable("libecrf-no-such-library.so.7")


@linux_only
def test_the_library_list_is_what_the_qt_plugin_links_against() -> None:
    """Every library of the list that ldd resolves for libqxcb.so is in the list: a PySide6 upgrade that links
    a new xcb library shows up here (ldd is used by the test only, never at run time)."""
    import shutil
    import subprocess
    from pathlib import Path

    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists() or shutil.which("ldd") is None:
        pytest.skip("no libqxcb.so or no ldd here")
    linked = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    xcb_family = {line.split()[0] for line in linked.splitlines()
                  if line.strip().startswith(("libxcb", "libxkbcommon", "libX11"))}
    assert xcb_family <= set(preflight.XCB_LIBRARIES)


@linux_only
def test_no_screen_says_how_to_run_it_and_exits_5(monkeypatch, capsys):  # type: ignore[no-untyped-def]
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main(["gui"]) == EXIT_NO_DISPLAY == 5
    err = capsys.readouterr().err
    assert "error [no-display]" in err and "ssh -X" in err and "QT_QPA_PLATFORM=offscreen" in err


def test_wayland_offscreen_and_other_systems_skip_the_x11_check(monkeypatch) -> None:
    assert not preflight.uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not preflight.uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not preflight.uses_xcb({"DISPLAY": ":0"}, "win32")
    assert preflight.uses_xcb({"DISPLAY": ":0"}, "linux")
    assert not preflight.no_display({}, "darwin")
    assert preflight.no_display({}, "linux")


@linux_only
def test_the_check_runs_before_qt_is_imported(x11, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    """Qt aborts the process when its plugin cannot load, so the refusal must come before ecrf.ui loads."""
    import subprocess

    code = ("import sys; from ecrf.cli import preflight; preflight.loadable = lambda s: s != 'libxcb-util.so.1'; "
            "from ecrf.cli.main import main; rc = main(['gui']); "
            "print('qt-loaded' if 'PySide6.QtGui' in sys.modules else 'qt-not-loaded'); sys.exit(rc)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 4, run.stderr
    assert run.stdout.strip() == "qt-not-loaded"
    assert "sudo apt-get install libxcb-util1" in run.stderr


@linux_only
def test_a_really_missing_library_is_found_by_the_real_loader(tmp_path):  # type: ignore[no-untyped-def]
    """libxcb-cursor.so.0 hidden for real (an empty file mounted over it, in a private mount namespace, so the
    rest of the machine keeps it): `ecrf gui` names it and exits 4, and the self-test fails at the form."""
    import ctypes.util
    import os
    import shutil
    import subprocess

    library = ctypes.util.find_library("xcb-cursor")
    path = next((p for p in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64")
                 if library and os.path.exists(f"{p}/{library}")), None)
    if os.geteuid() != 0 or shutil.which("unshare") is None or path is None:
        pytest.skip("needs root, unshare and libxcb-cursor to hide it in a private mount namespace")
    env = {**os.environ, "DISPLAY": ":0", "ECRF_DATA_DIR": str(tmp_path / "data")}
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("WAYLAND_DISPLAY", None)
    script = (f"mount --bind /dev/null {path}/{library} || exit 99; {sys.executable} -m ecrf gui; echo gui=$?; "
              f"{sys.executable} -m ecrf self-test; echo self-test=$?")
    run = subprocess.run(["unshare", "-m", "sh", "-c", script], env=env, capture_output=True, text=True,
                         timeout=300)
    if run.returncode == 99 or "unshare:" in run.stderr:
        pytest.skip(f"no private mount namespace here: {run.stderr.strip()[:200]}")
    assert "gui=4" in run.stdout and "self-test=1" in run.stdout, run.stdout + run.stderr
    assert "`sudo apt-get install libxcb-cursor0`" in run.stderr
    assert "self-test FAILED at step 'form rendered': The desktop app cannot start" in run.stderr


@linux_only
def test_a_display_where_no_x_server_answers_says_so_and_exits_5(x11, monkeypatch, capsys):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DISPLAY", ":97")
    monkeypatch.setattr(preflight, "x_server_answers", lambda display=None: False)
    assert main(["gui"]) == EXIT_NO_DISPLAY
    err = capsys.readouterr().err
    assert err.startswith("error [display-unreachable]: ") and "DISPLAY=:97" in err and "ssh -X" in err


@linux_only
def test_the_x_server_check_asks_the_real_server() -> None:
    """An X server on a display number nothing listens on does not answer (libxcb really tried)."""
    import glob

    unused = next(n for n in range(60, 99) if not glob.glob(f"/tmp/.X11-unix/X{n}"))
    assert not preflight.x_server_answers(f":{unused}")
