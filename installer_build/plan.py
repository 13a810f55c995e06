"""What the frozen app is made of: the data it carries, the Qt parts it keeps and those it leaves out.

Pure logic with no PyInstaller import, so the normal test suite checks it (tests/test_build_installer.py)
and `build_installer.py` can name everything that is missing before a multi-minute build starts.
"""
from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "ecrf"
ICON_PNG = ROOT / "resources" / "icons" / "ecrf.png"
ICON_ICO = ROOT / "resources" / "icons" / "ecrf.ico"
ODM_SCHEMA_DIR = ("schemas", "odm", "1.3.2")  # ecrf/export/odm/schema.py reads ODM1-3-2.xsd from here in odmlib
ODM_SCHEMA_FILE = "ODM1-3-2.xsd"
SIZE_GOAL = 200_000_000  # bytes unpacked (issue #15: "goal ≤ 200 MB unpacked"); a bigger build fails its check

# Qt libraries the app uses (ecrf/ui: QtCore, QtGui, QtWidgets, QtCharts) and what those link against. Any other
# Qt6*.so / Qt6*.dll / framework that analysis drags in is dropped; PySide6 bindings of unused modules too.
QT_KEEP = frozenset({"Core", "Gui", "Widgets", "Charts", "OpenGL", "OpenGLWidgets", "DBus", "XcbQpa", "Svg"})
# Qt plugins kept, by folder: None keeps the whole folder, else the plugins of these names (the file name without
# `lib` and extension). Windows: qwindows; macOS: qcocoa; Linux: X11 (Wayland sessions run it through XWayland).
# ibus and compose: typing Chinese. No GTK platform theme (it drags in GTK and its libraries: ~30 MB).
QT_PLUGINS_KEEP: dict[str, tuple[str, ...] | None] = {
    "platforms": ("qxcb", "qoffscreen", "qminimal", "qwindows", "qcocoa", "qdirect2d"),
    "styles": None,
    "imageformats": ("qgif", "qico", "qjpeg", "qsvg"),
    "iconengines": None,
    "platformthemes": ("qxdgdesktopportal",),
    "platforminputcontexts": ("composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"),
    "xcbglintegrations": None,
}
# Python modules nobody in the app imports, kept out of analysis (each would pull in large Qt libraries).
EXCLUDED_MODULES = (
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick", "PySide6.QtWebChannel",
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuick3D", "PySide6.Qt3DCore",
    "PySide6.Qt3DRender", "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtNetwork",
    "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtDesigner", "PySide6.QtUiTools", "PySide6.QtSql",
    "PySide6.QtBluetooth", "PySide6.QtPositioning", "PySide6.QtLocation", "PySide6.QtSensors",
    "PySide6.QtSerialPort", "PySide6.QtTextToSpeech", "PySide6.QtDataVisualization", "PySide6.QtGraphs",
    "PySide6.QtTest", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtDBus",
    "ecrf.ui.screenshots", "tkinter", "pytest", "hypothesis", "IPython", "matplotlib",
    "numpy", "pandas",
    # reportlab needs Pillow, not its AVIF codec (pyHanko imports aiohttp unconditionally: it stays)
    "setuptools", "PIL._avif", "PIL.AvifImagePlugin", "PIL.ImageQt",
)
# A built folder holding any of these is a failed trim (checked after the build, on file names).
FORBIDDEN_IN_FOLDER = ("WebEngine", "Qml", "Quick", "3D", "Multimedia", "Designer", "Pdf")


class PlanError(Exception):
    """Something the build needs is missing; the message names each missing thing and what to do."""


@dataclass(frozen=True)
class DataEntry:
    """One (source, destination-folder-in-bundle) pair, as PyInstaller's `datas` takes it."""
    source: Path
    target: str

    def as_tuple(self) -> tuple[str, str]:
        return (str(self.source), self.target)


def odmlib_dir() -> Path | None:
    spec = importlib.util.find_spec("odmlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def app_languages(root: Path = ROOT) -> list[str]:
    """The UI languages beside English: one per resources/translations/ecrf_<lang>.qm."""
    folder = root / "resources" / "translations"
    return sorted(p.stem.removeprefix("ecrf_") for p in folder.glob("ecrf_*.qm"))


def required_sources(root: Path = ROOT) -> dict[str, Path]:
    """Everything the bundle must carry, by a name a user understands."""
    odmlib = odmlib_dir()
    needs = {
        "forms/ (the study definition)": root / "forms" / "study.yaml",
        "resources/fonts (the PDF fonts)": root / "resources" / "fonts",
        "resources/translations/*.qm (run: python scripts/translations.py release)":
            root / "resources" / "translations" / "ecrf_zh_CN.qm",
        "resources/icons/ecrf.png (the app icon)": root / "resources" / "icons" / "ecrf.png",
        "resources/guide (the user guide of Help › User guide)": root / "resources" / "guide" / "en" / "index.html",
        "ecrf/store/migrations (the database migrations)": root / "ecrf" / "store" / "migrations" / "env.py",
        "ecrf/study/expr/grammar.lark (the expression grammar)": root / "ecrf" / "study" / "expr" / "grammar.lark",
    }
    schema = odmlib.joinpath(*ODM_SCHEMA_DIR, ODM_SCHEMA_FILE) if odmlib else Path("odmlib-not-installed")
    needs["the ODM 1.3.2 schema from odmlib (pip install odmlib)"] = schema
    if sys.platform == "win32":
        needs["resources/icons/ecrf.ico (the Windows icon)"] = root / "resources" / "icons" / "ecrf.ico"
    return needs


def missing_sources(root: Path = ROOT) -> list[str]:
    return [name for name, path in required_sources(root).items() if not path.exists()]


def check_sources(root: Path = ROOT) -> None:
    missing = missing_sources(root)
    if missing:
        raise PlanError("cannot build: missing " + "; ".join(missing))


def data_entries(root: Path = ROOT) -> list[DataEntry]:
    """The data files of the bundle: forms/ and resources/ at the top (ecrf/paths.py's sys._MEIPASS branch),
    the package data ecrf reads from beside its modules, and odmlib's ODM 1.3.2 schema folder where
    ecrf/export/odm/schema.py looks for it (odmlib's package folder)."""
    check_sources(root)
    odmlib = odmlib_dir()
    assert odmlib is not None  # check_sources names it otherwise
    return [
        DataEntry(root / "forms", "forms"),
        DataEntry(root / "resources", "resources"),
        DataEntry(root / "ecrf" / "store" / "migrations", "ecrf/store/migrations"),
        DataEntry(root / "ecrf" / "study" / "expr" / "grammar.lark", "ecrf/study/expr"),
        DataEntry(odmlib.joinpath(*ODM_SCHEMA_DIR), "odmlib/" + "/".join(ODM_SCHEMA_DIR)),
    ]


def _qt_module_of(name: str) -> str | None:
    """'Charts' for libQt6Charts.so.6 / Qt6Charts.dll / QtCharts.framework / QtCharts.abi3.so, else None."""
    base = Path(name).name
    for prefix in ("libQt6", "Qt6", "Qt"):
        if base.startswith(prefix):
            rest = base[len(prefix):]
            module = rest.split(".", 1)[0]
            return module or None
    return None


def keep_file(dest: str) -> bool:
    """Whether a file PyInstaller collected (its destination path in the bundle) stays in the app."""
    parts = Path(dest).parts
    if "plugins" in parts and "PySide6" in parts:
        return _keep_plugin(parts[parts.index("plugins") + 1:])
    if "translations" in parts and "PySide6" in parts:
        return _keep_qt_translation(parts[-1])
    if "qml" in parts and "PySide6" in parts:
        return False
    module = _qt_module_of(parts[-1])
    if module is not None and ("PySide6" in parts or parts[-1].startswith(("libQt6", "Qt6"))):
        return module in QT_KEEP
    return True


def _keep_plugin(below_plugins: tuple[str, ...]) -> bool:
    if len(below_plugins) < 2:
        return True
    names = QT_PLUGINS_KEEP.get(below_plugins[0], ())
    return names is None or Path(below_plugins[-1]).name.split(".", 1)[0].removeprefix("lib") in names


def _keep_qt_translation(filename: str) -> bool:
    """Only Qt's own base translations (standard buttons, dialogs) of the app's languages."""
    return any(filename == f"qtbase_{lang}.qm" for lang in app_languages())


def forbidden_files(folder: Path) -> list[Path]:
    """Files of unused Qt modules that ended up in a built folder anyway."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and _is_forbidden(p.name))


def _is_forbidden(name: str) -> bool:
    module = _qt_module_of(name)
    return module is not None and any(word in module for word in FORBIDDEN_IN_FOLDER)
