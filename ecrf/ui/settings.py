"""What the app remembers between runs (language, last database), in an ini file beside the site data,
so tests that sandbox ECRF_DATA_DIR never read or write the user's own settings."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from ecrf.paths import data_dir

LANGUAGES = {"en": "English", "zh_CN": "中文（简体）"}


class AppSettings:
    def __init__(self, path: Path | None = None) -> None:
        self._qs = QSettings(str(path or data_dir() / "ecrf-ui.ini"), QSettings.Format.IniFormat)

    @property
    def language(self) -> str:
        value = str(self._qs.value("language", "en"))
        return value if value in LANGUAGES else "en"

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
        return str(self._qs.value("export_folder", ""))

    @export_folder.setter
    def export_folder(self, value: str) -> None:
        self._qs.setValue("export_folder", value)
        self._qs.sync()
