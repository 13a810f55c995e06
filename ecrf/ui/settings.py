"""What the app remembers between runs (language, last database, the last folder of each kind of file
dialog), in an ini file beside the site data,
so tests that sandbox ECRF_DATA_DIR never read or write the user's own settings."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QSettings

from ecrf.errors import Bug
from ecrf.paths import data_dir

LANGUAGES = {"en": "English", "zh_CN": "中文（简体）"}
# The file dialogs that remember where they were last used, each on its own: a backup drive is not where
# exports go, and the folder a list was imported from is not where a backup is restored from.
FOLDER_KINDS = ("export", "backup", "restore", "import")


def system_language() -> str:
    """The language to start in before anyone chose one: Chinese on a PC whose user interface is in Chinese
    (a ward PC in China, where the first study runs), else English."""
    preferred = QLocale.system().uiLanguages()
    return "zh_CN" if preferred and preferred[0].lower().startswith("zh") else "en"


class AppSettings:
    def __init__(self, path: Path | None = None) -> None:
        self._qs = QSettings(str(path or data_dir() / "ecrf-ui.ini"), QSettings.Format.IniFormat)

    @property
    def language(self) -> str:
        value = self._qs.value("language")
        return str(value) if value in LANGUAGES else system_language()

    @language.setter
    def language(self, value: str) -> None:
        self._qs.setValue("language", value)
        self._qs.sync()

    @property
    def last_username(self) -> str:
        return str(self._qs.value("last_username", ""))

    @last_username.setter
    def last_username(self, value: str) -> None:
        self._qs.setValue("last_username", value)
        self._qs.sync()

    @property
    def export_folder(self) -> str:
        """The folder the last export was started in, offered again next time ('' before the first)."""
        return self.last_folder("export")

    @export_folder.setter
    def export_folder(self, value: str) -> None:
        self.remember_folder("export", value)

    def last_folder(self, kind: str) -> str:
        """The folder a file dialog of `kind` was last used in ('' before the first). "export" keeps the key
        the export dialog has always used, so a folder remembered before stays remembered."""
        return str(self._qs.value(_folder_key(kind), ""))

    def remember_folder(self, kind: str, folder: str) -> None:
        self._qs.setValue(_folder_key(kind), folder)
        self._qs.sync()


def _folder_key(kind: str) -> str:
    if kind not in FOLDER_KINDS:
        raise Bug(f"unknown kind of file dialog: {kind}")  # a bug in the caller, not a user's input
    return f"{kind}_folder"
