"""Pseudo-localisation (vorta's TRANS_SCALE idea): every string accented and ~40 % longer, so layouts that
cannot take longer translated text show up in the screenshots."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTranslator


def _qapp() -> QCoreApplication:
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    assert app is not None  # made before any screen is drawn
    return app


_KEEP = re.compile(r"(\{\d*\}|<[^>]*>|&[a-z]+;|&&|&|\n)")
_ACCENTED = str.maketrans("aceinorsuyACEINORSUY", "åçéîñøŕšûýÅÇÉÎÑØŔŠÛÝ")


def pseudo(text: str) -> str:
    """vorta's TRANS_SCALE idea: accented and ~40 % longer, placeholders and tags kept, so layouts that
    cannot take longer (translated) text show up in the screenshots."""
    parts = _KEEP.split(text)
    out = "".join(p if _KEEP.fullmatch(p) else p.translate(_ACCENTED) for p in parts)
    return f"[{out}{'~' * max(1, len(text) * 2 // 5)}]"


def install_pseudo_translator() -> QTranslator:
    from PySide6.QtCore import QTranslator

    class Pseudo(QTranslator):
        def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
            return pseudo(source) if source else source

        def isEmpty(self) -> bool:
            return False

    translator = Pseudo(_qapp())
    _qapp().installTranslator(translator)
    return translator
