"""Before `ecrf gui` loads Qt: is there a screen, and can Qt's X11 platform plugin load its libraries?

Without them Qt aborts with "could not load the Qt platform plugin xcb" and advises reinstalling the app,
which does not help: the libraries come with the operating system. So the check names the missing ones
and the packages that bring them, for Debian/Ubuntu (apt) and Fedora (dnf), before Qt is imported.

The list is what `ldd` shows for PySide6's `Qt/plugins/platforms/libqxcb.so` and `libQt6XcbQpa.so.6`,
less the C runtime and the libraries every desktop has (glib, zlib …). The check opens each library by
its soname, as the dynamic loader does for the plugin, so it needs no `ldd` at run time.
"""
from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

# soname → (Debian/Ubuntu package, Fedora package)
XCB_LIBRARIES: Mapping[str, tuple[str, str]] = {
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}

Finder = Callable[[str], bool]  # soname → can the dynamic loader open it?


@dataclass(frozen=True)
class MissingLibraries:
    sonames: tuple[str, ...]

    @property
    def apt_line(self) -> str:
        return "sudo apt-get install " + " ".join(_unique(XCB_LIBRARIES[s][0] for s in self.sonames))

    @property
    def dnf_line(self) -> str:
        return "sudo dnf install " + " ".join(_unique(XCB_LIBRARIES[s][1] for s in self.sonames))


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def no_display(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """On Linux with neither X11 nor Wayland (and no QT_QPA_PLATFORM chosen), Qt would abort."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return False
    return not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def uses_xcb(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Qt will pick its X11 plugin: Linux, DISPLAY set, no Wayland session and no QT_QPA_PLATFORM."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return False
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def missing_xcb_libraries(finder: Finder | None = None) -> MissingLibraries | None:
    """The libraries of Qt's X11 plugin that cannot be loaded, or None when all can."""
    found = finder or loadable
    missing = tuple(soname for soname in XCB_LIBRARIES if not found(soname))
    return MissingLibraries(missing) if missing else None


def x_server_answers(display: str | None = None) -> bool:
    """Does the X server of DISPLAY accept a connection? A stale DISPLAY (an ssh session without -X, a
    closed Xvfb) makes Qt abort too. Asked through libxcb, which the check above found."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return False
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode() if display else None, None)
    try:  # xcb_connect never returns NULL: a failed connection is an object in an error state
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection is not None:
            xcb.xcb_disconnect(connection)


def loadable(soname: str) -> bool:
    """Can the dynamic loader open `soname`? A frozen app may carry it in its own folder (the build copies
    the plugin's libraries there), which the plugin finds through its rpath."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen and any((Path(frozen) / sub / soname).exists() for sub in ("", "PySide6/Qt/lib")):
        return True
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True
